import Foundation
import XCTest

/// What a new user types first.
final class CommandLineBasicsTests: XCTestCase {
    /// `ledger --ledger X list` was "Unknown option '--ledger'": global options now go before or
    /// after the subcommand, as git's do.
    func testGlobalOptionsBeforeTheSubcommandAndVersion() throws {
        let s = try Sandbox()
        try s.ok("--ledger", "other/l.sqlite", "--keys", "otherkeys", "init", "--origin", "test.example/ledger")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("other/l.sqlite")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("otherkeys/log.key")))
        try s.ok("--keys=otherkeys", "keygen", "alice")
        try s.ok("--ledger", "other/l.sqlite", "--keys", "otherkeys", "signer", "add", "alice", "otherkeys/alice.pub")
        try s.write("st.json", statementLine(3))
        try s.ok("--ledger=other/l.sqlite", "append", "--key", "otherkeys/alice.key", "st.json", "--keys", "otherkeys")
        XCTAssertTrue(try s.ok("--ledger", "other/l.sqlite", "list").contains("statement number 3"))
        XCTAssertTrue(try s.ok("list", "--ledger", "other/l.sqlite").contains("statement number 3"), "after the subcommand as before")
        let version = try s.ok("--version")
        XCTAssertTrue(version.hasPrefix("disclosure-ledger "), version)
    }

    /// Suggestions for three typos: a command, an option, a platform name.
    func testSuggestionsForTypos() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2))
        let command = try s.ledger("comapre")
        XCTAssertNotEqual(command.status, 0)
        XCTAssertTrue(command.stderr.contains("'comapre' is not a ledger command. Did you mean 'compare'?"), command.stderr)
        let option = try s.ledger("compare", "--fromat", "json")
        XCTAssertTrue(option.stderr.contains("Did you mean '--format'?"), option.stderr)
        let upper = try s.ledger("history", "Telegram")
        XCTAssertEqual(upper.status, 1)
        XCTAssertTrue(upper.stderr.contains("platform names are lowercase: did you mean 'telegram'?"), upper.stderr)
        let typo = try s.ledger("history", "telegarm")
        XCTAssertTrue(typo.stderr.contains("no statement in the ledger is about platform 'telegarm'; did you mean 'telegram'?"), typo.stderr)
        let compareTypo = try s.ledger("compare", "telegam")
        XCTAssertTrue(compareTypo.stderr.contains("did you mean 'telegram'?"), compareTypo.stderr)
    }

    /// `statement new` writes a template that passes the schema so it can be checked as it is
    /// filled in; its placeholder text is refused by name until it is replaced.
    func testTemplatePlaceholdersAreRefused() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("s.json", try s.ok("statement", "new", "--platform", "signal"))
        let before = try s.fingerprint()
        let check = try s.ledger("statement", "check", "s.json")
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stderr.contains("summary: still holds the placeholder text of `ledger statement new`"), check.stderr)
        let append = try s.ledger("append", "--key", "keys/alice.key", "s.json")
        XCTAssertEqual(append.status, 1)
        XCTAssertTrue(append.stderr.contains("s.json: summary: still holds the placeholder text"), append.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
    }
}

/// Acts that stay in the ledger for good ask first, at a terminal (a pseudo-terminal here,
/// through `script`); `--yes` and scripts' non-terminal input go ahead.
final class ConfirmationTests: XCTestCase {
    func underTerminal(_ s: Sandbox, _ command: String, answer: String) throws -> Sandbox.Run {
        let ledger = Sandbox.binDir.appendingPathComponent("ledger").path
        return try s.run("/usr/bin/script", ["-qec", "'\(ledger)' \(command)", "/dev/null"], stdin: Data((answer + "\n").utf8))
    }

    func testWithholdAndRevokeAskAtATerminal() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2))
        let before = try s.fingerprint()
        let no = try underTerminal(s, "withhold 1 --reason test", answer: "no")
        XCTAssertNotEqual(no.status, 0, no.stdout)
        XCTAssertTrue(no.stdout.contains("Withhold the body of seq 1"), no.stdout)
        XCTAssertTrue(no.stdout.contains("not confirmed; nothing was written"), no.stdout)
        XCTAssertEqual(try s.fingerprint(), before)
        let yes = try underTerminal(s, "withhold 1 --reason test", answer: "yes")
        XCTAssertEqual(yes.status, 0, yes.stdout)
        XCTAssertTrue(try s.ok("list").contains("withhold"))
        let revokeNo = try underTerminal(s, "signer revoke alice", answer: "n")
        XCTAssertNotEqual(revokeNo.status, 0, revokeNo.stdout)
        XCTAssertTrue(try s.ok("signer", "list").contains("alice"))
        let revokeYes = try underTerminal(s, "signer revoke alice --yes", answer: "")
        XCTAssertEqual(revokeYes.status, 0, revokeYes.stdout)
        XCTAssertFalse(revokeYes.stdout.contains("Type 'yes'"), "--yes does not ask")
        XCTAssertFalse(try s.ok("signer", "list").contains("alice"))
        XCTAssertEqual(try s.verify().status, 0)
    }
}

