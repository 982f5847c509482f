import Foundation
import XCTest

/// `ledger append` reads standard input a batch at a time, yet checks all of it before writing:
/// a refusal in a late batch leaves the ledger as it was, a repeat is found across batches, and
/// a line without an end cannot fill memory.
final class BulkImportTests: XCTestCase {
    /// Batches of 3 over 10 lines: the bad line is in the fourth batch, after three that passed.
    func testARefusalInALateBatchWritesNothing() throws {
        let s = try Sandbox()
        try s.setUp()
        let before = try s.fingerprint()
        var lines = (0..<9).map { statementLine($0) }
        lines.append(#"{"schema":"disclosure-statement/v2","platform":"telegram"}"#)
        let r = try s.ledger("append", "--key", "keys/alice.key", "--batch-size", "3", stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("stdin line 10:"), r.stderr)
        XCTAssertEqual(try s.fingerprint(), before, "nothing written")
    }

    /// Line 9 repeats line 2, three batches apart: refused naming both, nothing written; with
    /// --skip-existing the repeat is skipped and everything else appended once, in input order.
    func testARepeatAcrossBatchesIsFound() throws {
        let s = try Sandbox()
        try s.setUp()
        let before = try s.fingerprint()
        var lines = (0..<10).map { statementLine($0) }
        lines[8] = lines[1]
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let refused = try s.ledger("append", "--key", "keys/alice.key", "--batch-size", "2", stdin: input)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("stdin line 9: the same statement appears twice in this input (also stdin line 2)"), refused.stderr)
        XCTAssertEqual(try s.fingerprint(), before, "nothing written")

        let skipped = try s.ledger("append", "--key", "keys/alice.key", "--batch-size", "2", "--skip-existing", stdin: input)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("appended 9 statements"), skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("skipped 1"), skipped.stderr)
        let quotes = try s.sqlite("SELECT json_extract(b.body, '$.quote') FROM entries e JOIN bodies b USING (seq) WHERE e.kind = 'statement' ORDER BY e.seq").stdout
        XCTAssertEqual(quotes.split(separator: "\n").map(String.init), [0, 1, 2, 3, 4, 5, 6, 7, 9].map { "statement number \($0)" })
        // One checkpoint per transaction of at most 2.
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM checkpoints WHERE size > 2").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "5")
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// Input without line feeds is refused once a line passes the largest statement, before the
    /// Files are named by path in the scratch (lines by number): a statement given in two
    /// files, batches apart, is refused naming both paths; the same files with --skip-existing
    /// append it once.
    func testARepeatAcrossFilesNamesBothPaths() throws {
        let s = try Sandbox()
        try s.setUp()
        let before = try s.fingerprint()
        for i in 0..<5 { try s.write("s\(i).json", statementLine(i)) }
        try s.write("again.json", statementLine(1))
        let files = (0..<5).map { "s\($0).json" } + ["again.json"]
        let refused = try s.ledger(["append", "--key", "keys/alice.key", "--batch-size", "2"] + files)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("again.json: the same statement appears twice in this input (also s1.json)"), refused.stderr)
        XCTAssertEqual(try s.fingerprint(), before, "nothing written")

        let skipped = try s.ledger(["append", "--key", "keys/alice.key", "--batch-size", "2", "--skip-existing"] + files)
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertTrue(skipped.stderr.contains("appended 5 statements"), skipped.stderr)
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// rest is read; a last line without a line feed is still read.
    func testALineLongerThanAStatementIsRefused() throws {
        let s = try Sandbox()
        try s.setUp()
        let before = try s.fingerprint()
        let long = try s.ledger("append", "--key", "keys/alice.key", stdin: Data(repeating: UInt8(ascii: "x"), count: 3 << 20))
        XCTAssertEqual(long.status, 1)
        XCTAssertTrue(long.stderr.contains("stdin line 1: longer than 65536 bytes"), long.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
        let unterminated = try s.ledger("append", "--key", "keys/alice.key", stdin: Data((statementLine(0) + "\n" + statementLine(1)).utf8))
        XCTAssertEqual(unterminated.status, 0, unterminated.stderr)
        XCTAssertEqual(unterminated.stdout.split(separator: "\n").count, 2)
    }
}
