import LedgerCrypto

/// Reads the members of one JSON object by name, so validation errors name the field
/// (`source.url`) and unknown members are refused rather than silently signed.
struct FieldReader {
    let path: String
    private let members: JSONObject
    /// Which members have been read, one bit per member index (objects of any schema here have
    /// far fewer than 64 members; larger ones are refused on sight).
    private var readMask: UInt64 = 0

    init(_ value: JSONValue, path: String) throws {
        guard case .object(let m) = value else { throw ValidationError(path.isEmpty ? "document" : path, "must be an object, found \(value.typeName)") }
        self.path = path
        self.members = m
        guard m.count <= 64 else { throw ValidationError(path.isEmpty ? "document" : path, "has \(m.count) members, more than any schema allows") }
        // `"summary": null` and no summary would be two spellings, two digests, of one statement
        // (and a way past the replay check); only leaving a field out means "absent".
        if let i = m.values.firstIndex(of: .null) {
            throw ValidationError(child(m.keys[i]), "must not be null; leave the field out instead")
        }
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func has(_ key: String) -> Bool { members.index(of: key) != nil }

    mutating func optional(_ key: String) -> JSONValue? {
        guard let i = members.index(of: key) else { return nil }
        readMask |= 1 << UInt64(i)
        return members.values[i]
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

    /// The array member `key` ([] if absent). A signed document passes `emptyAllowed: false`:
    /// there `[]` and no member would be two spellings, two digests, of one document (as null).
    mutating func array(_ key: String, maxCount: Int, emptyAllowed: Bool = true) throws -> [JSONValue] {
        guard let v = optional(key) else { return [] }
        guard case .array(let items) = v else { throw ValidationError(child(key), "must be an array, found \(v.typeName)") }
        guard emptyAllowed || !items.isEmpty else { throw ValidationError(child(key), "must not be empty; leave the field out instead") }
        guard items.count <= maxCount else { throw ValidationError(child(key), "has \(items.count) items, at most \(maxCount) allowed") }
        return items
    }

    /// A non-empty array of distinct slugs, or absent.
    mutating func slugs(_ key: String, maxCount: Int) throws -> [String] {
        let items = try array(key, maxCount: maxCount, emptyAllowed: false)
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

    /// Refuses any member that was not read (the first such, in key order).
    func finish() throws {
        guard readMask.nonzeroBitCount < members.count else { return }
        let unread: Int = (0..<members.count).first(where: { readMask & (UInt64(1) << UInt64($0)) == 0 }) ?? 0
        let key: String = members.keys[unread]
        throw ValidationError(child(key), "is not a field of this schema")
    }

    /// `path` is only built for an error: validation runs on every body of every audit.
    static func string(_ v: JSONValue, path: @autoclosure () -> String, maxLength: Int, allowNewlines: Bool) throws -> String {
        guard case .string(var s) = v else { throw ValidationError(path(), "must be a string, found \(v.typeName)") }
        guard !s.isEmpty else { throw ValidationError(path(), "must not be empty") }
        // One pass over the UTF-8 bytes (the parser has already checked they are valid):
        // count scalars (non-continuation bytes) and find control characters, C0, DEL and C1
        // (U+0080-U+009F, encoded C2 80-C2 9F). Control characters could rewrite a reader's
        // terminal; only the quote may keep line breaks and tabs.
        var count = 0
        var control: UInt32?
        s.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            // Eight bytes at a time while none is suspect (< 0x20, 0x7F, or 0xC2, the lead byte
            // of C1 controls); the byte loop below settles the rest exactly.
            var i = 0
            while i + 8 <= bytes.count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if hasByteBelow(w, 0x20) || hasZeroByte(w ^ 0x7F7F_7F7F_7F7F_7F7F) || hasZeroByte(w ^ 0xC2C2_C2C2_C2C2_C2C2) { break }
                let continuation = w & 0x8080_8080_8080_8080 & ~(w << 1)
                count += 8 - continuation.nonzeroBitCount
                i += 8
            }
            var previous: UInt8 = i > 0 ? bytes[i - 1] : 0
            while i < bytes.count {
                let b = bytes[i]
                count &+= b & 0xC0 == 0x80 ? 0 : 1
                if b < 0x20 || b == 0x7F {
                    if !(allowNewlines && (b == 0x0A || b == 0x09)) { control = UInt32(b); return }
                } else if previous == 0xC2 && b <= 0x9F && b >= 0x80 {
                    control = UInt32(b); return
                }
                previous = b
                i += 1
            }
        }
        if let c = control {
            throw ValidationError(path(), "contains control character U+\(String(c, radix: 16, uppercase: true))")
        }
        guard count <= maxLength else { throw ValidationError(path(), "is \(count) characters long, at most \(maxLength) allowed") }
        return s
    }
}

/// A field-named validation failure.
public struct ValidationError: KindedError, Equatable, CustomStringConvertible {
    /// The bytes given are wrong.
    public var kind: FailureKind { .caller }

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

/// SWAR tests on eight bytes at once (Hacker's Delight §6-1).
private func hasZeroByte(_ w: UInt64) -> Bool {
    (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0
}

/// True if some byte of `w` is below `n` (n ≤ 128).
private func hasByteBelow(_ w: UInt64, _ n: UInt8) -> Bool {
    (w &- 0x0101_0101_0101_0101 &* UInt64(n)) & ~w & 0x8080_8080_8080_8080 != 0
}
