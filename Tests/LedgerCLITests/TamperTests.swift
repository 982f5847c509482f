import Foundation
import XCTest

/// Each case edits a real ledger file with the sqlite3 CLI (triggers dropped, as an attacker
/// would), then runs the built ledger-verify: exit 1, naming the right seq or checkpoint.
final class TamperTests: XCTestCase {
    /// seq 0 registers alice; statements 0..7 are seq 1..8, appended two per transaction, so
    /// checkpoints exist at sizes 0, 1, 3, 5, 7 and 9.
    func makeLedger() throws -> Sandbox {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "2", stdin: statementLines(0..<8))
        XCTAssertEqual(try s.sqlite("SELECT group_concat(size) FROM checkpoints").stdout, "0,1,3,5,7,9\n")
        let clean = try s.verify()
        XCTAssertEqual(clean.status, 0, clean.stderr)
        try s.dropTriggers()
        return s
    }

    func expectFailure(_ s: Sandbox, _ location: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try s.verify()
        XCTAssertEqual(r.status, 1, "stdout: \(r.stdout) stderr: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("FAILED: ledger/ledger.sqlite: \(location): "), "expected \(location), got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(reason), "expected '\(reason)', got: \(r.stderr)", file: file, line: line)
        let json = try s.verify("--json")
        XCTAssertEqual(json.status, 1, file: file, line: line)
        XCTAssertTrue(json.stdout.contains("\"location\":\"\(location)\""), json.stdout, file: file, line: line)
    }

    func testOneByteOfAStatement() throws {
        let s = try makeLedger()
        try s.sqlite("UPDATE bodies SET body = replace(body, 'statement number 3', 'statement number 9')")
        try expectFailure(s, "seq 4", "the stored body does not match body_sha256")
    }

    func testASignature() throws {
        let s = try makeLedger()
        try s.sqlite("""
            UPDATE entries SET leaf = replace(leaf, json_extract(leaf, '$.sig'),
              CASE substr(json_extract(leaf, '$.sig'), 1, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr(json_extract(leaf, '$.sig'), 2))
            WHERE seq = 5
            """)
        try expectFailure(s, "seq 5", "the signature by 'alice' does not verify")
    }

    /// With the opt-in key tables (`LEDGER_ED25519=tables`), which alice's key gets after 64
    /// checks: a clean ledger passes, and one altered signature past that point is named.
    func testASignatureCheckedWithTheKeyTable() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<100))
        let tables = ["LEDGER_ED25519": "tables"]
        let clean = try s.run("ledger-verify", [], environment: tables)
        XCTAssertEqual(clean.status, 0, clean.stderr)
        try s.dropTriggers()
        try s.sqlite("""
            UPDATE entries SET leaf = replace(leaf, json_extract(leaf, '$.sig'),
              CASE substr(json_extract(leaf, '$.sig'), 1, 1) WHEN 'A' THEN 'B' ELSE 'A' END || substr(json_extract(leaf, '$.sig'), 2))
            WHERE seq = 90
            """)
        for environment in [tables, [:]] {
            let r = try s.run("ledger-verify", [], environment: environment)
            XCTAssertEqual(r.status, 1, "\(environment): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("seq 90: the signature by 'alice' does not verify"), "\(environment): \(r.stderr)")
        }
    }

    func testASwappedPairOfEntries() throws {
        let s = try makeLedger()
        try s.sqlite("UPDATE entries SET seq = -1 WHERE seq = 3; UPDATE entries SET seq = 3 WHERE seq = 4; UPDATE entries SET seq = 4 WHERE seq = -1;")
        try expectFailure(s, "seq 3", "the entry stored here says seq 4")
    }

    func testADeletedMiddleEntry() throws {
        let s = try makeLedger()
        try s.sqlite("DELETE FROM entries WHERE seq = 5")
        try expectFailure(s, "seq 5", "the entry is missing (the next stored entry is seq 6)")
    }

    func testADeletedLastEntryIsCaughtByTheStoredCheckpoint() throws {
        let s = try makeLedger()
        try s.sqlite("DELETE FROM entries WHERE seq = 8")
        try expectFailure(s, "checkpoint at size 9", "it covers 9 entries but the ledger holds only 8")
    }

    func testACheckpointWithABadSignature() throws {
        let s = try makeLedger()
        // sqlite3 prints the note (which ends in a newline) and a newline of its own.
        var note = Array(try s.sqlite("SELECT note FROM checkpoints WHERE size = 5").stdout.utf8.dropLast(2))
        let i = note.count - 20
        note[i] = note[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try s.sqlite("UPDATE checkpoints SET note = '\(String(decoding: note, as: UTF8.self))' || char(10) WHERE size = 5")
        try expectFailure(s, "checkpoint at size 5", "the checkpoint signature by test.example/ledger does not verify")
    }

    func testALedgerResignedWithAnotherLogKey() throws {
        let s = try makeLedger()
        // The same history rebuilt under a different log key with the same origin, copied over ours.
        let forger = try Sandbox()
        try forger.setUp()
        try forger.ok("append", "--key", "keys/alice.key", "--batch-size", "2", stdin: statementLines(0..<8))
        XCTAssertEqual(try forger.verify().status, 0)
        try forger.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        try FileManager.default.removeItem(atPath: s.ledgerPath)
        try? FileManager.default.removeItem(atPath: s.ledgerPath + "-wal")
        try? FileManager.default.removeItem(atPath: s.ledgerPath + "-shm")
        try FileManager.default.copyItem(atPath: forger.ledgerPath, toPath: s.ledgerPath)
        try expectFailure(s, "checkpoint at size 0", "not signed by the pinned log key")
    }

    func testAQueryColumnRewrittenToMisleadReaders() throws {
        let s = try makeLedger()
        try s.sqlite("UPDATE entries SET platform = 'whatsapp' WHERE seq = 6")
        try expectFailure(s, "seq 6", "the platform column disagrees with the signed entry")
    }

    func testAStoredMerkleHash() throws {
        let s = try makeLedger()
        // Stored hash 2 is the level-1 node over leaves 0 and 1.
        try s.sqlite("UPDATE hashes SET hash = zeroblob(32) WHERE id = 2")
        try expectFailure(s, "seq 1", "stored Merkle hash 2 differs from the recomputed tree")
    }

    func testAnEntryAppendedBehindTheLedgersBack() throws {
        let s = try makeLedger()
        try s.sqlite("DELETE FROM checkpoints WHERE size = 9")
        try expectFailure(s, "seq 7", "entries from seq 7 on are not covered by any signed checkpoint")
    }

    func testABodyDeletedWithoutANotice() throws {
        let s = try makeLedger()
        try s.sqlite("DELETE FROM bodies WHERE body LIKE '%statement number 6\"%'")
        try expectFailure(s, "seq 7", "the body is missing and no withhold notice covers it")
    }

    func testABodyWithoutAnEntry() throws {
        let s = try makeLedger()
        try s.sqlite("INSERT INTO bodies(seq, body) SELECT 20, body FROM bodies WHERE seq = 3")
        try expectFailure(s, "seq 20", "a body is stored for seq 20, which has no entry")
    }

    func testAForgedWithheldRowWhoseBodyIsStillThere() throws {
        let s = try makeLedger()
        try s.sqlite("INSERT INTO withheld(seq, sha256, notice_seq) SELECT seq, body_sha256, 8 FROM entries WHERE seq = 2")
        try expectFailure(s, "seq 2", "the withheld table lists seq 2, but its body is still stored")
    }

    func testWrongPinnedKeyAndUsageErrorsExit2() throws {
        let s = try makeLedger()
        let other = try s.ok("keygen", "mallory")
        XCTAssertFalse(other.isEmpty)
        let wrongName = try s.verify("--log-key", other.trimmingCharacters(in: .newlines))
        XCTAssertEqual(wrongName.status, 1, wrongName.stderr)
        XCTAssertTrue(wrongName.stderr.contains("ledger: the ledger's origin is 'test.example/ledger', but the pinned log key is for 'mallory'"), wrongName.stderr)
        let wrongKey = try s.verify("--log-key", "keys/mallory.pub")
        XCTAssertEqual(wrongKey.status, 1)
        XCTAssertTrue(wrongKey.stderr.contains("checkpoint at size 0: not signed by the pinned log key"), wrongKey.stderr)
        XCTAssertEqual(try s.verify("--ledger", "missing.sqlite").status, 2)
        XCTAssertEqual(try s.verify("--log-key", "nonsense").status, 2)
        XCTAssertEqual(try s.verify("--no-such-flag").status, 2)
        try s.write("junk.sqlite", "this is not a database")
        XCTAssertEqual(try s.verify("--ledger", "junk.sqlite").status, 2)
    }
}