/// An interrupted bulk import is finished by running it again with `--skip-existing`.
final class ResumableImportTests: XCTestCase {
    func testAKilledImportResumesWithEveryStatementOnce() throws {
        let s = try Sandbox()
        try s.setUp()
        let count = 20_000
        try statementLines(0..<count).write(to: URL(fileURLWithPath: s.path("bulk.jsonl")))
        // Killed while it commits batches of 500.
        let import1 = Process()
        import1.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
        import1.arguments = ["append", "--key", "keys/alice.key", "--batch-size", "500"]
        import1.currentDirectoryURL = s.dir
        import1.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: s.path("bulk.jsonl")))
        import1.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        import1.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try import1.run()
        var size = 0
        let deadline = Date().addingTimeInterval(30)
        while size < 2 + 1500, Date() < deadline, import1.isRunning {  // two signer entries, then statements
            Thread.sleep(forTimeInterval: 0.05)
            size = Int(try s.sqlite("SELECT COUNT(*) FROM entries").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        }
        kill(import1.processIdentifier, SIGKILL)
        import1.waitUntilExit()
        let committed = Int(try s.sqlite("SELECT COUNT(*) FROM entries WHERE kind = 'statement'").stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        XCTAssertGreaterThan(committed, 0)
        XCTAssertLessThan(committed, count, "killed before the end")
        XCTAssertEqual(try s.verify().status, 0, "what was committed verifies")

        // Running it again refuses the first line as a replay...
        let again = try s.run("ledger", ["append", "--key", "keys/alice.key"], stdin: try Data(contentsOf: URL(fileURLWithPath: s.path("bulk.jsonl"))))
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("replay refused"), again.stderr)
        // ...and with --skip-existing finishes the import.
        let resumed = try s.run("ledger", ["append", "--key", "keys/alice.key", "--skip-existing"],
                                stdin: try Data(contentsOf: URL(fileURLWithPath: s.path("bulk.jsonl"))))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("appended \(count - committed) statements"), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("skipped \(committed) already in the ledger"), resumed.stderr)
        XCTAssertEqual(resumed.stdout.split(separator: "\n").count, count - committed, "one line per statement appended now")
        let distinct = try s.sqlite("SELECT COUNT(*), COUNT(DISTINCT body_sha256) FROM entries WHERE kind = 'statement'").stdout
        XCTAssertEqual(distinct.trimmingCharacters(in: .whitespacesAndNewlines), "\(count)|\(count)", "every statement exactly once")
        XCTAssertEqual(try s.verify().status, 0)
        let nothing = try s.run("ledger", ["append", "--key", "keys/alice.key", "--skip-existing"],
                                stdin: try Data(contentsOf: URL(fileURLWithPath: s.path("bulk.jsonl"))))
        XCTAssertEqual(nothing.status, 0)
        XCTAssertTrue(nothing.stderr.contains("nothing to append: all \(count) statements are already in the ledger"), nothing.stderr)
    }
}

extension CommandLineBasicsTests {
    /// `ledger find` answers "is this file in the ledger?" in one command; `ledger show` prints a
    /// card a reader follows.
    func testFindAndShow() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("in.json", statementLine(1))
        try s.write("out.json", statementLine(2))
        try s.ok("append", "--key", "keys/alice.key", "in.json")
        // Another spelling of the same document finds the same entry.
        let respelled = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(statementLine(1).utf8)))
        try s.write("pretty.json", String(decoding: try JSONSerialization.data(withJSONObject: respelled, options: [.prettyPrinted]), as: UTF8.self))
        let found = try s.ledger("find", "in.json", "pretty.json")
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(found.stdout.contains("in.json: in the ledger at seq 1, signed by alice"), found.stdout)
        XCTAssertTrue(found.stdout.contains("pretty.json: in the ledger at seq 1"), found.stdout)
        let notFound = try s.ledger("find", "in.json", "out.json")
        XCTAssertEqual(notFound.status, 1)
        XCTAssertTrue(notFound.stdout.contains("out.json: not in the ledger"), notFound.stdout)
        let withReceipt = try s.ledger("find", "in.json", "--receipts", "receipts")
        XCTAssertEqual(withReceipt.status, 0, withReceipt.stderr)
        XCTAssertTrue(withReceipt.stdout.contains("receipt: receipts/1.receipt.json"), withReceipt.stdout)
        let checked = try s.verify("receipt", "receipts/1.receipt.json", "--log-key", try s.logKey())
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        let card = try s.ok("show", "1")
        XCTAssertTrue(card.contains("quote (en): \u{201C}"), card)
        XCTAssertTrue(card.contains("source: "), card)
    }
}

extension ConfirmationTests {
    /// A bulk import shows how far it got on a terminal, and nothing of it reaches a pipe.
    func testBulkImportShowsProgressOnATerminalOnly() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("in.jsonl", String(decoding: statementLines(0..<30), as: UTF8.self))
        let shown = try underTerminal(s, "append --key keys/alice.key --batch-size 10 < in.jsonl", answer: "")
        XCTAssertEqual(shown.status, 0, shown.stdout)
        XCTAssertTrue(shown.stdout.contains("appending: 30/30 statements (100%)"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("appended 30 statements"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("\n30 "), "no per-entry lines at a terminal: \(shown.stdout)")
        try s.write("v.jsonl", String(decoding: statementLines(100..<102), as: UTF8.self))
        let verbose = try underTerminal(s, "append --key keys/alice.key --verbose < v.jsonl", answer: "")
        XCTAssertNotNil(verbose.stdout.range(of: #"(?m)^31 [0-9a-f]{64}"#, options: .regularExpression), "--verbose: \(verbose.stdout)")
        let piped = try s.ledger("append", "--key", "keys/alice.key", "--batch-size", "10", stdin: statementLines(30..<60))
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertFalse(piped.stderr.contains("appending:"), piped.stderr)
    }
}
