import LedgerCrypto

extension Entry {
    /// Decodes stored leaf bytes by position, for audits that decode every leaf in the log.
    ///
    /// A canonical leaf has one fixed layout (members in RFC 8785 order, values that need no
    /// escape), so each field is read straight from the bytes and checked to be in the only form
    /// `leaf` writes: lowercase hex, a decimal without leading zeros, canonical base64, a signer
    /// slug, a millisecond UTC time. Anything else gives nil, and callers use `init(leaf:)` to
    /// learn what is wrong. Tests check both decoders agree byte by byte.
    public static func decodeCanonical(_ leaf: [UInt8]) -> Entry? {
        var c = LeafCursor(bytes: leaf)
        guard c.expect(#"{"body_sha256":""#), let body = c.digest(),
              c.expect(#"","kind":""#), let kind = c.kind(),
              c.expect(#"","prev":""#), let prev = c.digest(),
              c.expect(#"","seq":"#), let seq = c.integer(),
              c.expect(#","sig":""#), let sig = c.signature(),
              c.expect(#"","signer":""#), let signer = c.signer(),
              c.expect(#"","time":""#), let time = c.time(),
              c.expect(#"","v":"#), c.integer() == Entry.version, c.expect("}"), c.atEnd
        else { return nil }
        return Entry(seq: seq, time: time, kind: kind, bodySHA256: body, signer: signer, signature: sig, prev: prev)
    }
}

/// A forward-only reader over leaf bytes.
private struct LeafCursor {
    let bytes: [UInt8]
    var position = 0

    var atEnd: Bool { position == bytes.count }

    mutating func expect(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { lit in
            var i = 0
            while i < count, bytes[position + i] == lit[i] { i += 1 }
            return i == count
        }
        if matches { position += count }
        return matches
    }

    /// 64 lowercase hex digits.
    mutating func digest() -> Digest? {
        guard position + 64 <= bytes.count else { return nil }
        var raw = [UInt8](repeating: 0, count: 32)
        for i in 0..<32 {
            guard let hi = nibble(bytes[position + 2 * i]), let lo = nibble(bytes[position + 2 * i + 1]) else { return nil }
            raw[i] = hi << 4 | lo
        }
        position += 64
        return Digest(bytes: raw)
    }

    private func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    mutating func kind() -> EntryKind? {
        guard let end = quote() else { return nil }
        defer { position = end }
        return EntryKind(rawValue: String(decoding: bytes[position..<end], as: UTF8.self))
    }

    /// A non-negative decimal without leading zeros, at most 2^53 − 1 (as JSON allows).
    mutating func integer() -> Int64? {
        let start = position
        var value: Int64 = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]), position - start < 16 {
            value = value * 10 + Int64(bytes[position] - 0x30)
            position += 1
        }
        guard position > start, bytes[start] != 0x30 || position == start + 1, value <= JSONValue.maxSafeInteger else { return nil }
        return value
    }

    /// 88 characters of canonical base64 holding a 64-byte signature.
    mutating func signature() -> [UInt8]? {
        guard position + 88 <= bytes.count, let sig = Base64.decode(bytes: bytes[position..<position + 88]), sig.count == 64 else { return nil }
        position += 88
        return sig
    }

    mutating func signer() -> String? {
        guard let end = quote() else { return nil }
        defer { position = end }
        let name = String(decoding: bytes[position..<end], as: UTF8.self)
        return SignerName.isValid(name) ? name : nil
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`; the parser checks every digit's place and range, so the text
    /// is exactly what `Timestamp.description` writes.
    mutating func time() -> Timestamp? {
        guard position + 24 <= bytes.count else { return nil }
        defer { position += 24 }
        return Timestamp(String(decoding: bytes[position..<position + 24], as: UTF8.self), millisecondsRequired: true)
    }

    /// The index of the next quote.
    private func quote() -> Int? { bytes[position...].firstIndex(of: UInt8(ascii: "\"")) }
}
