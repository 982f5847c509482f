/// What a source serves for mirrors: C2SP tlog-tiles entry bundles and static body bundles
/// (docs/FORMAT.md §22), and the bodies stream of `GET /v1/bodies` (§24). Both are untrusted; a short, long or
/// mis-framed answer is refused here, before anything is decoded.
public enum EntryBundle {
    public struct FramingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The leaves of an entry bundle: each a big-endian uint16 length, then that many bytes.
    public static func leaves(_ bytes: [UInt8], expected: Int) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(expected)
        var i = 0
        while i < bytes.count {
            guard i + 2 <= bytes.count else { throw FramingError(description: "entry bundle truncated in the length of leaf \(out.count)") }
            let length = Int(bytes[i]) << 8 | Int(bytes[i + 1])
            i += 2
            guard length > 0, i + length <= bytes.count else {
                throw FramingError(description: "entry bundle truncated in leaf \(out.count) (length \(length), \(bytes.count - i) bytes left)")
            }
            out.append(Array(bytes[i..<(i + length)]))
            i += length
        }
        guard out.count == expected else { throw FramingError(description: "entry bundle holds \(out.count) leaves, expected \(expected)") }
        return out
    }

    /// A static body bundle (`bodies/<N>`, §22): each body as a big-endian uint32 length and its
    /// bytes, a withheld body (nil) as length 0.
    public static func bodyBundle(_ bodies: [[UInt8]?]) -> [UInt8] {
        var out: [UInt8] = []
        for body in bodies {
            let n = UInt32(body?.count ?? 0)
            out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += body ?? []
        }
        return out
    }

    /// The bodies of a static body bundle, nil where withheld; exactly `expected` of them.
    public static func bodies(bundle bytes: [UInt8], expected: Int) throws -> [[UInt8]?] {
        var out: [[UInt8]?] = []
        out.reserveCapacity(expected)
        var i = 0
        while i < bytes.count {
            guard bytes.count - i >= 4 else { throw FramingError(description: "body bundle truncated in the length of body \(out.count)") }
            let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            i += 4
            guard length <= bytes.count - i else {
                throw FramingError(description: "body bundle truncated in body \(out.count) (length \(length), \(bytes.count - i) bytes left)")
            }
            out.append(length == 0 ? nil : Array(bytes[i..<(i + length)]))
            i += length
        }
        guard out.count == expected else { throw FramingError(description: "body bundle holds \(out.count) bodies, expected \(expected)") }
        return out
    }

    /// The bodies stream: one line per entry, its canonical body, or an empty line when withheld.
    public static func bodies(_ bytes: [UInt8], expected: Int) throws -> [[UInt8]?] {
        var out: [[UInt8]?] = []
        out.reserveCapacity(expected)
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            out.append(i == start ? nil : Array(bytes[start..<i]))
            start = i + 1
        }
        guard start == bytes.count else { throw FramingError(description: "the bodies stream does not end with a newline (truncated?)") }
        guard out.count == expected else { throw FramingError(description: "the bodies stream holds \(out.count) lines, expected \(expected)") }
        return out
    }
}
