import Foundation
import XCTest

/// Nothing committed is lost: SIGKILL during a bulk import leaves a ledger that verifies at its
/// last committed entry, and concurrent appenders end as one linear chain.
final class CrashAndConcurrencyTests: XCTestCase {
    func testSIGKILLInTheMiddleOfA50000StatementImport() throws {
        let s = try Sandbox()
        try s.setUp()
        try statementLines(0..<50_000).write(to: URL(fileURLWithPath: s.path("bulk.jsonl")))

        let process = Process()
        process.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
        process.arguments = ["append", "--key", "keys/alice.key", "--batch-size", "500"]
        process.currentDirectoryURL = s.dir
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: s.path("bulk.jsonl")))
        process.standardOutput = FileHandle.nullDevice
        try process.run()

        // Wait until some batches have committed, then kill it mid-import.
        var committed = 0
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline {
            committed = Int(try s.sqlite("SELECT COUNT(*) FROM entries").stdout.trimmingCharacters(in: .newlines)) ?? 0
            if committed > 2_000 { break }
            usleep(20_000)
        }
        XCTAssertTrue(process.isRunning, "the import finished before it could be killed; make it bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)

        let r = try s.verify("--json")
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let size = try XCTUnwrap(report["size"] as? Int)
        XCTAssertGreaterThan(size, 2_000)
        XCTAssertLessThan(size, 50_001)
        XCTAssertEqual((size - 1) % 500, 0, "whole batches only: \(size - 1) statements")
        // The latest checkpoint covers exactly what survived.
        XCTAssertTrue(try s.ok("checkpoint").hasPrefix("test.example/ledger\n\(size)\n"))
        // The import can be finished afterwards: the committed statements are refused as replays,
        // the rest appended.
        let rest = try s.ledger("append", "--key", "keys/alice.key", stdin: statementLines((size - 1)..<50_000))
        XCTAssertEqual(rest.status, 0, rest.stderr)
        XCTAssertEqual(try s.verify().status, 0)
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM entries").stdout, "50001\n")
    }

    func testTwoConcurrentBulkAppendersMakeOneLinearChain() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("keygen", "bob")
        try s.ok("signer", "add", "bob", "keys/bob.pub")
        try statementLines(0..<3_000, platform: "alpha").write(to: URL(fileURLWithPath: s.path("a.jsonl")))
        try statementLines(0..<3_000, platform: "beta").write(to: URL(fileURLWithPath: s.path("b.jsonl")))
        let processes = try [("alice", "a.jsonl"), ("bob", "b.jsonl")].map { signer, file in
            let p = Process()
            p.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
            p.arguments = ["append", "--key", "keys/\(signer).key", "--batch-size", "100"]
            p.currentDirectoryURL = s.dir
            p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: s.path(file)))
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return p
        }
        processes.forEach { $0.waitUntilExit() }
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0])
        let r = try s.verify()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("6002 entries"), r.stdout)
        XCTAssertEqual(try s.sqlite("SELECT platform, COUNT(*), COUNT(DISTINCT body_sha256) FROM entries WHERE kind = 'statement' GROUP BY platform").stdout,
                       "alpha|3000|3000\nbeta|3000|3000\n")
        // The two imports really ran at once: their batches interleave in the chain.
        let switches = try s.sqlite("SELECT COUNT(*) FROM entries a JOIN entries b ON b.seq = a.seq + 1 WHERE a.platform <> b.platform").stdout
        print("platform switches along the chain: \(switches)")
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM checkpoints").stdout, "63\n", "one checkpoint per batch, plus init and signers")
    }
}
