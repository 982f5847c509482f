import LedgerCrypto

/// Reads the members of one JSON object by name, so validation errors name the field
/// (`source.url`) and unknown members are refused rather than silently signed.
struct FieldReader {
    let path: String
    private let members: [String: JSONValue]
    /// The members read so far, in order. Keys are unique, so `finish()` only compares counts;
    /// the names serve the error message (an array: cheaper than hashing every key again).
    private var readKeys: [String] = []

    init(_ value: JSONValue, path: String) throws {
        guard case .object(let m) = value else { throw ValidationError(path.isEmpty ? "document" : path, "must be an object, found \(value.typeName)") }
        self.path = path
        self.members = m
        // `"summary": null` and no summary would be two spellings, two digests, of one statement
        // (and a way past the replay check); only leaving a field out means "absent".
        if let key = m.first(where: { $0.value == .null })?.key {
            throw ValidationError(child(key), "must not be null; leave the field out instead")
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { members[key] != nil }

    /// Each key must be read at most once per reader (the schema code reads each field once).
    mutating func optional(_ key: String) -> JSONValue? {
        guard let value = members[key] else { return nil }
        readKeys.append(key)
        return value
    }

    mutating func required(_ key: String) throws -> JSONValue {
        guard let v = optional(key) else { throw ValidationError(child(key), "is required") }
        return v
    }

    mutating func string(_ key: String, maxLength: Int, allowNewlines: Bool = false) throws -> String {
        try Self.string(try required(key), path: child(key), maxLength: maxLength, allowNewlines: allowNewlines)
    }

    mutating func optionalString(_ key: String, maxLength: Int, allowNewlines: Bool = false) throws -> String? {
        guard let v = optional(key) else { return nil }
        return try Self.string(v, path: child(key), maxLength: maxLength, allowNewlines: allowNewlines)
    }

    mutating func integer(_ key: String, min: Int64 = 0) throws -> Int64 {
        let v = try required(key)
        guard case .integer(let n) = v else { throw ValidationError(child(key), "must be an integer, found \(v.typeName)") }
        guard n >= min else { throw ValidationError(child(key), "must be at least \(min)") }
        return n
    }

    mutating func slug(_ key: String) throws -> String {
        let s = try string(key, maxLength: 64)
        guard Slug.isValid(s) else { throw ValidationError(child(key), Slug.rule) }
        return s
    }

    mutating func object(_ key: String) throws -> FieldReader { try FieldReader(try required(key), path: child(key)) }

    mutating func optionalObject(_ key: String) throws -> FieldReader? {
        guard let v = optional(key) else { return nil }
        return try FieldReader(v, path: child(key))
    }

    mutating func array(_ key: String, maxCount: Int) throws -> [JSONValue] {
        guard let v = optional(key) else { return [] }
        guard case .array(let items) = v else { throw ValidationError(child(key), "must be an array, found \(v.typeName)") }
        guard items.count <= maxCount else { throw ValidationError(child(key), "has \(items.count) items, at most \(maxCount) allowed") }
        return items
    }

    /// An array of distinct slugs.
    mutating func slugs(_ key: String, maxCount: Int) throws -> [String] {
        let items = try array(key, maxCount: maxCount)
        var out: [String] = []
        for (i, item) in items.enumerated() {
            func p() -> String { "\(child(key))[\(i)]" }
            let s = try Self.string(item, path: p(), maxLength: 64, allowNewlines: false)
            guard Slug.isValid(s) else { throw ValidationError(p(), Slug.rule) }
            guard !out.contains(s) else { throw ValidationError(p(), "'\(s)' is listed twice") }
            out.append(s)
        }
        return out
    }

    /// Refuses any member that was not read.
    func finish() throws {
        guard readKeys.count < members.count else { return }
        let unknown = members.keys.filter { !readKeys.contains($0) }.sorted().first ?? ""
        throw ValidationError(child(unknown), "is not a field of this schema")
    }

    /// `path` is only built for an error: validation runs on every body of every audit.
    static func string(_ v: JSONValue, path: @autoclosure () -> String, maxLength: Int, allowNewlines: Bool) throws -> String {
        guard case .string(let s) = v else { throw ValidationError(path(), "must be a string, found \(v.typeName)") }
        guard !s.isEmpty else { throw ValidationError(path(), "must not be empty") }
        // One pass over the UTF-8 bytes (the parser has already checked they are valid):
        // count scalars (non-continuation bytes) and find control characters, C0, DEL and C1
        // (U+0080-U+009F, encoded C2 80-C2 9F). Control characters could rewrite a reader's
        // terminal; only the quote may keep line breaks and tabs.
        var count = 0
        var previous: UInt8 = 0
        for b in s.utf8 {
            if b & 0xC0 != 0x80 { count += 1 }
            let control: UInt32? = b < 0x20 || b == 0x7F ? UInt32(b) : (previous == 0xC2 && (0x80...0x9F).contains(b) ? UInt32(b) : nil)
            if let c = control, !(allowNewlines && (c == 0x0A || c == 0x09)) {
                throw ValidationError(path(), "contains control character U+\(String(c, radix: 16, uppercase: true))")
            }
            previous = b
        }
        guard count <= maxLength else { throw ValidationError(path(), "is \(count) characters long, at most \(maxLength) allowed") }
        return s
    }
}

/// A field-named validation failure.
public struct ValidationError: Error, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Identifiers in our vocabularies: lowercase ASCII letters, digits, '.', '-' and '_', starting
/// with a letter or digit, 1 to 64 characters.
public enum Slug {
    static let rule = "must be 1-64 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit"

    public static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard (1...64).contains(u.count), isAlnum(u[0]) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    private static func isAlnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
}
