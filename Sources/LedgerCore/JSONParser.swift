import LedgerCrypto

/// A strict RFC 8259 parser for the documents we sign: it refuses invalid UTF-8, lone surrogates,
/// duplicate keys, floats and integers beyond ±(2^53−1), and anything after the value.
/// Errors name the path of the offending field.
public struct JSONParser {
    public static let maxDepth = 32

    // The input, borrowed for the parse: unchecked pointer reads instead of array accesses.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var pos = 0
    /// Where the parser is, for error messages: member names and array positions.
    private var path: [PathPart] = []
    private enum PathPart { case key(String), index(Int) }
    /// Cleared at the first spelling that RFC 8785 would write differently (whitespace, key
    /// order, an unneeded escape, `-0`), so stored documents are checked without re-encoding.
    private var isCanonical = true

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try parseCheckingCanonical(bytes).value
    }

    /// Parses like `parse` and also tells whether `bytes` are exactly the RFC 8785 canonical
    /// encoding of the value (`CanonicalJSON.encode(value) == bytes`), in the same pass.
    public static func parseCheckingCanonical(_ input: [UInt8]) throws -> (value: JSONValue, isCanonical: Bool) {
        try input.withUnsafeBufferPointer { try parse(buffer: $0) }
    }

    private static func parse(buffer bytes: UnsafeBufferPointer<UInt8>) throws -> (value: JSONValue, isCanonical: Bool) {
        var parser = JSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw JSONError(path: "", "the document starts with a byte-order mark; send plain UTF-8")
        }
        parser.skipWhitespace()
        guard parser.pos < bytes.count else { throw JSONError(path: "", "the document is empty") }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.pos == bytes.count else {
            throw JSONError(path: "", "unexpected data after the JSON value at byte \(parser.pos)")
        }
        return (value, parser.isCanonical)
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private var pathString: String {
        var out = ""
        for part in path {
            switch part {
            case .index(let i): out += "[\(i)]"
            case .key(let key): out += out.isEmpty ? key : "." + key
            }
        }
        return out
    }

    private func fail(_ message: String) -> JSONError { JSONError(path: pathString, message) }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1; isCanonical = false
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth <= JSONParser.maxDepth else { throw fail("nested deeper than \(JSONParser.maxDepth) levels") }
        guard pos < bytes.count else { throw fail("the document ends in the middle of a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character '\(printable(bytes[pos]))' at byte \(pos)")
        }
    }

    private func printable(_ b: UInt8) -> String {
        (0x21...0x7e).contains(b) ? String(UnicodeScalar(b)) : "0x" + Hex.encodeByte(b)
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let matches = pos + count <= bytes.count && word.withUTF8Buffer { w in
            w.indices.allSatisfy { bytes[pos + $0] == w[$0] }
        }
        guard matches else { throw fail("invalid literal at byte \(pos)") }
        pos += count
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        pos += 1
        var keys: [String] = [], values: [JSONValue] = []
        // Statements have up to ~16 members: one allocation each instead of five regrowths.
        keys.reserveCapacity(16)
        values.reserveCapacity(16)
        var inOrder = true
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(JSONObject(sortedKeys: [], values: [])) }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a quoted key at byte \(pos)") }
            let key = try parseString()
            if inOrder, let previous = keys.last, !JSONObject.precedes(previous, key) { inOrder = false }
            path.append(.key(key))
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':' at byte \(pos)") }
            pos += 1
            skipWhitespace()
            keys.append(key)
            values.append(try parseValue(depth: depth + 1))
            path.removeLast()
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the document ends inside an object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("expected ',' or '}' at byte \(pos)")
        }
        // Canonical input arrives sorted; anything else is sorted here, where a duplicate key
        // (same code units) shows up next to its twin.
        if inOrder { return .object(JSONObject(sortedKeys: keys, values: values)) }
        isCanonical = false
        let order = keys.indices.sorted { JSONObject.precedes(keys[$0], keys[$1]) }
        for (a, b) in zip(order, order.dropFirst()) where keys[a].utf8.elementsEqual(keys[b].utf8) {
            path.append(.key(keys[b]))
            throw fail("duplicate key")
        }
        return .object(JSONObject(sortedKeys: order.map { keys[$0] }, values: order.map { values[$0] }))
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            skipWhitespace()
            path.append(.index(items.count))
            items.append(try parseValue(depth: depth + 1))
            path.removeLast()
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the document ends inside an array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw fail("expected ',' or ']' at byte \(pos)")
        }
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") { negative = true; pos += 1 }
        if negative, pos < bytes.count, bytes[pos] == UInt8(ascii: "0") { isCanonical = false }  // -0
        guard pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) else {
            throw fail("invalid number at byte \(start)")
        }
        if bytes[pos] == UInt8(ascii: "0"), pos + 1 < bytes.count,
           (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos + 1]) {
            throw fail("numbers must not have leading zeros")
        }
        var magnitude: Int64 = 0
        var overflow = false
        while pos < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) {
            if !overflow {
                let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (m2, o2) = m1.addingReportingOverflow(Int64(bytes[pos] - UInt8(ascii: "0")))
                overflow = o1 || o2
                magnitude = m2
            }
            pos += 1
        }
        if pos < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[pos]) {
            throw fail("floating-point numbers are not allowed; use an integer")
        }
        guard !overflow, magnitude <= JSONValue.maxSafeInteger else {
            throw fail("integer out of range (at most ±9007199254740991)")
        }
        return .integer(negative ? -magnitude : magnitude)
    }

    private mutating func parseString() throws -> String {
        pos += 1  // opening quote
        // Fast path: a string without escapes becomes a String straight from the input bytes.
        let start = pos
        if let base = bytes.baseAddress {
            // Plain ASCII eight bytes at a time: no quote, backslash, control or non-ASCII byte.
            while pos + 8 <= bytes.count {
                let w = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
                let special = (w & 0x8080_8080_8080_8080) | byteBelow(w, 0x20) | zeroByte(w ^ 0x2222_2222_2222_2222)
                    | zeroByte(w ^ 0x5C5C_5C5C_5C5C_5C5C)
                if special != 0 { break }
                pos += 8
            }
        }
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return String(decoding: bytes[start..<pos - 1], as: UTF8.self)
            }
            if b < 0x20 || b == UInt8(ascii: "\\") { break }
            if b < 0x80 { pos += 1 } else { try skipUTF8Scalar() }
        }
        var out = Array(bytes[start..<pos])
        while true {
            guard pos < bytes.count else { throw fail("unterminated string") }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; break }
            if b < 0x20 { throw fail("control character 0x\(Hex.encodeByte(b)) inside a string must be escaped") }
            if b == UInt8(ascii: "\\") {
                try parseEscape(into: &out)
                continue
            }
            if b < 0x80 { out.append(b); pos += 1; continue }
            try copyUTF8Scalar(into: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws {
        guard pos + 1 < bytes.count else { throw fail("unterminated escape") }
        let c = bytes[pos + 1]
        pos += 2
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F); isCanonical = false
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            // RFC 8785 writes \u only for control characters without a short escape, in lowercase hex.
            if isCanonical, !bytes[pos..<min(pos + 4, bytes.count)].allSatisfy({ !(0x41...0x46).contains($0) }) { isCanonical = false }
            var scalar = try hex4()
            if scalar >= 0x20 || [0x08, 0x09, 0x0A, 0x0C, 0x0D].contains(scalar) { isCanonical = false }
            if (0xD800...0xDBFF).contains(scalar) {
                guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
                }
                pos += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("invalid surrogate pair in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw fail("lone surrogate \\u\(String(scalar, radix: 16)) in a string")
            }
            guard let u = Unicode.Scalar(scalar) else { throw fail("invalid \\u escape") }
            out.append(contentsOf: Array(String(Character(u)).utf8))
        default:
            throw fail("invalid escape '\\\(printable(c))'")
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<pos + 4], as: UTF8.self), radix: 16),
              bytes[pos..<pos + 4].allSatisfy({ Hex.isHexDigit($0) }) else {
            throw fail("\\u must be followed by four hex digits")
        }
        pos += 4
        return v
    }

    /// Copies one multi-byte UTF-8 sequence (see `skipUTF8Scalar`).
    private mutating func copyUTF8Scalar(into out: inout [UInt8]) throws {
        let start = pos
        try skipUTF8Scalar()
        out.append(contentsOf: bytes[start..<pos])
    }

    /// Steps over one multi-byte UTF-8 sequence, refusing overlong forms, surrogates and values past U+10FFFF.
    private mutating func skipUTF8Scalar() throws {
        let b0 = bytes[pos]
        let length: Int
        var lowest: UInt32
        var scalar: UInt32
        switch b0 {
        case 0xC2...0xDF: length = 2; scalar = UInt32(b0 & 0x1F); lowest = 0x80
        case 0xE0...0xEF: length = 3; scalar = UInt32(b0 & 0x0F); lowest = 0x800
        case 0xF0...0xF4: length = 4; scalar = UInt32(b0 & 0x07); lowest = 0x10000
        default: throw JSONError(path: pathString, "invalid UTF-8 at byte \(pos)")
        }
        guard pos + length <= bytes.count else { throw fail("invalid UTF-8 at byte \(pos) (truncated sequence)") }
        for i in 1..<length {
            let b = bytes[pos + i]
            guard b & 0xC0 == 0x80 else { throw fail("invalid UTF-8 at byte \(pos)") }
            scalar = scalar << 6 | UInt32(b & 0x3F)
        }
        guard scalar >= lowest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
            throw fail("invalid UTF-8 at byte \(pos)")
        }
        pos += length
    }
}

/// SWAR byte tests (Hacker's Delight §6-1): a nonzero result iff some byte of `w` is zero / below `n`.
@inline(__always) private func zeroByte(_ w: UInt64) -> UInt64 {
    (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
}

@inline(__always) private func byteBelow(_ w: UInt64, _ n: UInt8) -> UInt64 {
    (w &- 0x0101_0101_0101_0101 &* UInt64(n)) & ~w & 0x8080_8080_8080_8080
}

extension Hex {
    static func encodeByte(_ b: UInt8) -> String { encode([b]) }
    static func isHexDigit(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x46).contains(c) || (0x61...0x66).contains(c)
    }
}
