import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// A valid statement as a mutable JSON dictionary, for building good and bad variants.
func sampleStatement(platform: String = "telegram", quote: String = "we have disclosed 0 bytes") -> [String: Any] {
    [
        "schema": "disclosure-statement/v1", "platform": platform, "category": "third-party-sharing",
        "recipients": ["third-parties", "governments"], "data_kinds": ["any-user-data"],
        "quantities": [["unit": "bytes", "value": 0]], "effective_date": "2019-03-14",
        "period": ["start": "2013-08-14", "end": "2019-03-14"],
        "source": ["url": "https://telegram.org/faq", "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32)],
        "quote": quote, "language": "en",
    ]
}

func jsonBytes(_ object: Any) -> [UInt8] {
    [UInt8](try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

final class StatementTests: XCTestCase {
    func testValidStatementParsesAndCanonicalises() throws {
        let body = try Body(parsing: jsonBytes(sampleStatement()))
        let s = try XCTUnwrap(body.statement)
        XCTAssertEqual(s.platform, "telegram")
        XCTAssertEqual(s.category, .thirdPartySharing)
        XCTAssertEqual(s.figures.map(\.measure), [.bytesDisclosed]); XCTAssertEqual(s.figures.map(\.value), [.count(0)])
        XCTAssertEqual(body.sha256, SHA256.hash(body.canonical))
        // Any spelling of the same document gives the same canonical bytes and digest.
        let pretty = [UInt8](try JSONSerialization.data(withJSONObject: sampleStatement(), options: [.prettyPrinted]))
        XCTAssertEqual(try Body(parsing: pretty).canonical, body.canonical)
        XCTAssertNoThrow(try Body(stored: body.canonical))
        XCTAssertThrowsError(try Body(stored: pretty)) { XCTAssertEqual($0 as? BodyError, .notCanonical) }
    }

    func testEveryBadFieldIsNamed() throws {
        func expect(_ field: String, _ change: (inout [String: Any]) -> Void, line: UInt = #line) {
            var doc = sampleStatement()
            change(&doc)
            XCTAssertThrowsError(try Body(parsing: jsonBytes(doc)), line: line) { error in
                XCTAssertTrue("\(error)".hasPrefix(field + ":") || "\(error)".contains(" \(field):"), "expected \(field), got \(error)", line: line)
            }
        }
        expect("schema") { $0["schema"] = "disclosure-statement/v3" }
        expect("schema") { $0["schema"] = nil }
        expect("platform") { $0["platform"] = "Telegram" }
        expect("platform") { $0["platform"] = nil }
        expect("category") { $0["category"] = "gossip" }
        expect("recipients[1]") { $0["recipients"] = ["governments", "governments"] }
        expect("recipients") { $0["recipients"] = "governments" }
        expect("quantities[0].unit") { $0["quantities"] = [["unit": "kilobytes", "value": 1]] }
        expect("quantities[0].value") { $0["quantities"] = [["unit": "bytes", "value": -1]] }
        expect("quantities[0].value") { $0["quantities"] = [["unit": "bytes", "value": "0"]] }
        expect("quantities[0].extra") { $0["quantities"] = [["unit": "bytes", "value": 0, "extra": 1]] }
        expect("effective_date") { $0["effective_date"] = "2019-02-30" }
        expect("effective_date") { $0["effective_date"] = "14/03/2019" }
        expect("period.end") { $0["period"] = ["start": "2019-03-14", "end": "2019-03-13"] }
        expect("source.url") { $0["source"] = ["url": "ftp://x", "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32)] }
        for bad in ["http:/x.org", "https//x.org", "https:///x", "https://", "hxtps://x.org", "https://x .org", "https://x\u{a0}.org", "HTTPS;//x.org"] {
            expect("source.url") { $0["source"] = ["url": bad, "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32)] }
        }
        for good in ["https://x.org", "HTTP://X.ORG/a", "hTtPs://telegram.org/faq?x=1", "http://例え.jp/パス"] {
            var doc = sampleStatement()
            doc["source"] = ["url": good, "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32)]
            XCTAssertNoThrow(try Body(parsing: jsonBytes(doc)), good)
        }
        expect("source.url") { $0["source"] = ["retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32)] }
        expect("source.retrieved_at") { $0["source"] = ["url": "https://x.org", "retrieved_at": "2019-03-14 12:00", "sha256": String(repeating: "ab", count: 32)] }
        expect("source.sha256") { $0["source"] = ["url": "https://x.org", "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "AB", count: 32)] }
        expect("quote") { $0["quote"] = "" }
        expect("quote") { $0["quote"] = "bell\u{07}" }
        expect("summary") { $0["summary"] = "two\nlines" }
        expect("language") { $0["language"] = "Italian" }
        for bad in ["EN", "e", "en-", "-en", "en--us", "abcd", "en-abcdefghi", "en_US", "é"] { expect("language") { $0["language"] = bad } }
        for good in ["en", "it", "pt-BR", "zh-Hant-TW", "sgn-1"] {
            var doc = sampleStatement()
            doc["language"] = good
            XCTAssertNoThrow(try Body(parsing: jsonBytes(doc)), good)
        }
        expect("supersedes.kind") { $0["supersedes"] = ["seq": 1, "leaf_hash": String(repeating: "ab", count: 32), "kind": "deletion"] }
        // null is not "absent": it would give one statement a second digest (and a way past replay checks).
        expect("summary") { $0["summary"] = NSNull() }
        expect("source.title") { $0["source"] = ["url": "https://x.org", "retrieved_at": "2019-03-14T12:00:00Z", "sha256": String(repeating: "ab", count: 32), "title": NSNull()] }
        expect("colour") { $0["colour"] = "blue" }
    }

    func testFloatsOversizeAndInvalidUTF8AreRefused() throws {
        var text = String(decoding: jsonBytes(sampleStatement()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"value\":0", with: "\"value\":0.0")
        XCTAssertThrowsError(try Body(parsing: Array(text.utf8))) { XCTAssertTrue("\($0)".contains("quantities[0].value: floating-point"), "\($0)") }

        let big = sampleStatement(quote: String(repeating: "x", count: 16_000))
        var huge = big
        huge["summary"] = String(repeating: "y", count: 400)
        huge["recipients"] = (0..<32).map { "recipient-\($0)-" + String(repeating: "r", count: 40) }
        huge["data_kinds"] = (0..<32).map { "kind-\($0)-" + String(repeating: "k", count: 40) }
        huge["quantities"] = (0..<64).map { ["unit": "bytes", "value": $0, "recipient": "r-\($0)-" + String(repeating: "q", count: 50), "data_kind": "d-\($0)-" + String(repeating: "q", count: 50)] }
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: huge, options: [.prettyPrinted])) + [UInt8](repeating: 0x20, count: 60_000)
        XCTAssertGreaterThan(bytes.count, Body.maxBytes)
        XCTAssertThrowsError(try Body(parsing: bytes)) { XCTAssertTrue("\($0)".contains("at most 65536"), "\($0)") }

        var raw = jsonBytes(sampleStatement())
        let q = try XCTUnwrap(raw.firstIndex(of: UInt8(ascii: "0")))
        raw.insert(contentsOf: [0xC3], at: q)
        XCTAssertThrowsError(try Body(parsing: raw))
    }

    func testSignerAndWithholdDocuments() throws {
        let key = try Ed25519PrivateKey.generate()
        let event = SignerEvent(action: .add, name: "alice", publicKey: key.publicKey.raw)
        let body = try Body(value: event.json)
        XCTAssertEqual(body.kind, .signer)
        XCTAssertEqual(body.document, .signer(event))
        XCTAssertThrowsError(try Body(value: SignerEvent(action: .add, name: "Alice!", publicKey: key.publicKey.raw).json)) {
            XCTAssertTrue("\($0)".hasPrefix("name:"))
        }
        let notice = WithholdNotice(seq: 3, bodySHA256: body.sha256, reason: "court order 123")
        XCTAssertEqual(try Body(value: notice.json).document, .withhold(notice))
    }

    func testEntryLeafRoundTripAndRefusals() throws {
        let key = try Ed25519PrivateKey.generate()
        let body = try Body(parsing: jsonBytes(sampleStatement()))
        let sig = try key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256))
        let entry = Entry(seq: 7, time: Timestamp(millis: 1_732_500_000_123), kind: .statement, bodySHA256: body.sha256,
                          signer: "alice", signature: sig, prev: SHA256.hash(Array("x".utf8)))
        let leaf = entry.leaf
        XCTAssertEqual(leaf, CanonicalJSON.encode(entry.json), "the direct leaf writer is RFC 8785")
        XCTAssertEqual(try Entry(leaf: leaf), entry)
        XCTAssertTrue(String(decoding: leaf, as: UTF8.self).hasPrefix(#"{"body_sha256":""#))
        XCTAssertTrue(String(decoding: leaf, as: UTF8.self).contains(#""time":"2024-11-25T02:00:00.123Z""#))
        // Non-canonical spellings of the same entry are refused: one entry, one leaf hash.
        let spaced = Array(String(decoding: leaf, as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        XCTAssertThrowsError(try Entry(leaf: spaced)) { XCTAssertEqual($0 as? EntryError, .notCanonical) }
        let unknownKind = Array(String(decoding: leaf, as: UTF8.self).replacingOccurrences(of: "\"statement\"", with: "\"gossip\"").utf8)
        XCTAssertThrowsError(try Entry(leaf: unknownKind))
        // The audit's positional decoder agrees: the canonical leaf decodes, every variant is nil.
        XCTAssertEqual(Entry.decodeCanonical(leaf), entry)
        let text = String(decoding: leaf, as: UTF8.self)
        for variant in [spaced, unknownKind, Array(text.replacingOccurrences(of: "\"seq\":7", with: "\"seq\":07").utf8),
                        Array(text.replacingOccurrences(of: "\"v\":1", with: "\"v\":2").utf8), Array((text + " ").utf8),
                        Array(text.replacingOccurrences(of: "\"signer\":\"alice\"", with: "\"signer\":\"Alice\"").utf8),
                        Array(text.replacingOccurrences(of: ".123Z", with: "Z").utf8), Array(leaf.dropLast())] {
            XCTAssertNil(Entry.decodeCanonical(variant), String(decoding: variant, as: UTF8.self))
        }
        // Byte by byte, the positional decoder accepts exactly what the strict one accepts, and
        // decodes it to the same entry: every position, replaced by bytes of every class.
        for leafUnderTest in [leaf, Entry(seq: 0, time: Timestamp(millis: 0), kind: .signer, bodySHA256: body.sha256,
                                          signer: "log", signature: sig, prev: .zero).leaf] {
            for i in leafUnderTest.indices {
                for replacement: UInt8 in [0x30, 0x39, 0x61, 0x66, 0x41, 0x2B, 0x3D, 0x22, 0x5C, 0x20, 0x7A, 0xC3] where replacement != leafUnderTest[i] {
                    var mutated = leafUnderTest
                    mutated[i] = replacement
                    let strict = try? Entry(leaf: mutated)
                    XCTAssertEqual(Entry.decodeCanonical(mutated), strict, "byte \(i) -> \(replacement): \(String(decoding: mutated, as: UTF8.self))")
                }
            }
        }
        XCTAssertTrue(key.publicKey.verify(signature: entry.signature, message: EntryKind.statement.signedMessage(bodySHA256: body.sha256)))
        XCTAssertFalse(key.publicKey.verify(signature: entry.signature, message: EntryKind.signer.signedMessage(bodySHA256: body.sha256)),
                       "a statement signature is not valid for another kind (domain separation)")
    }

    /// Control characters and lengths are found at every offset (the check reads 8 bytes at a time).
    func testControlCharactersAndLengthsAtEveryOffset() throws {
        func summary(_ text: String) throws -> Body {
            var doc = sampleStatement()
            doc["summary"] = text
            return try Body(parsing: jsonBytes(doc))
        }
        for k in 0..<20 {
            for (control, name) in [("\u{85}", "U+85"), ("\u{7f}", "U+7F"), ("\t", "U+9"), ("\u{01}", "U+1")] {
                XCTAssertThrowsError(try summary(String(repeating: "a", count: k) + control + "bc")) {
                    XCTAssertTrue("\($0)".contains("summary: contains control character \(name)"), "\(k): \($0)")
                }
            }
            XCTAssertNoThrow(try summary(String(repeating: "é", count: k) + "\u{a0}\u{c2}\u{bf}x"), "C2 A0 and C2 BF are not controls")
        }
        XCTAssertNoThrow(try summary(String(repeating: "é", count: 500)))
        XCTAssertNoThrow(try summary(String(repeating: "😀", count: 500)))
        XCTAssertThrowsError(try summary(String(repeating: "é", count: 499) + "ab")) {
            XCTAssertTrue("\($0)".contains("summary: is 501 characters long, at most 500 allowed"), "\($0)")
        }
        var doc = sampleStatement(quote: "line one\nline two\ttabbed")
        XCTAssertNoThrow(try Body(parsing: jsonBytes(doc)), "the quote keeps line breaks and tabs")
        doc["quote"] = "line one\rline two"
        XCTAssertThrowsError(try Body(parsing: jsonBytes(doc)))
    }

    func testTimestampsAndDates() {
        XCTAssertEqual(Timestamp("2019-03-14T12:00:00Z")?.secondsText, "2019-03-14T12:00:00Z")
        XCTAssertEqual(Timestamp("2024-02-29T23:59:59.999Z", millisecondsRequired: true)?.description, "2024-02-29T23:59:59.999Z")
        XCTAssertNil(Timestamp("2023-02-29T00:00:00Z"))
        XCTAssertNil(Timestamp("2019-03-14T24:00:00Z"))
        XCTAssertNil(Timestamp("2019-03-14T12:00:00+01:00"))
        XCTAssertEqual(Timestamp(millis: 0).description, "1970-01-01T00:00:00.000Z")
        XCTAssertNotNil(CalendarDate("2000-02-29"))
        XCTAssertNil(CalendarDate("1900-02-29"))
    }

    func testKeyHistoryReplaysAddsAndRevocations() throws {
        let log = try Ed25519PrivateKey.generate().publicKey
        let alice = try Ed25519PrivateKey.generate().publicKey
        var h = KeyHistory(logKey: log)
        XCTAssertThrowsError(try h.key(for: "alice", kind: .statement)) { XCTAssertEqual("\($0)", "signer 'alice' is not registered") }
        try h.apply(SignerEvent(action: .add, name: "alice", publicKey: alice.raw), at: 0)
        XCTAssertEqual(try h.key(for: "alice", kind: .statement), alice)
        XCTAssertEqual(h.signerName(for: alice), "alice")
        XCTAssertThrowsError(try h.key(for: "alice", kind: .signer), "only the log key signs key events")
        XCTAssertThrowsError(try h.apply(SignerEvent(action: .add, name: "alice", publicKey: alice.raw), at: 1))
        XCTAssertThrowsError(try h.apply(SignerEvent(action: .add, name: "bob", publicKey: alice.raw), at: 1))
        XCTAssertThrowsError(try h.apply(SignerEvent(action: .add, name: "log", publicKey: alice.raw), at: 1))
        XCTAssertThrowsError(try h.apply(SignerEvent(action: .revoke, name: "alice", publicKey: log.raw), at: 1))
        try h.apply(SignerEvent(action: .revoke, name: "alice", publicKey: alice.raw), at: 5)
        XCTAssertThrowsError(try h.key(for: "alice", kind: .statement)) { XCTAssertEqual("\($0)", "signer 'alice' was revoked at seq 5") }
        XCTAssertEqual(try h.key(for: "log", kind: .withhold), log)
    }
}
