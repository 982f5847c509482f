import LedgerCrypto

extension Entry {
    /// Decodes stored leaf bytes by position, for audits that decode every leaf in the log.
    ///
    /// A canonical leaf has one fixed layout (members in RFC 8785 order, no escapes), so the
    /// fields can be sliced out without building a JSON tree. The result is accepted only if
    /// re-encoding it gives back exactly `leaf`, which makes this as strict as `init(leaf:)`;
    /// on nil, callers use `init(leaf:)` to learn what is wrong.
    public static func decodeCanonical(_ leaf: [UInt8]) -> Entry? {
        var cursor = LeafCursor(bytes: leaf)
        guard cursor.expect(#"{"body_sha256":""#), let body = cursor.stringValue().flatMap(Entry.digest),
              cursor.expect(#","kind":""#), let kindText = cursor.stringValue(), let kind = EntryKind(rawValue: kindText),
              cursor.expect(#","prev":""#), let prev = cursor.stringValue().flatMap(Entry.digest),
              cursor.expect(#","seq":"#), let seq = cursor.integerValue(),
              cursor.expect(#","sig":""#), let sigText = cursor.stringValue(), let sig = Base64.decode(sigText), sig.count == 64,
              cursor.expect(#","signer":""#), let signer = cursor.stringValue(), SignerName.isValid(signer),
              cursor.expect(#","time":""#), let timeText = cursor.stringValue(),
              let time = Timestamp(timeText, millisecondsRequired: true),
              cursor.expect(#","v":"#), cursor.integerValue() == Entry.version, cursor.expect("}"), cursor.atEnd
        else { return nil }
        let entry = Entry(seq: seq, time: time, kind: kind, bodySHA256: body, signer: signer, signature: sig, prev: prev)
        return entry.leaf == leaf ? entry : nil
    }

    private static func digest(_ text: String) -> Digest? {
        Hex.isLowercaseDigest(text) ? Digest(hex: text) : nil
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

    /// The characters up to the next quote, consuming the quote. Escapes are not interpreted: a
    /// value that needs them fails the final re-encoding comparison.
    mutating func stringValue() -> String? {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        defer { position = end + 1 }
        return String(decoding: bytes[position..<end], as: UTF8.self)
    }

    mutating func integerValue() -> Int64? {
        var value: Int64 = 0
        let start = position
        while position < bytes.count, (0x30...0x39).contains(bytes[position]), position - start < 18 {
            value = value * 10 + Int64(bytes[position] - 0x30)
            position += 1
        }
        return position > start ? value : nil
    }
}
