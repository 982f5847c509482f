import Foundation
import XCTest

/// `ledger mirror` against the real `ledger serve` binary on 127.0.0.1: two real processes, real
/// SQLite files. The copy must match the source root for root, refuse forks, rollbacks, bad
/// signatures and altered entries with evidence kept, and resume where it stopped.
final class MirrorTests: XCTestCase {
    func testMirrorCopiesFollowsAndMatchesTheSource() async throws {
        let s = try source(0..<20)
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        let m = try Sandbox()

        // First run: pinned key required.
        let unpinned = try m.ledger("mirror", server.base)
        XCTAssertEqual(unpinned.status, 2)
        XCTAssertTrue(unpinned.stderr.contains("--log-key"), unpinned.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: m.ledgerPath), "a refused first run creates nothing")

        let first = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "5", "--progress", "--notify", "whatsapp")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("mirrored 21 new entries (0 → 21)"), first.stdout)
        // Batches end at the source's checkpoints (sizes 1, 8, 15, 21), at most 5 entries unless
        // no checkpoint falls within 5: 0..<1, 1..<8, 8..<15, 15..<21.
        XCTAssertTrue(first.stdout.contains("verified and stored entries 1 ..< 8\nverified and stored entries 8 ..< 15\n"), first.stdout)
        XCTAssertFalse(first.stdout.contains("NEW "), "nothing about whatsapp yet")

        // The copy is a ledger like any other, identical to the source root for root, leaf for leaf.
        let copy = try verifyJSON(m, logKey: logKey), original = try verifyJSON(s, logKey: logKey)
        XCTAssertEqual(copy["root"] as? String, original["root"] as? String)
        XCTAssertEqual(copy["size"] as? Int, 21)
        XCTAssertEqual(try m.ok("export"), try s.ok("export"))
        XCTAssertEqual(try m.ok("export", "--bodies"), try s.ok("export", "--bodies"))
        XCTAssertEqual(try m.sqlite("SELECT size FROM checkpoints ORDER BY size").stdout,
                       try s.sqlite("SELECT size FROM checkpoints ORDER BY size").stdout, "the copy holds the source's checkpoints")
        XCTAssertEqual(try m.ok("compare", "--format", "csv"), try s.ok("compare", "--format", "csv"))
        // And the source's checkpoint, given to ledger-verify, is proved to be the copy's tree.
        let note = try await server.request("GET", "/checkpoint")
        try m.write("source-checkpoint", note.text)
        let proved = try m.verify("--log-key", logKey, "--checkpoint", "source-checkpoint")
        XCTAssertEqual(proved.status, 0, proved.stdout + proved.stderr)

        // New entries at the source, by the CLI on the same file while it serves.
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(20..<23, platform: "whatsapp"))
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(23..<25))
        try await Task.sleep(for: .milliseconds(300))
        let second = try m.ledger("mirror", server.base, "--notify", "whatsapp", "signal")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("mirrored 5 new entries (21 → 26)"), second.stdout)
        let notices = second.stdout.split(separator: "\n").filter { $0.hasPrefix("NEW ") }
        XCTAssertEqual(notices.count, 3, second.stdout)
        XCTAssertTrue(notices.allSatisfy { $0.hasPrefix("NEW whatsapp seq 2") && $0.contains("<https://example.org/report/") }, "\(notices)")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["root"] as? String, try verifyJSON(s, logKey: logKey)["root"] as? String)

        let again = try m.ledger("mirror", server.base)
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.hasPrefix("up to date at 26 entries"), again.stdout)
        XCTAssertEqual(try evidence(m), [])

        // The copy serves read-only: same checkpoint, appends refused.
        let copyServer = try ServeProcess(m)
        XCTAssertTrue(copyServer.outputLines.contains { $0.hasPrefix("read-only") }, "\(copyServer.outputLines)")
        let served = try await copyServer.request("GET", "/checkpoint")
        let sourceNote = try await server.request("GET", "/checkpoint")
        XCTAssertEqual(served.text, sourceNote.text)
        let refused = try await copyServer.request("POST", "/v1/entries", body: Data("{}".utf8))
        XCTAssertEqual(refused.status, 405, refused.text)
        // A mirror of the mirror is the same log again.
        let m2 = try Sandbox()
        let chained = try m2.ledger("mirror", copyServer.base, "--log-key", logKey)
        XCTAssertEqual(chained.status, 0, chained.stderr)
        XCTAssertEqual(try m2.ok("export"), try s.ok("export"))
        copyServer.signal(SIGTERM)
        server.signal(SIGTERM)
        XCTAssertEqual(copyServer.wait(), 0)
        XCTAssertEqual(server.wait(), 0)
    }

    /// The operator rewrites the database behind the service's back: another history of the same
    /// log, re-signed with the same log key. Larger, and of the same size.
    func testForkedSourceIsRefusedAndTheEvidenceKept() throws {
        let s = try source(0..<10)
        let logKey = try s.logKey()
        let m = try Sandbox()
        do {
            let server = try ServeProcess(s)
            XCTAssertEqual(try m.ledger("mirror", server.base, "--log-key", logKey).status, 0)
            server.stop()
        }
        let before = try m.ok("export")
        for (statements, expectProof) in [(100..<115, true), (200..<210, false)] {
            let forked = try Sandbox.fork(of: s, statements: statements)
            let server = try ServeProcess(forked)
            let r = try m.ledger("mirror", server.base)
            XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
            XCTAssertTrue(r.stderr.contains("ALERT: FORK"), r.stderr)
            XCTAssertTrue(r.stderr.contains("checkpoint served by the source:\ntest.example/ledger\n\(statements.count + 1)\n"), r.stderr)
            let row = try m.sqlite("SELECT kind, remote_note IS NOT NULL, local_note IS NOT NULL, proof IS NOT NULL FROM mirror_evidence ORDER BY id DESC LIMIT 1").stdout
            XCTAssertEqual(row, "fork|1|1|\(expectProof ? 1 : 0)\n")
            server.stop()
        }
        XCTAssertEqual(try m.ok("export"), before, "nothing of the fork is written")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 11)
        XCTAssertEqual(try evidence(m), ["fork", "fork"])
    }

    func testRolledBackSourceIsRefused() throws {
        let s = try source(0..<10)
        let logKey = try s.logKey()
        // The source as it was at 10 entries, kept aside.
        let old = try Sandbox()
        for item in ["ledger", "keys"] { try FileManager.default.copyItem(atPath: s.path(item), toPath: old.path(item)) }
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(10..<16))
        let m = try Sandbox()
        let current = try ServeProcess(s)
        XCTAssertEqual(try m.ledger("mirror", current.base, "--log-key", logKey).status, 0)
        current.stop()

        let rolledBack = try ServeProcess(old)
        let r = try m.ledger("mirror", rolledBack.base)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("ALERT: ROLLBACK: the source now shows 11 entries, but this mirror already verified 17"), r.stderr)
        XCTAssertEqual(try evidence(m), ["rollback"])
        // Watching: the same refusal each round is alerted each time and kept once.
        let watched = try m.ledger("mirror", rolledBack.base, "--watch", "--interval", "0.1", "--rounds", "3")
        XCTAssertEqual(watched.status, 1)
        XCTAssertEqual(watched.stderr.components(separatedBy: "ALERT: ROLLBACK").count - 1, 3, watched.stderr)
        XCTAssertEqual(try evidence(m), ["rollback"])
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 17)
        rolledBack.stop()
    }

    /// Wrong pinned key, a source altered behind its back, an unreachable source: each refused,
    /// nothing copied.
    func testBadKeyTamperedSourceAndUnreachableSource() throws {
        let s = try source(0..<12, every: 4)
        let logKey = try s.logKey()
        let server = try ServeProcess(s)

        // Another key under the same name: the source's checkpoints do not open under it.
        let other = try Sandbox()
        try other.ok("init", "--origin", "test.example/ledger")
        let wrongKey = try other.logKey()
        let m0 = try Sandbox()
        let wrong = try m0.ledger("mirror", server.base, "--log-key", wrongKey)
        // A first copy pinned to another key is the caller's mistake (exit 2), told as such, not a fork.
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("does not verify under the pinned key") && wrong.stderr.contains("ledger log-key"), wrong.stderr)
        XCTAssertFalse(wrong.stderr.contains("ALERT"), wrong.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: m0.ledgerPath))
        XCTAssertEqual(try m0.ledger("mirror", server.base, "--log-key", "not-a-key").status, 2)

        // A body altered in the source's file (triggers dropped): the copy refuses the batch
        // that holds it and keeps the batches before.
        try s.dropTriggers()
        _ = try s.sqlite("UPDATE bodies SET body = replace(body, 'statement number 9', 'statement number 999') WHERE seq = 10")
        let m = try Sandbox()
        let tampered = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "4")
        XCTAssertEqual(tampered.status, 1, tampered.stdout + tampered.stderr)
        XCTAssertTrue(tampered.stderr.contains("seq 10: the stored body does not match body_sha256 in the entry"), tampered.stderr)
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 9, "batches up to checkpoint 9 verified and kept")
        XCTAssertEqual(try evidence(m), ["verification"])

        // A leaf altered: its hash no longer leads to the signed root.
        let m2 = try Sandbox()
        _ = try s.sqlite("UPDATE bodies SET body = replace(body, 'statement number 999', 'statement number 9') WHERE seq = 10")
        _ = try s.sqlite("UPDATE entries SET leaf = replace(leaf, '\"time\":\"20', '\"time\":\"19') WHERE seq = 6")
        let leafTampered = try m2.ledger("mirror", server.base, "--log-key", logKey, "--batch", "4")
        XCTAssertEqual(leafTampered.status, 1, leafTampered.stdout + leafTampered.stderr)
        XCTAssertTrue(leafTampered.stderr.contains("ALERT: the source's entries fail verification"), leafTampered.stderr)
        XCTAssertEqual(try verifyJSON(m2, logKey: logKey)["size"] as? Int, 5)

        server.stop()
        // Unreachable: exit 2, the copy unchanged, the failure kept.
        let down = try m.ledger("mirror", server.base)
        XCTAssertEqual(down.status, 2, down.stderr)
        XCTAssertTrue(down.stderr.contains("ledger: the source is unreachable"), down.stderr)
        XCTAssertFalse(down.stderr.contains("ALERT"), "an unreachable source is not evidence of misbehaviour: \(down.stderr)")
        XCTAssertEqual(try evidence(m), ["verification"], "and leaves no evidence row")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 9)
    }

    /// Killed at any point, a mirror holds only verified batches and goes on from the last one.
    func testKilledMirrorResumesWhereItStopped() throws {
        let s = try source(0..<600, every: 20)
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        let m = try Sandbox()
        // Stopped after two batches on purpose ...
        let partial = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "20", "--max-batches", "2")
        XCTAssertEqual(partial.status, 0, partial.stderr)
        XCTAssertTrue(partial.stdout.contains("(0 → 21)") && partial.stdout.contains("run again"), partial.stdout)
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 21)
        // ... then killed with SIGKILL while copying.
        let process = Process()
        process.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
        process.arguments = ["mirror", server.base, "--batch", "20", "--progress"]
        process.currentDirectoryURL = m.dir
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        _ = out.fileHandleForReading.availableData // the first batch line
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let held = try verifyJSON(m, logKey: logKey)["size"] as? Int ?? -1
        XCTAssertTrue(held >= 21 && held <= 601 && held % 20 == 1, "the copy holds whole verified batches: \(held)")
        let resumed = try m.ledger("mirror", server.base, "--batch", "100")
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        if held < 601 { XCTAssertTrue(resumed.stdout.contains("(\(held) → 601)"), "resumes at \(held): \(resumed.stdout)") }
        XCTAssertEqual(try m.ok("export"), try s.ok("export"))
        XCTAssertEqual(try m.sqlite("SELECT MAX(size) FROM mirror_state").stdout, "601\n")
        // The look-up indexes the first copy deferred (and the kill left missing) are built.
        XCTAssertEqual(try m.sqlite("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('entries_statement_body', 'entries_platform')").stdout, "2\n")
        server.stop()
    }

    /// Bodies withheld at the source by a signed notice: one before the mirror copies it (served
    /// as an empty line; the batch reaches out to the notice), one after (the copy drops its own
    /// copy of the body when the notice arrives). Both copies audit clean.
    func testWithheldBodiesStayWithheldInTheCopy() async throws {
        let s = try source(0..<12, every: 4)
        let logKey = try s.logKey()
        try s.ok("withhold", "3", "--reason", "court order")
        let server = try ServeProcess(s)
        let m = try Sandbox()
        let first = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "4")
        XCTAssertEqual(first.status, 0, first.stdout + first.stderr)
        XCTAssertEqual(try m.sqlite("SELECT seq, notice_seq FROM withheld").stdout, "3|13\n")
        XCTAssertEqual(try m.sqlite("SELECT COUNT(*) FROM bodies WHERE seq = 3").stdout, "0\n")

        try s.ok("withhold", "7", "--reason", "personal data in the quote")
        try await Task.sleep(for: .milliseconds(300))
        let second = try m.ledger("mirror", server.base)
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertEqual(try m.sqlite("SELECT seq, notice_seq FROM withheld ORDER BY seq").stdout, "3|13\n7|14\n")
        XCTAssertEqual(try m.sqlite("SELECT COUNT(*) FROM bodies WHERE seq IN (3, 7)").stdout, "0\n")
        let audit = try verifyJSON(m, logKey: logKey)
        XCTAssertEqual(audit["withheld"] as? [Int], [3, 7])
        XCTAssertEqual(audit["root"] as? String, try verifyJSON(s, logKey: logKey)["root"] as? String)
        server.stop()
    }

    /// A source that serves, at an intermediate size, a checkpoint of another history signed with
    /// its key (a split view inside one source): the batch ending there must lead to the round's
    /// signed root by a consistency proof; it does not, so nothing of it is written.
    func testSplitViewInsideOneSourceIsRefusedBeforeWriting() throws {
        let s = try source(0..<10)   // checkpoints at 1, 8, 11
        let logKey = try s.logKey()
        let other = try Sandbox.fork(of: s, statements: 100..<107)   // checkpoints at 1, 8
        let forged = try other.sqlite("SELECT note FROM checkpoints WHERE size = 8").stdout
        XCTAssertTrue(forged.hasPrefix("test.example/ledger\n8\n"), forged)
        try s.dropTriggers()
        try s.write("forged-note", String(forged.dropLast()))
        _ = try s.sqlite("UPDATE checkpoints SET note = readfile('\(s.path("forged-note"))') WHERE size = 8")
        XCTAssertEqual(try s.sqlite("SELECT note = readfile('\(s.path("forged-note"))') FROM checkpoints WHERE size = 8").stdout, "1\n")
        let server = try ServeProcess(s)
        let m = try Sandbox()
        let r = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "8")
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("ALERT: FORK") && r.stderr.contains("does not lead to its signed root"), r.stderr)
        XCTAssertEqual(try m.sqlite("SELECT kind, proof IS NOT NULL FROM mirror_evidence").stdout, "fork|1\n")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["size"] as? Int, 0, "nothing of the forked batch is written")
        server.stop()
    }

    /// Corrections spread over many batches: each batch's audit resumes the replay of the links
    /// before it (carried between batches, not read again), so a chain of amendments and a final
    /// retraction copy clean, and the copy's comparison and history are the source's.
    func testCorrectionChainAcrossBatchesIsReplayedInOrder() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        let gov = "government-requests"
        var last = try s.add(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 100)]))
        for i in 1...5 {
            _ = try s.add(statementJSON("signal", gov, "2020-0\(i)-01"), as: "bob")
            last = try s.add(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 100 + i)],
                                           supersedes: (last.seq, last.leaf, "amendment")))
        }
        _ = try s.add(statementJSON("whatsapp", gov, "2020-06-30", supersedes: (last.seq, last.leaf, "retraction"), summary: "withdrawn"))
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        let m = try Sandbox()
        let r = try m.ledger("mirror", server.base, "--log-key", logKey, "--batch", "1")
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("(0 → 14) in 14 verified batches"), r.stdout)
        XCTAssertEqual(try m.sqlite("SELECT COUNT(*) FROM links").stdout, "6\n")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["root"] as? String, try verifyJSON(s, logKey: logKey)["root"] as? String)
        XCTAssertEqual(try m.ok("compare", "--format", "csv"), try s.ok("compare", "--format", "csv"))
        XCTAssertEqual(try m.ok("history", "whatsapp", "--format", "json"), try s.ok("history", "whatsapp", "--format", "json"))
        server.stop()
    }
}

