import Foundation
import XCTest

/// A large `ledger append` drops the two random-keyed look-up indexes, appends, and builds them
/// once at its end, holding `ledger.sqlite-import` locked meanwhile (docs/FORMAT.md §13). Every
/// other appender, at the command line or over HTTP, waits while an import holds them; one killed
/// mid-way leaves them to be built by the next appender, with replays refused again after.
final class ImportIndexDeferralTests: XCTestCase {
    func indexes(_ s: Sandbox) throws -> [String] {
        try s.lookupIndexes("name").split(separator: "\n").map(String.init)
    }

    /// Statements in the ledger, counted by `sqlite3` (the import writing it is another process).
    func statementCount(_ s: Sandbox) throws -> Int {
        Int(try s.sqlite("SELECT COUNT(*) FROM entries WHERE kind = 'statement'").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// 30 statements with `--defer-indexes-from 10`: the lock file shows the indexes were
    /// deferred; afterwards both exist with the statements a new ledger uses, the audit passes,
    /// and a replay is refused by the unique index. Below the threshold nothing is deferred.
    func testALargeImportBuildsItsIndexesOnceAtTheEnd() throws {
        let s = try Sandbox()
        try s.setUp()
        let fresh = try Sandbox()
        try fresh.setUp()

        try s.ok("append", "--key", "keys/alice.key", "--defer-indexes-from", "50", stdin: statementLines(0..<30))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.ledgerPath + "-import"), "30 statements, below 50: nothing deferred")

        let imported = try s.ledger("append", "--key", "keys/alice.key", "--batch-size", "5", "--defer-indexes-from", "10",
                                    stdin: statementLines(30..<70))
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stdout.split(separator: "\n").count, 40)
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.ledgerPath + "-import"), "40 statements, over 10 and over the ledger's size: deferred")
        XCTAssertEqual(try indexes(s), ["entries_platform", "entries_statement_body"])
        XCTAssertEqual(try s.lookupIndexes("sql"), try fresh.lookupIndexes("sql"))
        XCTAssertEqual(try s.verify().status, 0)

        let replay = try s.ledger("append", "--key", "keys/alice.key", stdin: statementLines(40..<41))
        XCTAssertEqual(replay.status, 1)
        XCTAssertTrue(replay.stderr.contains("this statement is already in the ledger at seq"), replay.stderr)
    }

    /// The indexes missing while another process holds the import lock (an import under way):
    /// `ledger append` and `POST /v1/entries` are refused (exit 2; 503 with Retry-After) and write
    /// nothing. Once that process is gone, the next append builds them and goes through, and a
    /// service started on such a file builds them before it serves.
    func testAppendersWaitForALiveImportAndRepairAKilledOne() async throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        _ = try s.sqlite("DROP INDEX entries_statement_body; DROP INDEX entries_platform")
        // This test process stands for the importer: it holds the lock as `ledger append` does.
        var importer: Int32 = open(s.ledgerPath + "-import", O_RDWR | O_CREAT, 0o644)
        XCTAssertEqual(flock(importer, LOCK_EX | LOCK_NB), 0)
        defer { if importer >= 0 { close(importer) } }
        XCTAssertNotEqual(try s.run("/usr/bin/flock", ["--nonblock", s.ledgerPath + "-import", "true"]).status, 0, "held")
        try s.write("st4.json", statementLine(4))
        let signed = Data(try s.ok("sign", "--key", "keys/alice.key", "--signer", "alice", "st4.json").utf8)
        let server = try ServeProcess(s)
        let before = try s.fingerprint()

        let refused = try s.ledger("append", "--key", "keys/alice.key", stdin: statementLines(3..<4))
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("another process is importing statements into this ledger"), refused.stderr)
        let reply = try await server.request("POST", "/v1/entries", body: signed)
        XCTAssertEqual(reply.status, 503, reply.text)
        XCTAssertEqual(reply.headers["Retry-After"] ?? reply.headers["retry-after"], "30")
        XCTAssertTrue(reply.text.contains("import_in_progress"), reply.text)
        XCTAssertEqual(try s.fingerprint(), before, "nothing written")
        XCTAssertEqual(try indexes(s), [])

        close(importer)  // the importer is gone (killed: the kernel drops its lock alike)
        importer = -1
        let accepted = try await server.request("POST", "/v1/entries", body: signed)
        XCTAssertEqual(accepted.status, 201, accepted.text)
        XCTAssertEqual(try indexes(s), ["entries_platform", "entries_statement_body"])
        server.stop()

        // A service started on a file a killed import left without them builds them first.
        _ = try s.sqlite("DROP INDEX entries_statement_body; DROP INDEX entries_platform")
        let restarted = try ServeProcess(s)
        XCTAssertEqual(try indexes(s), ["entries_platform", "entries_statement_body"])
        let replay = try s.ledger("append", "--key", "keys/alice.key", stdin: statementLines(1..<2))
        XCTAssertEqual(replay.status, 1)
        XCTAssertTrue(replay.stderr.contains("this statement is already in the ledger at seq"), replay.stderr)
        restarted.stop()
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// An import killed (SIGKILL) after some of its transactions committed, with its indexes
    /// deferred: the file lacks them and nobody holds the lock; `--skip-existing` over the same
    /// input builds them before its checks, appends the rest once, and the ledger audits clean.
    func testAnImportKilledWithItsIndexesDeferredIsFinishedByARerun() throws {
        let s = try Sandbox()
        try s.setUp()
        try statementLines(0..<20_000).write(to: URL(fileURLWithPath: s.path("in.jsonl")))
        let args = ["append", "--key", "keys/alice.key", "--batch-size", "100", "--defer-indexes-from", "1"]
        let importer = Process()
        importer.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
        importer.arguments = args
        importer.currentDirectoryURL = s.dir
        importer.standardInput = FileHandle(forReadingAtPath: s.path("in.jsonl"))
        importer.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        importer.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try importer.run()
        var committed = 0
        while importer.isRunning, committed < 1_000 {
            usleep(10_000)
            committed = try statementCount(s)
        }
        kill(importer.processIdentifier, SIGKILL)
        importer.waitUntilExit()
        let kept = try statementCount(s)
        XCTAssertGreaterThanOrEqual(kept, 1_000)
        XCTAssertLessThan(kept, 20_000, "killed before its end")
        XCTAssertEqual(try indexes(s), [], "killed with its indexes deferred")

        let rerun = try s.run("ledger", args + ["--skip-existing"], stdin: try Data(contentsOf: URL(fileURLWithPath: s.path("in.jsonl"))))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("appended \(20_000 - kept) statements"), rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("skipped \(kept) already in the ledger"), rerun.stderr)
        XCTAssertEqual(try indexes(s), ["entries_platform", "entries_statement_body"])
        XCTAssertEqual(try s.sqlite("SELECT COUNT(DISTINCT body_sha256) FROM entries WHERE kind = 'statement'").stdout, "20000\n")
        XCTAssertEqual(try s.verify().status, 0)
    }
}
