/// A JSON object's members, kept in RFC 8785 order (keys sorted by UTF-16 code units, each key
/// once). Documents have a few dozen members at most, so a sorted pair of arrays beats a
/// dictionary: parsing canonical input appends in order, look-ups scan a handful of short keys,
/// and canonical encoding needs no sort.
public struct JSONObject: Equatable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var keys: [String]
    public private(set) var values: [JSONValue]

    /// Builds from unique keys in any order.
    public init(_ members: [String: JSONValue]) {
        let sorted = members.sorted { JSONObject.precedes($0.key, $1.key) }
        keys = sorted.map(\.key)
        values = sorted.map(\.value)
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Members already strictly in RFC 8785 order (the parser checks this).
    init(sortedKeys keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    public var count: Int { keys.count }

    public func index(of key: String) -> Int? { keys.firstIndex(of: key) }

    public subscript(key: String) -> JSONValue? {
        guard let i = index(of: key) else { return nil }
        return values[i]
    }

    public func makeIterator() -> Zip2Sequence<[String], [JSONValue]>.Iterator { zip(keys, values).makeIterator() }

    /// RFC 8785 member order: by UTF-16 code units. UTF-8 byte order agrees with it except
    /// between supplementary characters and U+E000–U+FFFF, so only keys with bytes from 0xEE up
    /// take the slower UTF-16 comparison.
    static func precedes(_ a: String, _ b: String) -> Bool {
        if a.utf8.contains(where: { $0 >= 0xEE }) || b.utf8.contains(where: { $0 >= 0xEE }) {
            return a.utf16.lexicographicallyPrecedes(b.utf16)
        }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