extension MirrorTests {
    /// Archived pages travel like any entry: a copy holds the same pages, their `documents` rows
    /// and their text, audits clean, and keeps a withheld page withheld.
    func testArchivedPagesAreMirrored() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", SourceCommandTests.page)
        for (n, time) in ["2024-09-10T12:00:00Z", "2024-10-10T12:00:00Z"].enumerated() {
            if n == 1 { try s.write("privacy.html", SourceCommandTests.page.replacingOccurrences(of: " So far, this has never happened.", with: "")) }
            XCTAssertEqual(try SourceCommandTests.archive(s, "privacy.html", at: time).status, 0)
        }
        try s.ok("withhold", "1", "--reason", "court order", "--yes")
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        defer { server.stop() }
        let m = try Sandbox()
        let copied = try m.ledger("mirror", server.base, "--log-key", logKey)
        XCTAssertEqual(copied.status, 0, copied.stdout + copied.stderr)
        // A copy that never held the withheld page has no row for it (FORMAT.md §12), as for a
        // withheld statement's rows; the source keeps its row, checked against the notice.
        let sourceList = try s.ok("source", "list").split(separator: "\n")
        XCTAssertEqual(try m.ok("source", "list").split(separator: "\n"), sourceList.filter { !$0.hasPrefix("1\t") })
        XCTAssertEqual(sourceList.count, 3)
        XCTAssertEqual(try m.ok("source", "show", "2", "--text"), try s.ok("source", "show", "2", "--text"))
        XCTAssertEqual(try m.ledger("source", "show", "1", "--text").status, 1, "still withheld")
        XCTAssertEqual(try verifyJSON(m, logKey: logKey)["root"] as? String, try verifyJSON(s, logKey: logKey)["root"] as? String)
    }
}
