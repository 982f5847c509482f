import Foundation
import XCTest

/// The built `ledger` binary's checkpoints, exports and signatures checked by an independent
/// implementation (`Interop/independent_verify.py`: Python, written from the C2SP signed-note and
/// tlog-checkpoint specs and RFC 9162 only), so a mistake shared by our writer and our verifier
/// cannot hide.
final class InteropTests: XCTestCase {
    static var script: String { Sandbox.interopDir.appendingPathComponent("independent_verify.py").path }

    /// Runs the Python checker in the sandbox directory.
    func python(_ s: Sandbox, _ args: String...) throws -> Sandbox.Run {
        try s.run("/usr/bin/env", ["python3", InteropTests.script] + args)
    }

    /// Runs the Python checker and fails the test unless it exits 0; returns its stdout.
    @discardableResult
    func accepted(_ s: Sandbox, _ args: String..., file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try s.run("/usr/bin/env", ["python3", InteropTests.script] + args)
        XCTAssertEqual(r.status, 0, "independent_verify.py \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// The Python checker must refuse with exit 1 and one line naming the reason (exit 3, a crash
    /// of the script or a missing package, does not count as a refusal).
    func refused(_ s: Sandbox, _ args: [String], _ reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try s.run("/usr/bin/env", ["python3", InteropTests.script] + args)
        XCTAssertEqual(r.status, 1, "expected a refusal: stdout: \(r.stdout) stderr: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("FAILED: ") && r.stderr.contains(reason), "expected '\(reason)', got: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    /// seq 0 registers alice; statements 0..<25 are seq 1...25, appended in transactions of 7.
    func makeLedger() throws -> Sandbox {
        let s = try Sandbox()
        try s.setUp()
        let appended = try s.ok("append", "--key", "keys/alice.key", "--batch-size", "7", stdin: statementLines(0..<25))
        XCTAssertEqual(appended.split(separator: "\n").count, 25)
        return s
    }

    /// Writes `ledger checkpoint`, `ledger export` and `ledger export --bodies` to files.
    func snapshot(_ s: Sandbox) throws -> (note: String, logKey: String) {
        let note = try s.ok("checkpoint")
        try s.write("checkpoint.note", note)
        try s.write("leaves.jsonl", try s.ok("export"))
        try s.write("bodies.jsonl", try s.ok("export", "--bodies"))
        return (note, try s.logKey())
    }

    func testCheckpointsVerifyIndependentlyAgainstTheExport() throws {
        let s = try Sandbox()
        try s.setUp()
        // Two imports, batches of 7: the first checkpoint must still hold for a prefix of the final export.
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "7", stdin: statementLines(0..<11))
        let early = try s.ok("checkpoint")
        try s.write("early.note", early)
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "7", stdin: statementLines(11..<25))
        let (note, logKey) = try snapshot(s)
        XCTAssertTrue(logKey.hasPrefix("test.example/ledger+"), logKey)

        let head = note.split(separator: "\n", omittingEmptySubsequences: false).prefix(3).joined(separator: "\n") + "\n"
        XCTAssertTrue(head.hasPrefix("test.example/ledger\n26\n"), note)
        let rootLine = String(head.split(separator: "\n")[2])

        XCTAssertEqual(try accepted(s, "note", logKey, "checkpoint.note"), head)
        XCTAssertEqual(try accepted(s, "checkpoint", logKey, "checkpoint.note", "leaves.jsonl"), head)
        XCTAssertEqual(try accepted(s, "root", "leaves.jsonl"), rootLine + "\n")

        // And the audit of our own verifier names the same root.
        let audit = try s.verify("--log-key", logKey)
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("26 entries"), audit.stdout)
        XCTAssertTrue(audit.stdout.contains(rootLine), audit.stdout)

        // The earlier checkpoint (size 12) against the first 12 leaves of today's export.
        XCTAssertTrue(early.hasPrefix("test.example/ledger\n12\n"), early)
        try s.write("prefix.jsonl", try s.ok("export", "--to", "11"))
        let earlyHead = early.split(separator: "\n", omittingEmptySubsequences: false).prefix(3).joined(separator: "\n") + "\n"
        XCTAssertEqual(try accepted(s, "checkpoint", logKey, "early.note", "prefix.jsonl"), earlyHead)
        XCTAssertNotEqual(earlyHead, head)
    }

    func testEntrySignaturesVerifyIndependentlyAlsoWithAWithheldBody() throws {
        let s = try makeLedger()
        _ = try snapshot(s)
        XCTAssertEqual(try accepted(s, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"), "26 entries checked, 0 bodies withheld\n")

        try s.ok("withhold", "3", "--reason", "court order 2026/123")
        let (note, logKey) = try snapshot(s)
        let bodies = try String(contentsOfFile: s.path("bodies.jsonl"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(bodies.count, 27)
        XCTAssertEqual(bodies[3], "null")
        XCTAssertEqual(try accepted(s, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"), "27 entries checked, 1 bodies withheld\n")
        // The withhold notice is itself a leaf: the checkpoint grew by one and still matches.
        XCTAssertTrue(note.hasPrefix("test.example/ledger\n27\n"), note)
        try accepted(s, "checkpoint", logKey, "checkpoint.note", "leaves.jsonl")
    }

    func testTamperedCheckpointsExportsAndBodiesAreRefused() throws {
        let s = try makeLedger()
        let (note, logKey) = try snapshot(s)
        try accepted(s, "checkpoint", logKey, "checkpoint.note", "leaves.jsonl")
        try accepted(s, "signatures", "leaves.jsonl", "bodies.jsonl", "keys")

        // One base64 character of the log's signature flipped (inside the Ed25519 signature,
        // past the 4-byte key ID).
        let marker = "\u{2014} test.example/ledger "
        let sigStart = try XCTUnwrap(note.range(of: marker, options: .backwards)).upperBound
        let at = note.index(sigStart, offsetBy: 40)
        let replacement: String = note[at] == "A" ? "B" : "A"
        var flipped = note
        flipped.replaceSubrange(at...at, with: replacement)
        XCTAssertEqual(flipped.utf8.count, note.utf8.count)
        XCTAssertNotEqual(flipped, note)
        try s.write("flipped.note", flipped)
        try refused(s, ["note", logKey, "flipped.note"], "the signature by test.example/ledger+")
        try refused(s, ["checkpoint", logKey, "flipped.note", "leaves.jsonl"], "does not verify")

        // Under another log's key: another origin, and the same origin with another key.
        let other = try Sandbox()
        try other.ok("init", "--origin", "other.example/x")
        let otherKey = try other.logKey()
        XCTAssertTrue(otherKey.hasPrefix("other.example/x+"), otherKey)
        try refused(s, ["note", otherKey, "checkpoint.note"], "no signature by other.example/x+")
        let forger = try Sandbox()
        try forger.ok("init", "--origin", "test.example/ledger")
        let forgerKey = try forger.logKey()
        XCTAssertNotEqual(forgerKey, logKey)
        try refused(s, ["checkpoint", forgerKey, "checkpoint.note", "leaves.jsonl"], "no signature by test.example/ledger+")

        // An export with one leaf line dropped: the size no longer matches, and the chain breaks.
        var leaves = try String(contentsOfFile: s.path("leaves.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(leaves.count, 26)
        leaves.remove(at: 10)
        try s.write("dropped.jsonl", leaves.joined(separator: "\n") + "\n")
        try refused(s, ["checkpoint", logKey, "checkpoint.note", "dropped.jsonl"], "checkpoint size 26 but the export has 25 leaves")
        try refused(s, ["signatures", "dropped.jsonl", "bodies.jsonl", "keys"], "export has 25 leaves but bodies has 26 lines")
        let root = String(note.split(separator: "\n")[2])
        XCTAssertNotEqual(try accepted(s, "root", "dropped.jsonl"), root + "\n")

        // A body changed by one byte ("statement number 4" -> "statement number 7", seq 5).
        var bodies = try String(contentsOfFile: s.path("bodies.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        let altered = bodies[5].replacingOccurrences(of: "statement number 4\"", with: "statement number 7\"")
        XCTAssertEqual(altered.utf8.count, bodies[5].utf8.count)
        XCTAssertNotEqual(altered, bodies[5])
        bodies[5] = altered
        try s.write("altered.jsonl", bodies.joined(separator: "\n") + "\n")
        try refused(s, ["signatures", "leaves.jsonl", "altered.jsonl", "keys"], "seq 5: SHA-256 of the body is ")
    }
}
