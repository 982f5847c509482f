import Foundation
import XCTest

/// A first copy builds its look-up indexes once, near its end (docs/FORMAT.md §24): the copy must
/// still refuse what the unique statement index refuses, and end with the source's schema.
final class MirrorIndexTests: XCTestCase {
    /// A source holding one statement twice: the appender's replay check dodged by hiding the
    /// first copy's digest while it appends (the appender builds the dropped unique index again
    /// first, docs/FORMAT.md §13), the index then dropped for good. Every entry is signed and
    /// chained, so only the replay rule shows it. A first copy (indexes deferred, the guard in
    /// memory) and a copy that follows (the index itself) both refuse the batch that replays it.
    func testReplayedStatementIsRefusedInAFirstCopyAndInAnIncrementalOne() throws {
        let s = try source(0..<30, every: 5)      // checkpoints at 1, 6, ..., 31
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        let follower = try Sandbox()
        XCTAssertEqual(try follower.ledger("mirror", server.base, "--log-key", logKey).status, 0)

        let digest = try s.sqlite("SELECT hex(body_sha256) FROM entries WHERE seq = 5").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try s.write("again.json", try s.ok("export", "--bodies", "--from", "5", "--to", "5"))
        try s.dropTriggers()
        try s.sqlite("DROP INDEX entries_statement_body; UPDATE entries SET body_sha256 = zeroblob(32) WHERE seq = 5")
        XCTAssertTrue(try s.ok("append", "--key", "keys/alice.key", "again.json").hasPrefix("31 "))
        try s.sqlite("DROP INDEX entries_statement_body; UPDATE entries SET body_sha256 = X'\(digest)' WHERE seq = 5")
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM entries WHERE body_sha256 = X'\(digest)'").stdout, "2\n")

        // Following: 1 new entry, no bulk copy, so the index itself refuses it.
        let followed = try follower.ledger("mirror", server.base)
        XCTAssertEqual(followed.status, 1, followed.stdout + followed.stderr)
        XCTAssertTrue(followed.stderr.contains("mirrored entry 31 cannot be stored: UNIQUE constraint failed: entries.body_sha256"), followed.stderr)
        XCTAssertEqual(try verifyJSON(follower, logKey: logKey)["size"] as? Int, 31)
        XCTAssertEqual(try evidence(follower), ["verification"])

        // A first copy of all 32 entries in batches of 5: deferred indexes, built again once the
        // copy holds 12 or more (20 before the end; at 16, a batch edge), so the index itself
        // refuses the batch that ends at 32; the 31 entries before it are kept.
        let first = try Sandbox()
        let copied = try first.ledger("mirror", server.base, "--log-key", logKey, "--batch", "5")
        XCTAssertEqual(copied.status, 1, copied.stdout + copied.stderr)
        XCTAssertTrue(copied.stderr.contains("mirrored entry 31 cannot be stored: UNIQUE constraint failed: entries.body_sha256"), copied.stderr)
        XCTAssertEqual(try verifyJSON(first, logKey: logKey)["size"] as? Int, 31)
        XCTAssertEqual(try evidence(first), ["verification"])
        XCTAssertEqual(try first.lookupIndexes("name, sql"), try follower.lookupIndexes("name, sql"))

        // With 40 more entries after the replay, a first copy in batches of 5 builds its
        // indexes at 52: the replay at 31 meets the guard in memory, which refuses it with the
        // index's words; the indexes are built when the refused round ends.
        try s.sqlite("UPDATE entries SET body_sha256 = zeroblob(32) WHERE seq = 5")
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "5", stdin: statementLines(100..<140))
        try s.sqlite("DROP INDEX entries_statement_body; UPDATE entries SET body_sha256 = X'\(digest)' WHERE seq = 5")
        server.stop()
        let again = try ServeProcess(s)
        let early = try Sandbox()
        let refused = try early.ledger("mirror", again.base, "--log-key", logKey, "--batch", "5")
        XCTAssertEqual(refused.status, 1, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("mirrored entry 31 cannot be stored: UNIQUE constraint failed: entries.body_sha256"), refused.stderr)
        XCTAssertEqual(try verifyJSON(early, logKey: logKey)["size"] as? Int, 31)
        XCTAssertEqual(try early.lookupIndexes("name, sql"), try follower.lookupIndexes("name, sql"))
        again.stop()
    }

    /// A first copy ends with exactly the schema of a ledger made by `ledger init` (the same
    /// index statements, rebuilt after the copy), and answers `list --platform` as the source does.
    func testFirstCopyEndsWithTheSourceSchema() throws {
        let s = try source(0..<40, every: 4)
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        let m = try Sandbox()
        let r = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "4")
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        XCTAssertEqual(try m.sqlite(indexes).stdout, try s.sqlite(indexes).stdout)
        XCTAssertTrue(try m.lookupIndexes("name, sql").contains("CREATE UNIQUE INDEX entries_statement_body ON entries(body_sha256) WHERE kind = 'statement'"))
        XCTAssertEqual(try m.ok("list", "--platform", "telegram"), try s.ok("list", "--platform", "telegram"))
        server.stop()
    }
}
