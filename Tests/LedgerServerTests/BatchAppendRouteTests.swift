import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import LedgerVerifier
import XCTest

/// `POST /v1/entries/batch`: JSON Lines of submissions appended all or nothing, in one
/// transaction and one checkpoint; a refusal names the line and writes nothing.
final class BatchAppendRouteTests: XCTestCase {
    private func lines(_ f: ServerFixture, _ numbers: Range<Int>) throws -> [String] {
        try numbers.map { try ServerFixture.submission(ServerFixture.statement($0), signer: "alice", key: f.alice) }
    }

    private func checkpointCount(_ f: ServerFixture) throws -> Int {
        try LedgerStore(path: f.path, readonly: true).checkpoints(from: 0, to: .max, limit: 1_000_000).count
    }

    func testBatchIsAppendedInOrderInOneTransaction() async throws {
        let f = try ServerFixture()
        let before = try f.size()
        let checkpointsBefore = try checkpointCount(f)
        let submitted = try lines(f, 100..<105)
        // A blank line and CRLF endings are accepted, as in the CLI's JSON Lines import.
        let body = submitted[0..<2].joined(separator: "\n") + "\n\n" + submitted[2...].joined(separator: "\r\n") + "\n"
        try await f.app(try f.backend()).test(.router) { client in
            try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: body)) { response in
                XCTAssertEqual(response.status, .created, response.text)
                let value = try response.json
                XCTAssertEqual(value["tree_size"]?.int, before + 5)
                XCTAssertEqual(response.headers[.location], "/v1/entries?from=\(before)&to=\(before + 4)")
                let entries = try XCTUnwrap(value["entries"]?.array)
                XCTAssertEqual(entries.map { $0["seq"]?.int }, (before..<before + 5).map { $0 })
                let note = try XCTUnwrap(value["checkpoint"]?.string, response.text)
                let (checkpoint, _) = try Checkpoint.open(Array(note.utf8), logKey: try f.logVerifierKey)
                XCTAssertEqual(checkpoint.size, before + 5)
                // Each entry is the line's statement, at the leaf hash answered, provable by receipt.
                let store = try LedgerStore(path: f.path, readonly: true)
                for (i, entry) in entries.enumerated() {
                    let seq = try XCTUnwrap(entry["seq"]?.int)
                    let stored = try store.entry(seq: seq)
                    XCTAssertEqual(MerkleHash.leaf(stored.leaf).hex, entry["leaf_hash"]?.string)
                    XCTAssertEqual(try JSONParser.parse(stored.body ?? [])["quote"], .string("statement number \(100 + i)"))
                }
                try await client.execute(uri: "/v1/receipt/\(before + 4)", method: .get) { receipt in
                    XCTAssertEqual(receipt.status, .ok, receipt.text)
                    XCTAssertEqual(try checkReceipt(try receipt.json, logKey: try f.logVerifierKey).entry.seq, before + 4)
                }
            }
        }
        XCTAssertEqual(try checkpointCount(f), checkpointsBefore + 1, "one transaction, one checkpoint")
        let report = try LedgerAudit(store: try LedgerStore(path: f.path, readonly: true), logKey: try f.logVerifierKey).run()
        XCTAssertEqual(report.size, before + 5)
    }

    /// One bad line refuses the whole batch with that line's status and code, naming the line;
    /// the file is unchanged byte for byte.
    func testOneBadLineRefusesTheWholeBatch() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()
        let good = try lines(f, 200..<203)
        let bad: (String) -> String = { good[0] + "\n" + good[1] + "\n" + $0 + "\n" + good[2] }
        let replayed = try ServerFixture.submission(ServerFixture.statement(0), signer: "alice", key: f.alice)  // appended by the fixture
        let cases: [(String, String, HTTPResponse.Status, String, Int?)] = [
            ("bad signature", bad(try ServerFixture.submission(ServerFixture.statement(300), signer: "alice", key: f.mallory)), .forbidden, "bad_signature", 3),
            ("unknown signer", bad(try ServerFixture.submission(ServerFixture.statement(301), signer: "mallory", key: f.mallory)), .forbidden, "unknown_signer", 3),
            ("revoked signer", bad(try ServerFixture.submission(ServerFixture.statement(302), signer: "bob", key: f.bob)), .forbidden, "revoked_signer", 3),
            ("replayed statement", bad(replayed), .conflict, "replay", 3),
            ("the same statement twice", bad(good[0]), .badRequest, "invalid_request", 3),
            ("truncated line", bad(String(good[2].prefix(100))), .badRequest, "malformed_json", 3),
            ("invalid statement", bad(good[2].replacingOccurrences(of: "third-party-sharing", with: "gossip")), .unprocessableContent, "invalid_statement", 3),
            ("a JSON array, not lines", "[" + good.joined(separator: ",") + "]", .badRequest, "invalid_request", 1),
            ("empty batch", "\n \n", .badRequest, "invalid_request", nil),
            ("a correction of no entry", bad(try ServerFixture.submission(Self.amending(99_999, 303), signer: "alice", key: f.alice)),
             .unprocessableContent, "invalid_statement", 3),
            // Blank lines count: the bad line is the third line of the body.
            ("after blank lines", "\n\n" + String(good[0].prefix(50)), .badRequest, "malformed_json", 3),
        ]
        let fingerprint = try f.fingerprint()
        try await f.app(backend).test(.router) { client in
            for (name, body, status, code, line) in cases {
                try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: body)) { response in
                    XCTAssertEqual(response.status, status, "\(name): \(response.text)")
                    try response.assertError(status, code)
                    XCTAssertEqual(try response.json["line"]?.int, line.map(Int64.init), "\(name): \(response.text)")
                    if let line {
                        XCTAssertTrue(response.text.contains("line \(line) of the batch"), "\(name): \(response.text)")
                        XCTAssertTrue(response.text.contains("nothing of the batch was written"), "\(name): \(response.text)")
                    }
                    if code == "replay" { XCTAssertEqual(try response.json["seq"]?.int, f.statementSeqs[0]) }
                }
            }
        }
        XCTAssertEqual(try f.fingerprint(), fingerprint, "refusals leave the file untouched")
        XCTAssertEqual(backend.metrics.appendsTotal, 0)
    }

    /// Statement `i` as an amendment of entry `seq` (with a leaf hash that is not its own).
    static func amending(_ seq: Int64, _ i: Int) -> String {
        String(ServerFixture.statement(i).dropLast()) + #","supersedes":{"seq":\#(seq),"leaf_hash":"\#(String(repeating: "0", count: 64))","kind":"amendment"}}"#
    }

    /// A correction that names no entry is refused up front, alone or in a batch, as the CLI
    /// refuses it: 422, not a failure of the group commit that would carry it.
    func testBadCorrectionIsRefusedBeforeTheQueue() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()  // opening it may create the (empty) WAL: the baseline is after
        let fingerprint = try f.fingerprint()
        let body = try ServerFixture.submission(Self.amending(99_999, 500), signer: "alice", key: f.alice)
        try await f.app(backend).test(.router) { client in
            try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: body)) { response in
                try response.assertError(.unprocessableContent, "invalid_statement")
                XCTAssertTrue(response.text.contains("99999"), response.text)
            }
        }
        XCTAssertEqual(try f.fingerprint(), fingerprint)
    }

    /// A batch larger than --max-batch is still one transaction; one that would overfill the
    /// queue is refused with 503 while another append waits.
    func testBatchIsNeverSplitAndCountsAgainstCapacity() async throws {
        let f = try ServerFixture(statements: 0)
        let whole = try f.backend(GroupCommitOptions(maxBatch: 5, maxWait: .milliseconds(1)))
        let checkpoints = try checkpointCount(f)
        let twelve = try lines(f, 600..<612).joined(separator: "\n"), twelveMore = try lines(f, 710..<722).joined(separator: "\n")
        try await f.app(whole).test(.router) { client in
            let response = try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: twelve))
            XCTAssertEqual(response.status, .created, response.text)
        }
        XCTAssertEqual(try checkpointCount(f), checkpoints + 1, "12 entries, max-batch 5: one transaction")
        XCTAssertEqual(try f.size(), 3 + 12)

        // The writer holds the first entry for 300 ms waiting for more; 1 + 12 > capacity 10.
        let full = try f.backend(GroupCommitOptions(maxBatch: 1000, maxWait: .milliseconds(300), capacity: 10))
        try await f.app(full).test(.router) { client in
            let single = try f.submission(700)
            let accepted = Task { try await client.execute(uri: "/v1/entries", method: .post, body: single).status }
            try await waitUntil { full.appends?.depth == 1 }
            let refused = try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: twelveMore))
            try refused.assertError(.serviceUnavailable, "overloaded")
            XCTAssertEqual(refused.headers[.retryAfter], "1")
            let status = try await accepted.value
            XCTAssertEqual(status, .created)
        }
        XCTAssertEqual(try f.size(), 3 + 12 + 1)
    }

    func testBatchLimits() async throws {
        let f = try ServerFixture()
        let backend = try f.backend()
        let fingerprint = try f.fingerprint()
        let one = try ServerFixture.submission(ServerFixture.statement(400), signer: "alice", key: f.alice)
        // 1,001 lines (the count is checked before any line is verified, so they need not be distinct).
        let tooMany = Array(repeating: one, count: SubmissionLimits.maxBatchEntries + 1).joined(separator: "\n")
        let tooLarge = String(repeating: " ", count: SubmissionLimits.maxBatchBodyBytes + 1)
        try await f.app(backend).test(.router) { client in
            try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: tooLarge)) { response in
                try response.assertError(.contentTooLarge, "too_large")
            }
            try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: tooMany)) { response in
                try response.assertError(.badRequest, "invalid_request")
                XCTAssertTrue(response.text.contains("at most \(SubmissionLimits.maxBatchEntries)"), response.text)
            }
        }
        XCTAssertEqual(try f.fingerprint(), fingerprint)
    }

    /// Batches and single appends sent at once share group commits, and no batch is split or
    /// interleaved: each one's seqs are consecutive, in line order.
    func testConcurrentBatchesStayWhole() async throws {
        let f = try ServerFixture()
        let backend = try f.backend(GroupCommitOptions(maxBatch: 50, maxWait: .milliseconds(20)))
        let before = try f.size()
        let batches = try (0..<8).map { b in try lines(f, (1000 + b * 20)..<(1020 + b * 20)) }
        let singles = try lines(f, 2000..<2016)
        try await f.app(backend).test(.router) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (b, batch) in batches.enumerated() {
                    group.addTask {
                        try await client.execute(uri: "/v1/entries/batch", method: .post, body: ByteBuffer(string: batch.joined(separator: "\n"))) { response in
                            XCTAssertEqual(response.status, .created, response.text)
                            let seqs = try XCTUnwrap(try response.json["entries"]?.array).compactMap { $0["seq"]?.int }
                            XCTAssertEqual(seqs.count, 20)
                            XCTAssertEqual(seqs, (0..<20).map { seqs[0] + Int64($0) }, "batch \(b) is consecutive")
                            // Its own entries, whatever else shared the transaction.
                            XCTAssertEqual(response.headers[.location], "/v1/entries?from=\(seqs[0])&to=\(seqs[19])")
                            let store = try LedgerStore(path: f.path, readonly: true)
                            XCTAssertEqual(try JSONParser.parse(try store.entry(seq: seqs[19]).body ?? [])["quote"],
                                           .string("statement number \(1019 + b * 20)"))
                        }
                    }
                }
                for single in singles {
                    group.addTask {
                        try await client.execute(uri: "/v1/entries", method: .post, body: ByteBuffer(string: single)) { response in
                            XCTAssertEqual(response.status, .created, response.text)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        XCTAssertEqual(try f.size(), before + 8 * 20 + 16)
        XCTAssertLessThan(backend.metrics.batchesTotal, 8 + 16, "some submissions shared a transaction")
        let report = try LedgerAudit(store: try LedgerStore(path: f.path, readonly: true), logKey: try f.logVerifierKey).run()
        XCTAssertEqual(report.size, before + 8 * 20 + 16)
    }
}
