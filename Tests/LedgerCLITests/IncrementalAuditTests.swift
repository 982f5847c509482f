import Foundation
import XCTest

/// `ledger-verify --state FILE` (incremental audits, rollback and fork detection) and
/// `ledger-verify --checkpoint FILE`, on real ledgers with the built binaries.
final class IncrementalAuditTests: XCTestCase {
    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testStateAuditChecksOnlyNewEntries() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "7", stdin: statementLines(0..<20))
        let first = try json(try s.verify("--state", "audit.json", "--json").stdout)
        XCTAssertEqual(first["status"] as? String, "ok")
        XCTAssertEqual(first["entries_checked"] as? Int, 21)
        XCTAssertNil(first["resumed_from"])
        let saved = try json(String(contentsOfFile: s.path("audit.json"), encoding: .utf8))
        XCTAssertEqual(saved["format"] as? String, "disclosure-audit-state/v1")
        XCTAssertEqual(saved["size"] as? Int, 21)

        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(20..<27))
        let second = try s.verify("--state", "audit.json")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("ok: ledger/ledger.sqlite: 28 entries, 1 checkpoints"), second.stdout)
        XCTAssertTrue(second.stdout.contains("incremental: resumed at size 21 from audit.json; checked 7 entries; saved the checkpoint at size 28"), second.stdout)
        let third = try json(try s.verify("--state", "audit.json", "--json").stdout)
        XCTAssertEqual(third["entries_checked"] as? Int, 0)
        XCTAssertEqual(third["resumed_from"] as? Int, 28)
        XCTAssertEqual(third["size"] as? Int, 28)
        // The plain audit is unchanged and agrees.
        let full = try json(try s.verify("--json").stdout)
        XCTAssertEqual(full["root"] as? String, third["root"] as? String)
        XCTAssertNil(full["entries_checked"])

        // A tampered new entry is caught by the incremental audit, and the state is not advanced.
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(27..<30))
        try s.dropTriggers()
        try s.sqlite("UPDATE bodies SET body = replace(body, 'statement number 28', 'statement number 99')")
        let stateBefore = try String(contentsOfFile: s.path("audit.json"), encoding: .utf8)
        let bad = try s.verify("--state", "audit.json")
        XCTAssertEqual(bad.status, 1, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("FAILED: ledger/ledger.sqlite: seq 29: the stored body does not match body_sha256"), bad.stderr)
        XCTAssertEqual(try String(contentsOfFile: s.path("audit.json"), encoding: .utf8), stateBefore)
    }

    /// The state carries the key history and chain head: signer changes and a withhold notice
    /// after it are checked against what came before, without reading it again.
    func testStateResumesKeyHistoryAndWithholding() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<4))
        XCTAssertEqual(try s.verify("--state", "audit.json").status, 0)
        try s.ok("signer", "revoke", "alice")
        try s.ok("keygen", "bob")
        try s.ok("signer", "add", "bob", "keys/bob.pub")
        try s.ok("append", "--key", "keys/bob.key", stdin: statementLines(10..<12))
        try s.ok("withhold", "2", "--reason", "court order")
        let r = try json(try s.verify("--state", "audit.json", "--json").stdout)
        XCTAssertEqual(r["status"] as? String, "ok", "\(r)")
        XCTAssertEqual(r["entries_checked"] as? Int, 5)
        XCTAssertEqual(r["signers"] as? [String], ["bob"])
        let saved = try json(String(contentsOfFile: s.path("audit.json"), encoding: .utf8))
        XCTAssertEqual((saved["revoked"] as? [[String: Any]])?.first?["name"] as? String, "alice")
        XCTAssertEqual((saved["signers"] as? [[String: Any]])?.first?["name"] as? String, "bob")
        XCTAssertEqual(try json(try s.verify("--state", "audit.json", "--json").stdout)["entries_checked"] as? Int, 0)
    }

    /// Corrections and responses before the saved state still count: the resumed audit replays
    /// their rows, so later links are judged against the whole history and row counts agree.
    func testStateResumesAcrossCorrectionsAndResponses() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        try s.addSigner("carol")
        let claim = try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 0, "governments")]))
        let amended = try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 0, "third-parties")],
                                              supersedes: (claim.seq, claim.leaf, "amendment")))
        try s.add(responseJSON(amended.seq, amended.leaf, "dispute"), as: "bob")
        let first = try s.verify("--state", "audit.json")
        XCTAssertEqual(first.status, 0, first.stderr)
        // After the state: a retraction of the amendment, and a second response by another signer.
        try s.add(statementJSON("telegram", "third-party-sharing", "2024-09-23", supersedes: (amended.seq, amended.leaf, "retraction"), summary: "withdrawn"))
        try s.add(responseJSON(amended.seq, amended.leaf, "endorsement"), as: "carol")
        let resumed = try s.verify("--state", "audit.json", "--json")
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains(#""entries_checked":2"#), resumed.stdout)
        // A links row forged after the saved state for a new entry breaks the row count; the full
        // audit also catches one forged before it (an incremental audit trusts what it verified).
        try s.dropTriggers()
        try s.add(statementJSON("signal", "encryption", "2020-01-01"))
        let lastSeq = try s.sqlite("SELECT MAX(seq) FROM entries").stdout.trimmingCharacters(in: .newlines)
        try s.sqlite("INSERT INTO links(seq, target, kind, signer) VALUES (\(lastSeq), \(claim.seq), 'dispute', 'alice')")
        let forged = try s.verify("--state", "audit.json")
        XCTAssertEqual(forged.status, 1, forged.stdout + forged.stderr)
        XCTAssertTrue(forged.stderr.contains("the links row disagrees with the signed body"), forged.stderr)
        XCTAssertEqual(try s.verify().status, 1)
    }

    func testStateDetectsRollback() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<5))
        try s.sqlite(".backup ledger/old.sqlite")
        let oldNote = try s.ok("checkpoint")
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(5..<9))
        let newNote = try s.ok("checkpoint")
        XCTAssertEqual(try s.verify("--state", "audit.json").status, 0)
        try s.write("new.cp", newNote)
        // The operator restores the older file: it verifies on its own, but not against what we saw.
        try FileManager.default.removeItem(atPath: s.ledgerPath)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: s.ledgerPath + suffix) }
        try FileManager.default.moveItem(atPath: s.path("ledger/old.sqlite"), toPath: s.ledgerPath)
        XCTAssertEqual(try s.verify().status, 0)
        let stateBefore = try String(contentsOfFile: s.path("audit.json"), encoding: .utf8)
        let r = try s.verify("--state", "audit.json")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("--state audit.json: the state's checkpoint is of size 10, but the ledger's latest checkpoint is of size 6: the ledger was rolled back"), r.stderr)
        XCTAssertTrue(r.stdout.contains("--- checkpoint 1\n" + newNote + "--- checkpoint 2\n" + oldNote), r.stdout)
        XCTAssertEqual(try String(contentsOfFile: s.path("audit.json"), encoding: .utf8), stateBefore, "a failed audit keeps the state")
        // The same with --checkpoint, and in JSON the evidence is both notes.
        let j = try json(try s.verify("--checkpoint", "new.cp", "--json").stdout)
        XCTAssertEqual(j["status"] as? String, "failed")
        XCTAssertEqual(j["location"] as? String, "--checkpoint new.cp")
        XCTAssertEqual(j["evidence"] as? [String], [newNote, oldNote])
    }

    func testStateDetectsAForkSignedWithTheSameKey() throws {
        let a = try Sandbox()
        try a.setUp()
        try a.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<6))
        XCTAssertEqual(try a.verify("--state", "audit.json").status, 0)
        let noteA = try a.ok("checkpoint")
        // Same size, other statements: the same key signed two different trees of size 7.
        let b = try Sandbox.fork(of: a, statements: 100..<106)
        XCTAssertEqual(try b.verify().status, 0, "the fork is a well-formed ledger on its own")
        let noteB = try b.ok("checkpoint")
        try FileManager.default.copyItem(atPath: a.path("audit.json"), toPath: b.path("audit.json"))
        let r = try b.verify("--state", "audit.json")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("split view: the state's checkpoint has root"), r.stderr)
        XCTAssertTrue(r.stdout.contains("--- checkpoint 1\n" + noteA + "--- checkpoint 2\n" + noteB), r.stdout)
        // A fork that went on growing: no consistency proof from what we saw to its latest.
        try b.ok("append", "--key", "keys/alice.key", stdin: statementLines(106..<110))
        let grown = try b.verify("--state", "audit.json")
        XCTAssertEqual(grown.status, 1)
        XCTAssertTrue(grown.stderr.contains("split view"), grown.stderr)
        XCTAssertTrue(grown.stdout.contains(noteA) && grown.stdout.contains(noteB), "the fork's own checkpoint at size 7 is the evidence: \(grown.stdout)")
    }

    func testCheckpointOptionAcceptsOwnAndRefusesForeignCheckpoints() throws {
        let a = try Sandbox()
        try a.setUp()
        try a.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        try a.write("seen.cp", try a.ok("checkpoint"))
        try a.ok("append", "--key", "keys/alice.key", stdin: statementLines(3..<8))
        let ok = try a.verify("--checkpoint", "seen.cp")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("contains the given checkpoint of size 4"), ok.stdout)
        // The fork's checkpoint: same key, same size as one of ours, another root.
        let b = try Sandbox.fork(of: a, statements: 200..<203)
        try a.write("fork.cp", try b.ok("checkpoint"))
        let split = try a.verify("--checkpoint", "fork.cp")
        XCTAssertEqual(split.status, 1)
        XCTAssertTrue(split.stderr.contains("--checkpoint fork.cp: split view: the given checkpoint has root"), split.stderr)
        XCTAssertTrue(split.stdout.contains(try String(contentsOfFile: a.path("seen.cp"), encoding: .utf8)),
                      "the ledger's own signed checkpoint at size 4 is shown: \(split.stdout)")
        // Another log's checkpoint (other key and origin), and a damaged note.
        let other = try Sandbox()
        try other.setUp(origin: "other.example/log")
        try a.write("foreign.cp", try other.ok("checkpoint"))
        let foreign = try a.verify("--checkpoint", "foreign.cp")
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stderr.contains("--checkpoint foreign.cp: not a checkpoint signed by the pinned log key test.example/ledger+"), foreign.stderr)
        try a.write("damaged.cp", try String(contentsOfFile: a.path("seen.cp"), encoding: .utf8).replacingOccurrences(of: "\n4\n", with: "\n3\n"))
        XCTAssertEqual(try a.verify("--checkpoint", "damaged.cp").status, 1)
        XCTAssertEqual(try a.verify("--checkpoint", "missing.cp").status, 2)
    }

    func testUnusableStateFilesAreUsageErrorsAndLeftAlone() throws {
        let a = try Sandbox()
        try a.setUp()
        XCTAssertEqual(try a.verify("--state", "audit.json").status, 0)
        let other = try Sandbox()
        try other.setUp(origin: "other.example/log")
        try FileManager.default.copyItem(atPath: a.path("audit.json"), toPath: other.path("audit.json"))
        let r = try other.verify("--state", "audit.json")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("the state file is for log key test.example/ledger+"), r.stderr)
        try a.write("broken.json", "{\"format\":\"disclosure-audit-state/v1\"}")
        let broken = try a.verify("--state", "broken.json")
        XCTAssertEqual(broken.status, 2)
        XCTAssertTrue(broken.stderr.contains("log_key: is required"), broken.stderr)
        XCTAssertEqual(try String(contentsOfFile: a.path("broken.json"), encoding: .utf8), "{\"format\":\"disclosure-audit-state/v1\"}")
    }
}
