import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import LedgerVerifier
import XCTest

/// `POST /v1/entries`: an accepted append answers 201 with a receipt that checks offline, and
/// every refusal answers its documented error with nothing written to the file.
final class AppendRouteTests: XCTestCase {
    func testAppendAnswersReceiptThatChecksOffline() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()
        let before = try f.size()
        try await f.app(backend).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(100)) { response in
                XCTAssertEqual(response.status, .created, response.text)
                XCTAssertEqual(response.headers[.location], "/v1/entries/\(before)")
                let value = try response.json
                XCTAssertEqual(value["seq"]?.int, before)
                let receipt = try XCTUnwrap(value["receipt"], response.text)
                let checked = try checkReceipt(receipt, logKey: try f.logVerifierKey)
                XCTAssertEqual(checked.entry.seq, before)
                XCTAssertEqual(MerkleHash.leaf(checked.entry.leaf).hex, value["leaf_hash"]?.string)
                XCTAssertEqual(checked.checkpoint.size, before + 1)
            }
            // The entry reads back with the statement as appended.
            try await client.execute(uri: "/v1/entries/\(before)", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(try response.json["signer"], .string("alice"))
                XCTAssertEqual(try response.json["body"]?["quote"], .string("statement number 100"))
            }
        }
        XCTAssertEqual(try f.size(), before + 1)
        let report = try LedgerAudit(store: try LedgerStore(path: f.path, readonly: true), logKey: try f.logVerifierKey).run()
        XCTAssertEqual(report.size, before + 1)
    }

    func testReceiptTamperingIsCaught() async throws {
        let f = try ServerFixture()
        let response = try await f.app(try f.backend()).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(7))
        }
        guard case .object(let receipt)? = try response.json["receipt"] else { return XCTFail(response.text) }
        let key = try f.logVerifierKey
        XCTAssertNoThrow(try checkReceipt(.object(receipt), logKey: key))
        // Another entry's leaf (seq 0's) in place of this one's: the proof no longer leads to the root.
        var members = Dictionary(uniqueKeysWithValues: receipt.map { ($0.0, $0.1) })
        let other = try LedgerStore(path: f.path, readonly: true).entry(seq: 0).leaf
        members["leaf"] = .string(String(decoding: other, as: UTF8.self))
        XCTAssertThrowsError(try checkReceipt(.object(members), logKey: key))
        XCTAssertThrowsError(try checkReceipt(.object(receipt), logKey: try NoteVerifierKey(name: ServerFixture.origin, publicKey: f.alice.publicKey)))
    }

    /// Each refusal: status, code, and the ledger file byte for byte unchanged.
    func testRefusalsWriteNothing() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()
        let statement = ServerFixture.statement(5)
        let aliceSigned = try ServerFixture.submission(statement, signer: "alice", key: f.alice)
        let otherSignature = try ServerFixture.submission(ServerFixture.statement(6), signer: "alice", key: f.alice)
        let swappedSignature = aliceSigned.replacingOccurrences(
            of: String(aliceSigned[aliceSigned.range(of: #""signature":""#)!.upperBound...].prefix(88)),
            with: String(otherSignature[otherSignature.range(of: #""signature":""#)!.upperBound...].prefix(88)))
        let setupStatement = ServerFixture.statement(0)  // appended by the fixture
        let cases: [(String, String, HTTPResponse.Status, String)] = [
            ("bad signature", swappedSignature, .forbidden, "bad_signature"),
            ("signed by another key", try ServerFixture.submission(statement, signer: "alice", key: f.mallory), .forbidden, "bad_signature"),
            ("unknown signer", try ServerFixture.submission(statement, signer: "mallory", key: f.mallory), .forbidden, "unknown_signer"),
            ("revoked signer", try ServerFixture.submission(statement, signer: "bob", key: f.bob), .forbidden, "revoked_signer"),
            ("replayed statement", try ServerFixture.submission(setupStatement, signer: "alice", key: f.alice), .conflict, "replay"),
            ("malformed JSON", #"{"statement": {"#, .badRequest, "malformed_json"),
            ("float", aliceSigned.replacingOccurrences(of: #""value":5"#, with: #""value":5.0"#), .badRequest, "malformed_json"),
            ("duplicate key", #"{"signer":"alice","signer":"alice"}"#, .badRequest, "malformed_json"),
            ("not an object", "[1,2]", .badRequest, "invalid_request"),
            ("unknown member", aliceSigned.replacingOccurrences(of: #"{"statement""#, with: #"{"extra":1,"statement""#), .badRequest, "invalid_request"),
            ("no signature", #"{"statement":\#(statement),"signer":"alice"}"#, .badRequest, "invalid_request"),
            ("short signature", #"{"statement":\#(statement),"signer":"alice","signature":"AAAA"}"#, .badRequest, "invalid_request"),
            ("bad signer name", #"{"statement":\#(statement),"signer":"Alice Smith","signature":"AAAA"}"#, .badRequest, "invalid_request"),
            ("invalid statement", try ServerFixture.submission(statement, signer: "alice", key: f.alice)
                .replacingOccurrences(of: #""category":"third-party-sharing""#, with: #""category":"gossip""#), .unprocessableContent, "invalid_statement"),
            ("signer event as statement", #"{"statement":{"schema":"disclosure-signer/v1","action":"add","name":"eve","public_key":"\#(Base64.encode(f.mallory.publicKey.raw))"},"signer":"alice","signature":"\#(String(repeating: "A", count: 86))=="}"#,
             .unprocessableContent, "invalid_statement"),
            ("empty body", "", .badRequest, "malformed_json"),
        ]
        let fingerprint = try f.fingerprint()
        try await f.app(backend).test(.router) { client in
            for (name, body, status, code) in cases {
                try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: body)) { response in
                    XCTAssertEqual(response.status, status, "\(name): \(response.text)")
                    try response.assertError(status, code)
                }
            }
        }
        XCTAssertEqual(try f.fingerprint(), fingerprint, "refusals leave the file untouched")
        let metrics = backend.metrics
        XCTAssertEqual(metrics.appendsTotal, 0)
    }

    /// The service takes what `ledger append` takes, through the same parse and checks
    /// (`LedgerAppend`): a dispute of a statement is appended; a template's placeholder text and
    /// a second dispute by the same signer are refused, naming what is wrong.
    func testTheServiceTakesResponsesAndRefusesPlaceholders() async throws {
        let f = try ServerFixture()
        let carol = try Ed25519PrivateKey.generate()
        let store = try LedgerStore(path: f.path)
        let add = try Body(value: SignerEvent(action: .add, name: "carol", publicKey: carol.publicKey.raw).json)
        try store.append([try PendingEntry.sign(add, origin: .generated("add carol"), signer: SignerName.log, key: f.logKey)], logKey: f.logKey)
        let target = try store.entry(seq: f.statementSeqs[0])
        try store.close()
        let dispute = #"{"schema":"disclosure-response/v1","target":{"seq":\#(target.seq),"leaf_hash":"\#(MerkleHash.leaf(target.leaf).hex)"},"stance":"dispute","reason":"The report counts requests, not bytes.","source":{"url":"https://example.org/evidence/1","retrieved_at":"2024-01-02T03:04:05Z","sha256":"\#(String(repeating: "cd", count: 32))"},"language":"en"}"#
        let disputeBody = try Body(parsing: Array(dispute.utf8))
        let signature = try carol.sign(EntryKind.response.signedMessage(bodySHA256: disputeBody.sha256))
        let submission = #"{"statement":\#(dispute),"signer":"carol","signature":"\#(Base64.encode(signature))"}"#
        let placeholder = try ServerFixture.submission(ServerFixture.statement(40).replacingOccurrences(
            of: "statement number 40", with: "The exact words of the source, in its language."), signer: "alice", key: f.alice)
        let before = try f.size()
        try await f.app(try f.backend()).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: submission)) { response in
                XCTAssertEqual(response.status, .created, response.text)
            }
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: placeholder)) { response in
                try response.assertError(.unprocessableContent, "invalid_statement")
                XCTAssertTrue(response.text.contains("quote: still holds the placeholder text"), response.text)
            }
            let again = dispute.replacingOccurrences(of: "not bytes.", with: "not bytes, as said before.")
            let againSignature = try carol.sign(EntryKind.response.signedMessage(bodySHA256: try Body(parsing: Array(again.utf8)).sha256))
            let second = #"{"statement":\#(again),"signer":"carol","signature":"\#(Base64.encode(againSignature))"}"#
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: second)) { response in
                try response.assertError(.unprocessableContent, "invalid_statement")
                XCTAssertTrue(response.text.contains("already responded to seq \(target.seq)"), response.text)
            }
        }
        XCTAssertEqual(try f.size(), before + 1)
        XCTAssertEqual(try LedgerStore(path: f.path, readonly: true).entry(seq: before).kind, "response")
    }

    /// A signer revoked while the server runs (by the CLI, through the same file) is refused at once.
    func testRevocationWhileServingTakesEffect() async throws {
        let f = try ServerFixture()
        try await f.app(try f.backend()).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(20)) { XCTAssertEqual($0.status, .created) }
            let store = try LedgerStore(path: f.path)
            let revoke = try Body(value: SignerEvent(action: .revoke, name: "alice", publicKey: f.alice.publicKey.raw).json)
            let seq = try store.append([try PendingEntry.sign(revoke, origin: .generated("revoke"), signer: SignerName.log, key: f.logKey)], logKey: f.logKey)[0].seq
            try store.close()
            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(21)) { response in
                try response.assertError(.forbidden, "revoked_signer")
                XCTAssertTrue(response.text.contains("revoked at seq \(seq)"), response.text)
            }
        }
    }

    func testOversizeBodyIsRefusedWith413() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()
        let fingerprint = try f.fingerprint()
        let quote = String(repeating: "x", count: 70_000)
        let huge = try ServerFixture.submission(ServerFixture.statement(1).replacingOccurrences(of: "statement number 1", with: "a"), signer: "alice", key: f.alice)
            .replacingOccurrences(of: #""quote":"a""#, with: #""quote":"\#(quote)""#)
        try await f.app(backend).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: huge)) { response in
                try response.assertError(.contentTooLarge, "too_large")
            }
            // Just under the limit is read (and refused for what it is, not for its size).
            let padded = #"{"statement":{},"signer":"alice","signature":""}"# + String(repeating: " ", count: 65_536 - 48)
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: padded)) { response in
                XCTAssertEqual(padded.utf8.count, 65_536)
                try response.assertError(.badRequest, "invalid_request")
            }
        }
        XCTAssertEqual(try f.fingerprint(), fingerprint)
    }
}

/// Checks a receipt from the service as `ledger-verify receipt` does: offline, with the log's key only.
func checkReceipt(_ receipt: JSONValue, logKey: NoteVerifierKey) throws -> OfflineCheck.ReceiptReport {
    try OfflineCheck.receipt(CanonicalJSON.encode(receipt), logKey: logKey, label: "receipt")
}
