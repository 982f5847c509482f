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

    /// RFC 8785 member order: by UTF-16 code units. Two keys first differ either inside one
    /// character (continuation bytes: both encodings order them alike) or at two lead bytes, where
    /// UTF-8 order agrees with UTF-16 order except between a supplementary character (F0–F4) and
    /// one of U+E000–U+FFFF (EE, EF). So one pass up to the first differing byte decides; it
    /// reads at most the shorter key.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in b.withUTF8 { y in precedes(x, y) } }
    }

    static func precedes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let shorter = Swift.min(x.count, y.count)
        var i = 0
        while i < shorter, x[i] == y[i] { i += 1 }
        guard i < shorter else { return x.count < y.count }
        let (p, q) = (x[i], y[i])
        // A supplementary character is a surrogate pair in UTF-16 (D800–DBFF first), which
        // sorts before U+E000–U+FFFF although its UTF-8 lead byte is larger.
        if p >= 0xEE, q >= 0xEE, (p >= 0xF0) != (q >= 0xF0) { return p >= 0xF0 }
        return p < q
    }
}
