/// Reading what a source serves for mirrors: C2SP tlog-tiles entry bundles (docs/FORMAT.md §22)
/// and the bodies stream of `GET /v1/bodies` (§24). Both are untrusted; a short, long or
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
