/// Where a member named by a validation path (`figures[2].share_bp`) stands in the raw JSON a
/// person wrote, so `statement check` can point at the line and column of each mistake.
/// Reads the bytes once, skipping whatever is not on the path; never traps on bad input.
public enum JSONLocator {
    enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    /// 1-based line and column (in Unicode scalars) of the value at `path`, or, when that member
    /// is absent (a required field left out), of the nearest enclosing value that is present.
    /// Nil only for empty input. Costs one pass over the bytes up to the value.
    public static func position(of path: String, in bytes: [UInt8]) -> (line: Int, column: Int)? {
        var offset = skipSpace(bytes, 0)
        guard offset < bytes.count else { return nil }
        for step in steps(path) {
            guard let next = child(bytes, at: offset, step) else { break }
            offset = next
        }
        return lineColumn(bytes, offset)
    }

    /// `a.b[2].c` → key a, key b, index 2, key c.
    static func steps(_ path: String) -> [Step] {
        var out: [Step] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let n = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) else { break }
                indexes.insert(n, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { out.append(.key(String(name))) }
            out += indexes.map(Step.index)
        }
        return out
    }

    /// The offset of the member `step` of the object or array starting at `offset`.
    static func child(_ b: [UInt8], at offset: Int, _ step: Step) -> Int? {
        guard offset < b.count else { return nil }
        switch (b[offset], step) {
        case (UInt8(ascii: "{"), .key(let key)):
            var i = skipSpace(b, offset + 1)
            while i < b.count, b[i] == UInt8(ascii: "\"") {
                let end = skipString(b, i)
                let name = String(decoding: b[(i + 1)..<max(i + 1, end - 1)], as: UTF8.self)
                i = skipSpace(b, end)
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                let value = skipSpace(b, i + 1)
                if name == key { return value }
                i = skipSpace(b, skipValue(b, value))
                guard i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
                i = skipSpace(b, i + 1)
            }
            return nil
        case (UInt8(ascii: "["), .index(let n)):
            var i = skipSpace(b, offset + 1)
            var k = 0
            while i < b.count, b[i] != UInt8(ascii: "]") {
                if k == n { return i }
                i = skipSpace(b, skipValue(b, i))
                guard i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
                i = skipSpace(b, i + 1)
                k += 1
            }
            return nil
        default:
            return nil
        }
    }

    static func skipSpace(_ b: [UInt8], _ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        return i
    }

    /// The offset after the string starting at `start` (a `"`).
    static func skipString(_ b: [UInt8], _ start: Int) -> Int {
        var i = start + 1
        while i < b.count {
            if b[i] == UInt8(ascii: "\\") { i += 2; continue }
            if b[i] == UInt8(ascii: "\"") { return i + 1 }
            i += 1
        }
        return b.count
    }

    /// The offset after the value starting at `start`.
    static func skipValue(_ b: [UInt8], _ start: Int) -> Int {
        guard start < b.count else { return b.count }
        switch b[start] {
        case UInt8(ascii: "\""):
            return skipString(b, start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0, i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""): i = skipString(b, i); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default: break
                }
                i += 1
            }
            return b.count
        default:
            var i = start
            while i < b.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 }
            return i
        }
    }

    static func lineColumn(_ b: [UInt8], _ offset: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in b[..<min(offset, b.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
