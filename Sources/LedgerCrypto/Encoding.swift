/// Lowercase hex, as every digest appears in our JSON.
public enum Hex {
    @usableFromInline static let digits = Array("0123456789abcdef".utf8)

    // Inlinable so callers in other modules get a specialised copy, not the generic path.
    @inlinable
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); nil on odd length or a non-hex character.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var i = 0
        while i < utf8.count {
            guard let hi = nibble(utf8[i]), let lo = nibble(utf8[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// True for exactly 64 lowercase hex digits: the only form a digest takes in our formats.
    public static func isLowercaseDigest(_ text: String) -> Bool {
        let utf8 = text.utf8
        return utf8.count == 64 && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

/// Standard base64 with padding (RFC 4648 §4), strict on decode: no whitespace, canonical padding.
public enum Base64 {
    @usableFromInline static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int16] = {
        var table = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int16(i) }
        return table
    }()

    @inlinable
    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the padded standard base64 of `bytes` to `out`, four characters at a time without
    /// a temporary array for each. Reserves nothing: callers size `out` for the whole document
    /// (reserving here, an exact size each time, would defeat the array's doubling).
    @inlinable
    public static func append<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        let input = Array(bytes)
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest == 1 {
            let n = UInt32(input[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(0x3d)
            out.append(0x3d)
        } else if rest == 2 {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(0x3d)
        }
    }

    /// Decodes padded standard base64; nil if the text is not in canonical form
    /// (so one value has exactly one encoding, which matters for signed bytes).
    public static func decode(_ text: String) -> [UInt8]? {
        decode(bytes: Array(text.utf8)[...])
    }

    /// `decode` over the base64 text's bytes.
    public static func decode(bytes utf8: ArraySlice<UInt8>) -> [UInt8]? {
        guard utf8.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 4 * 3)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let isLast = i + 4 == utf8.endIndex
            var n: UInt32 = 0
            var pad = 0
            for j in 0..<4 {
                let c = utf8[i + j]
                n <<= 6
                if c == 0x3d {
                    guard isLast, j >= 2 else { return nil }
                    pad += 1
                    continue
                }
                guard pad == 0 else { return nil }
                let v = reverse[Int(c)]
                guard v >= 0 else { return nil }
                n |= UInt32(v)
            }
            out.append(UInt8(n >> 16 & 0xff))
            if pad < 2 { out.append(UInt8(n >> 8 & 0xff)) }
            if pad < 1 { out.append(UInt8(n & 0xff)) }
            // Non-canonical: bits beyond the last byte must be zero.
            if pad == 2 && n & 0xffff != 0 { return nil }
            if pad == 1 && n & 0xff != 0 { return nil }
            i += 4
        }
        return out
    }
}
