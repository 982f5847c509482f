import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import LedgerVerifier
import XCTest

/// Group commit: concurrent appends share transactions and checkpoints, each answered only
/// after its commit; a full queue answers 503 with Retry-After; closing drains the queue.
final class GroupCommitTests: XCTestCase {
    func testConcurrentAppendsShareTransactions() async throws {
        let f = try ServerFixture(statements: 1)
        let backend = try f.backend(GroupCommitOptions(maxBatch: 1000, maxWait: .milliseconds(20)))
        let key = try f.logVerifierKey
        let count = 60
        let bodies = try (0..<count).map { try f.submission(1000 + $0, platform: $0 % 2 == 0 ? "telegram" : "whatsapp") }
        let seqs = try await f.app(backend).test(.router) { client in
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for body in bodies {
                    group.addTask {
                        let response = try await client.execute(uri: "/v1/entries", method: .post, body: body)
                        XCTAssertEqual(response.status, .created, response.text)
                        let receipt = try XCTUnwrap(try response.json["receipt"])
                        return try checkReceipt(receipt, logKey: key).entry.seq
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        XCTAssertEqual(Set(seqs).count, count)
        XCTAssertEqual(try f.size(), 4 + Int64(count))
        let batches = try LedgerStore(path: f.path, readonly: true).snapshot { try $0.checkpoints(from: 5, to: .max).count }
        XCTAssertLessThan(batches, count / 2, "\(count) appends in \(batches) transactions")
        XCTAssertEqual(backend.metrics.appendsTotal, Int64(count))
        let report = try LedgerAudit(store: try LedgerStore(path: f.path, readonly: true), logKey: key).run()
        XCTAssertEqual(report.size, 4 + Int64(count))
    }

    func testReplayWithinOneBatchIsRefusedAlone() async throws {
        let f = try ServerFixture(statements: 0)
        let backend = try f.backend(GroupCommitOptions(maxBatch: 1000, maxWait: .milliseconds(50)))
        let same = try f.submission(42)
        let other = try f.submission(43)
        let statuses = try await f.app(backend).test(.router) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for body in [same, same, other] {
                    group.addTask { try await client.execute(uri: "/v1/entries", method: .post, body: body).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        XCTAssertEqual(statuses.filter { $0 == .created }.count, 2)
        XCTAssertEqual(statuses.filter { $0 == .conflict }.count, 1)
        XCTAssertEqual(try f.size(), 5)
    }

    func testFullQueueAnswers503WithRetryAfter() async throws {
        let f = try ServerFixture(statements: 0)
        // The writer holds the first entry for 300 ms waiting for the batch to fill; the queue holds one.
        let backend = try f.backend(GroupCommitOptions(maxBatch: 1000, maxWait: .milliseconds(300), capacity: 1))
        let first = try f.submission(1), second = try f.submission(2)
        try await f.app(backend).test(.router) { client in
            let accepted = Task { try await client.execute(uri: "/v1/entries", method: .post, body: first).status }
            try await waitUntil { backend.appends?.depth == 1 }
            let refused = try await client.execute(uri: "/v1/entries", method: .post, body: second)
            try refused.assertError(.serviceUnavailable, "overloaded")
            XCTAssertEqual(refused.headers[.retryAfter], "1")
            let status = try await accepted.value
            XCTAssertEqual(status, .created)
        }
        XCTAssertEqual(try f.size(), 4, "only the accepted entry was written")
    }

    func testQueueTimeoutDropsUnwrittenEntries() async throws {
        let f = try ServerFixture(statements: 0)
        let backend = try f.backend(GroupCommitOptions(maxBatch: 1000, maxWait: .milliseconds(200), queueTimeout: .milliseconds(50)))
        try await f.app(backend).test(.router) { client in
            let response = try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(1))
            try response.assertError(.serviceUnavailable, "queue_timeout")
        }
        XCTAssertEqual(try f.size(), 3)
    }

    /// Closing (what graceful shutdown does) refuses new entries but commits every queued one.
    func testCloseDrainsQueuedEntries() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        let metrics = ServerMetrics()
        let queue = AppendQueue(store: store, logKey: f.logKey, options: GroupCommitOptions(maxBatch: 5, maxWait: .milliseconds(100)),
                                metrics: metrics, logger: .init(label: "test"))
        let pending = try (0..<20).map { i in
            try PendingEntry.sign(try Body(parsing: Array(ServerFixture.statement(i).utf8)), origin: .generated("\(i)"), signer: "alice", key: f.alice)
        }
        let outcomes = try await withThrowingTaskGroup(of: AppendOutcome.self) { group in
            for p in pending { group.addTask { try await queue.submit(p) } }
            try await waitUntil { queue.depth + Int(metrics.appendsTotal) == 20 }  // all submitted, some committed
            queue.close()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await queue.drained()
        XCTAssertEqual(outcomes.count, 20)
        XCTAssertEqual(try f.size(), 23)
        do {
            _ = try await queue.submit(try PendingEntry.sign(try Body(parsing: Array(ServerFixture.statement(99).utf8)), origin: .generated("late"), signer: "alice", key: f.alice))
            XCTFail("a closed queue accepts nothing")
        } catch let e as APIError {
            XCTAssertEqual(e, .shuttingDown)
        }
        XCTAssertEqual(try f.size(), 23)
    }

    /// A queue writing to the fixture's file, waiting up to 100 ms for a batch to fill.
    private func queue(_ f: ServerFixture) throws -> AppendQueue {
        AppendQueue(store: try LedgerStore(path: f.path), logKey: f.logKey, options: GroupCommitOptions(maxBatch: 100, maxWait: .milliseconds(100)),
                    metrics: ServerMetrics(), logger: .init(label: "test"))
    }

    /// Statement `i` signed by `signer`.
    private func pending(_ i: Int, _ signer: String, _ key: Ed25519PrivateKey, origin: EntryOrigin? = nil) throws -> PendingEntry {
        try PendingEntry.sign(try Body(parsing: Array(ServerFixture.statement(i).utf8)), origin: origin ?? .generated("\(i)"), signer: signer, key: key)
    }

    /// An entry the appender refuses inside a batch (here: signed by a revoked signer, which the
    /// route would have refused earlier) fails alone; the others in its batch are committed.
    func testOneBadEntryInABatchFailsAlone() async throws {
        let f = try ServerFixture(statements: 0)
        let queue = try queue(f)
        let items = [try pending(1, "alice", f.alice), try pending(2, "bob", f.bob), try pending(3, "alice", f.alice)]
        let results = await withTaskGroup(of: Result<AppendOutcome, any Error>.self) { group in
            for item in items {
                group.addTask {
                    do { return .success(try await queue.submit(item)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        queue.close()
        await queue.drained()
        XCTAssertEqual(results.filter { (try? $0.get()) != nil }.count, 2)
        let refusals = results.compactMap { r -> APIError? in if case .failure(let e) = r { return e as? APIError } else { return nil } }
        XCTAssertEqual(refusals.map { $0.code }, ["unauthorized"])
        XCTAssertEqual(try f.size(), 5)
    }

    /// A submitted batch is all or nothing inside the queue too: when one of its entries is
    /// refused in the transaction, none of the batch is written, and the single entry that shared
    /// its group commit is committed alone.
    func testBatchWithARefusedEntryIsWrittenNotAtAll() async throws {
        let f = try ServerFixture(statements: 0)
        let queue = try queue(f)
        // Labelled as the batch route labels its lines, so the refusal names the line.
        let batch = [try pending(1, "alice", f.alice, origin: .batchLine(1)), try pending(2, "bob", f.bob, origin: .batchLine(2)),
                     try pending(3, "alice", f.alice, origin: .batchLine(3))]
        let single = try pending(4, "alice", f.alice)
        async let batchResult: Result<BatchAppendOutcome, any Error> = { do { return .success(try await queue.submit(batch)) } catch { return .failure(error) } }()
        async let singleResult: Result<AppendOutcome, any Error> = { do { return .success(try await queue.submit(single)) } catch { return .failure(error) } }()
        let (b, s) = await (batchResult, singleResult)
        queue.close()
        await queue.drained()
        guard case .failure(let error) = b else { return XCTFail("the batch holding a revoked signer's entry was appended") }
        XCTAssertEqual((error as? APIError)?.code, "unauthorized")
        guard case .inBatch(let line, _)? = error as? APIError else { return XCTFail("the refusal does not name its line: \(error)") }
        XCTAssertEqual(line, 2)
        let appended = try s.get()
        XCTAssertEqual(appended.appended.seq, 3)
        XCTAssertEqual(try f.size(), 4, "the single entry only")
        XCTAssertEqual(try JSONParser.parse(try LedgerStore(path: f.path, readonly: true).entry(seq: 3).body ?? [])["quote"], .string("statement number 4"))
    }
}

/// Polls `condition` for up to 10 s.
func waitUntil(_ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() {
        guard ContinuousClock.now < deadline else { return XCTFail("condition not met within 10 s", file: file, line: line) }
        try await Task.sleep(for: .milliseconds(2))
    }
}
