import Foundation
import XCTest

/// Edits of a ledger file that once crashed `ledger-verify` or audited clean: each now exits 1
/// naming where (the sqlite3 CLI edits the file, triggers dropped, as in TamperTests).
final class HardeningTamperTests: XCTestCase {
    /// seq 0 registers alice; statements 0..7 are seq 1..8, two per transaction.
    func makeLedger() throws -> Sandbox {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "2", stdin: statementLines(0..<8))
        XCTAssertEqual(try s.verify().status, 0)
        try s.dropTriggers()
        return s
    }

    func expectFailure(_ s: Sandbox, _ location: String, _ reason: String, pinned: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let args = pinned ? ["--log-key", try logKeyText(s)] : []
        let r = try s.run("ledger-verify", args)
        XCTAssertEqual(r.status, 1, "stdout: \(r.stdout) stderr: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("FAILED: ledger/ledger.sqlite: \(location): "), "expected \(location), got: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(reason), "expected '\(reason)', got: \(r.stderr)", file: file, line: line)
    }

    private var savedLogKey: String?
    func logKeyText(_ s: Sandbox) throws -> String {
        if let savedLogKey { return savedLogKey }
        return try s.logKey()
    }

    func testLastSeqAtInt64MaxIsNamedNotACrash() throws {
        let s = try makeLedger()
        try s.sqlite("UPDATE entries SET seq = 9223372036854775807 WHERE seq = 8")
        try expectFailure(s, "seq 9223372036854775807", "the entry stored here says seq 8 (entries moved or swapped)")
    }

    func testANegativeCheckpointSize() throws {
        let s = try makeLedger()
        try s.sqlite("INSERT INTO checkpoints(size, note) SELECT -1, note FROM checkpoints WHERE size = 0")
        try expectFailure(s, "checkpoint at size -1", "a checkpoint of negative size is stored")
    }

    func testAStoredValueOfTheWrongType() throws {
        let s = try makeLedger()
        try s.sqlite("UPDATE checkpoints SET note = X'FF' WHERE size = 5")
        try expectFailure(s, "ledger", "a stored value has the wrong type")
    }

    func testMetaRowsAreChecked() throws {
        let s = try makeLedger()
        savedLogKey = try s.logKey()
        try s.sqlite("INSERT INTO meta(key, value) VALUES ('extra', 'x')")
        try expectFailure(s, "ledger", "meta holds a row 'extra' that the format does not define")
        try s.sqlite("DELETE FROM meta WHERE key = 'extra'; UPDATE meta SET value = 'not a key' WHERE key = 'log_key'")
        // With the key pinned on the command line, the damaged meta is the ledger's failure (exit 1).
        try expectFailure(s, "ledger", "meta.log_key is not a C2SP verifier key", pinned: true)
    }

    /// A withhold notice is valid only with its own `withheld` row and the body gone.
    func testAWithholdNoticeWhoseBodyIsStillStored() throws {
        let s = try makeLedger()
        let body = try s.sqlite("SELECT hex(body) FROM bodies WHERE seq = 3").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // Its words go from the search index with the body; the one who puts the body back
        // puts them back too, or the audit stops at seq 3 for the missing row.
        try s.sqlite("CREATE TABLE saved AS SELECT rowid AS r, platform, category, recipients, text FROM search WHERE rowid = 3")
        try s.sqlite("CREATE TABLE saved_disclosures AS SELECT * FROM disclosures WHERE seq = 3")
        try s.ok("withhold", "3", "--reason", "test")
        XCTAssertEqual(try s.verify().status, 0)
        try s.sqlite("INSERT INTO bodies(seq, body) VALUES (3, CAST(X'\(body)' AS TEXT))")
        try expectFailure(s, "seq 3", "the search index has no row for this statement")
        try s.sqlite("INSERT INTO search(rowid, platform, category, recipients, text) SELECT r, platform, category, recipients, text FROM saved")
        try expectFailure(s, "seq 3", "the disclosures row disagrees with the signed body")
        try s.sqlite("INSERT INTO disclosures SELECT * FROM saved_disclosures")
        try expectFailure(s, "seq 9", "the withhold notice for seq 3 is in the log, but that body is still stored")
        try s.sqlite("DELETE FROM withheld WHERE seq = 3")
        try expectFailure(s, "seq 9", "the withhold notice for seq 3 has no withheld row of its own")
    }

    /// `disclosures` (whom each statement says got data, which history pages read instead of the
    /// bodies) is held to the signed bodies row by row: altered, missing, made up for a claim of
    /// absence, left behind by a withheld statement, or added for no statement at all.
    func testTheDisclosuresRowsAreHeldToTheBodies() throws {
        let s = try makeLedger()
        // seq 1 says 0 bytes (no row); seq 2..8 report 1..7 bytes to governments.
        XCTAssertEqual(try s.sqlite("SELECT seq || ' ' || scopes FROM disclosures ORDER BY seq LIMIT 2").stdout, "2 2019-03-14:governments\n3 2019-03-14:governments\n")
        try s.sqlite("UPDATE disclosures SET scopes = '2019-03-14:third-parties' WHERE seq = 4")
        try expectFailure(s, "seq 4", "the disclosures row disagrees with the signed body")
        try s.sqlite("DELETE FROM disclosures WHERE seq = 4")
        try expectFailure(s, "seq 4", "the disclosures row disagrees with the signed body")
        try s.sqlite("INSERT INTO disclosures(seq, scopes) VALUES (4, '2019-03-14:governments'), (1, '2019-03-14:governments')")
        try expectFailure(s, "seq 1", "the disclosures row disagrees with the signed body")
        try s.sqlite("DELETE FROM disclosures WHERE seq = 1")
        XCTAssertEqual(try s.verify().status, 0)
        try s.ok("withhold", "5", "--reason", "court order")
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM disclosures WHERE seq = 5").stdout, "0\n", "withholding removes it")
        XCTAssertEqual(try s.verify().status, 0)
        try s.sqlite("INSERT INTO disclosures(seq, scopes) VALUES (5, '2019-03-14:governments')")
        try expectFailure(s, "seq 5", "the disclosures table still holds a row of this withheld statement")
        try s.sqlite("DELETE FROM disclosures WHERE seq = 5; INSERT INTO disclosures(seq, scopes) VALUES (0, '2019-03-14:governments')")
        try expectFailure(s, "ledger", "the disclosures table holds 7 rows, but the signed bodies account for 6")
    }

    /// Once a retraction's body is withheld, its `links` row could not be re-derived, and editing
    /// it to `amendment` let the final retraction be amended (appender and audit both agreed).
    /// The v2 notice signs what the body implied: the appender reads it, the audit checks the row.
    func testAWithheldCorrectionsRowsAreCheckedAgainstItsNotice() throws {
        let s = try Sandbox()
        try s.setUp()
        let original = try s.add(statementJSON("whatsapp", "government-requests", "2021-01-01"))
        let retraction = try s.add(statementJSON("whatsapp", "government-requests", "2021-06-30",
                                                 supersedes: (original.seq, original.leaf, "retraction"), summary: "withdrawn"))
        try s.ok("withhold", String(retraction.seq), "--reason", "court order")
        XCTAssertEqual(try s.verify().status, 0)
        let notice = retraction.seq + 1
        try s.dropTriggers()
        try s.sqlite("UPDATE links SET kind = 'amendment' WHERE seq = \(retraction.seq)")
        let amend = statementJSON("whatsapp", "government-requests", "2021-07-01", supersedes: (retraction.seq, retraction.leaf, "amendment"))
        try s.write("amend.json", amend)
        let before = try s.fingerprint()
        let refused = try s.ledger("append", "--key", "keys/alice.key", "amend.json")
        XCTAssertEqual(refused.status, 1, "the appender reads the notice, not the edited row")
        XCTAssertTrue(refused.stderr.contains("is a retraction, which is final"), refused.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
        try expectFailure(s, "seq \(notice)", "the links row of withheld seq \(retraction.seq) disagrees with its signed withhold notice")
        try s.sqlite("UPDATE links SET kind = 'retraction' WHERE seq = \(retraction.seq); UPDATE entries SET category = 'encryption' WHERE seq = \(retraction.seq)")
        try expectFailure(s, "seq \(notice)", "the stored platform, category or effective_date of withheld seq \(retraction.seq) disagree")
    }

    /// SQLite keeps a text's bytes after a NUL; GRDB read them only up to it, so a derived row
    /// given a tail after a NUL compared equal to its signed body while a query read the tail.
    /// The audit reads those rows whole: each such edit fails it.
    func testADerivedRowWithATailAfterANulIsFound() throws {
        let s = try Sandbox()
        try s.setUp()
        let zero = try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 0, "third-parties")],
                                           recipients: ["governments"]))
        let original = try s.add(statementJSON("whatsapp", "government-requests", "2021-01-01", quantities: [qty("requests-received", 12)]))
        let amendment = try s.add(statementJSON("whatsapp", "government-requests", "2021-01-01",
                                                supersedes: (original.seq, original.leaf, "amendment"), summary: "corrected"))
        XCTAssertEqual(try s.verify().status, 0)
        try s.dropTriggers()
        let edits: [(table: String, column: String, seq: Int, reason: String)] = [
            ("search", "text", zero.seq, "the search index row disagrees with the signed body"),
            ("zero_claims", "scopes", zero.seq, "zero_claims"),
            ("links", "kind", amendment.seq, "links"),
        ]
        for edit in edits {
            let key = edit.table == "search" ? "rowid" : "seq"
            let before = try s.sqlite("SELECT CAST(\(edit.column) AS BLOB) FROM \(edit.table) WHERE \(key) = \(edit.seq)").stdout
            XCTAssertFalse(before.isEmpty, "\(edit.table) has a row for seq \(edit.seq)")
            try s.sqlite("UPDATE \(edit.table) SET \(edit.column) = \(edit.column) || char(0) || 'tail' WHERE \(key) = \(edit.seq)")
            try expectFailure(s, "seq \(edit.seq)", edit.reason)
            try s.sqlite("UPDATE \(edit.table) SET \(edit.column) = substr(\(edit.column), 1, instr(\(edit.column), char(0)) - 1) WHERE \(key) = \(edit.seq)")
            XCTAssertEqual(try s.verify().status, 0, "restored \(edit.table)")
        }
    }
}
