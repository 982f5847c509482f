import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `ledger source`: a platform's page archived as a `document` entry, its text read back, a
/// quote checked against it, and the entry audited by our verifier and the independent one.
final class SourceCommandTests: XCTestCase {
    static let page = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram Privacy Policy</title>
        <script>var track = 1;</script></head><body>
        <nav><ul><li><a href="?setln=de">Deutsch</a></li><li><a href="?setln=it">Italiano</a></li></ul></nav>
        <div id="dev_page_content"><h4>8.3. Law Enforcement Authorities</h4>
        <p>If Telegram receives a court order that confirms you&#39;re a terror suspect, we may disclose your IP address
        and phone number to the relevant authorities. So far, this has never happened.</p></div>
        <footer>Telegram FZ-LLC</footer></body></html>
        """

    /// `ledger source add FILE` signed by alice, as a copy of https://telegram.org/privacy
    /// fetched at `time`.
    static func archive(_ s: Sandbox, _ file: String, at time: String) throws -> Sandbox.Run {
        try s.ledger(["source", "add", file, "--key", "keys/alice.key", "--url", "https://telegram.org/privacy",
                      "--platform", "telegram", "--type", "privacy-policy", "--retrieved-at", time])
    }

    func testAPageIsArchivedReadBackAndQuoted() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", Self.page)
        let added = try Self.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z")
        XCTAssertEqual(added.status, 0, added.stderr)
        let seq = try XCTUnwrap(added.stdout.split(separator: " ").first.map(String.init))
        XCTAssertTrue(added.stderr.contains("archived telegram privacy-policy from https://telegram.org/privacy as seq \(seq)"), added.stderr)

        let listed = try s.ok("source", "list", "telegram")
        XCTAssertTrue(listed.contains("\(seq)\t2024-09-10T12:00:00Z\ttelegram\tprivacy-policy\t"), listed)
        XCTAssertEqual(try s.ok("source", "list", "whatsapp").split(separator: "\n").count, 1, "the header only")

        let text = try s.ok("source", "show", seq, "--text")
        XCTAssertEqual(text, """
            8.3. Law Enforcement Authorities
            If Telegram receives a court order that confirms you're a terror suspect, we may disclose your IP address and phone number to the relevant authorities. So far, this has never happened.

            """)
        XCTAssertFalse(text.contains("Deutsch") || text.contains("track"), "navigation and scripts are not the page's text")
        XCTAssertEqual(try s.ok("source", "show", seq, "--content"), Self.page, "the bytes as fetched")

        XCTAssertEqual(try s.ledger("source", "show", seq, "--quote", "So far,\n this has never  happened.").status, 0)
        let paraphrase = try s.ledger("source", "show", seq, "--quote", "we would hand your IP address to the police")
        XCTAssertEqual(paraphrase.status, 1)
        XCTAssertTrue(paraphrase.stdout.contains("nearest passage: \u{201C}"), paraphrase.stdout)

        // Audited like any entry, by ours and by the independent verifier.
        XCTAssertEqual(try s.verify().status, 0)
        try s.write("leaves.jsonl", try s.ok("export"))
        try s.write("bodies.jsonl", try s.ok("export", "--bodies"))
        let independent = try s.run("/usr/bin/env", ["python3", InteropTests.script, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"])
        XCTAssertEqual(independent.status, 0, independent.stderr)
        XCTAssertTrue(independent.stdout.hasPrefix("2 entries checked"), independent.stdout)
    }

    func testBadPagesAreRefusedAndNothingIsWritten() throws {
        let s = try Sandbox()
        try s.setUp()
        let before = try s.ok("export")
        try s.write("empty.html", "<html><head><script>only()</script></head><body><nav>Menu</nav></body></html>")
        try s.write("page.pdf", "%PDF-1.4")
        func add(_ file: String, _ extra: [String] = []) throws -> Sandbox.Run {
            try s.ledger(["source", "add", file, "--key", "keys/alice.key", "--url", "https://telegram.org/privacy",
                          "--platform", "telegram", "--type", "privacy-policy"] + extra)
        }
        let empty = try add("empty.html")
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("holds no readable text"), empty.stderr)
        XCTAssertTrue(try add("page.pdf").stderr.contains("--media-type"))
        XCTAssertTrue(try add("empty.html", ["--type", "gossip"]).stderr.contains("--type: one of privacy-policy"))
        let big = s.dir.appendingPathComponent("big.html")
        FileManager.default.createFile(atPath: big.path, contents: Data(repeating: 0x61, count: 3 * 1024 * 1024 + 1))
        XCTAssertTrue(try add("big.html").stderr.contains("at most 3145728 (3 MiB)"))
        let pubKey = try s.ledger(["source", "add", "empty.html", "--key", "keys/alice.pub", "--url", "https://x.org", "--platform", "x", "--type", "faq"])
        XCTAssertNotEqual(pubKey.status, 0)
        XCTAssertEqual(try s.ok("export"), before, "nothing was appended")
    }
}

extension SourceCommandTests {
    /// Two archived versions of telegram.org/privacy: the diff names the one address that changed.
    func testTwoVersionsOfARealPolicyDiffByWord() throws {
        let pages = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("LedgerTextTests/Pages")
        let s = try Sandbox()
        try s.setUp()
        var seqs: [String] = []
        for (name, time) in [("telegram-privacy-A", "2024-09-10T12:00:00Z"), ("telegram-privacy-B", "2024-10-10T12:00:00Z")] {
            let added = try Self.archive(s, pages.appendingPathComponent(name + ".html").path, at: time)
            XCTAssertEqual(added.status, 0, added.stderr)
            seqs.append(String(added.stdout.split(separator: " ")[0]))
        }
        let diff = try s.ok("source", "diff", seqs[0], seqs[1], "--context", "3")
        XCTAssertEqual(diff, """
            seq \(seqs[0]) https://telegram.org/privacy retrieved 2024-09-10T12:00:00Z
            seq \(seqs[1]) https://telegram.org/privacy retrieved 2024-10-10T12:00:00Z
            1 words removed, 1 added
            …request form at [-https://edpo.com/gdpr-data-request/-] {+https://edpo.com/telegram-gdpr-data-request/+} or ¶ by…

            """)
        XCTAssertTrue(try s.ok("source", "diff", seqs[1], seqs[1]).hasSuffix("the text is the same\n"))
        XCTAssertEqual(try s.ledger("source", "diff", "0", seqs[1]).status, 1, "seq 0 is a signer event")

        // The same on the pages and under /v1.
        let server = try ServeProcess(s)
        defer { server.stop() }
        let list = try s.get(server, "/platforms/telegram/documents")
        XCTAssertTrue(list.contains("href=\"/documents/diff?from=\(seqs[0])&amp;to=\(seqs[1])\">what changed since seq \(seqs[0])</a>"), list)
        let page = try s.get(server, "/documents/diff?from=\(seqs[0])&to=\(seqs[1])")
        XCTAssertTrue(page.contains("<del>https://edpo.com/gdpr-data-request/</del> <ins>https://edpo.com/telegram-gdpr-data-request/</ins>"), page)
        XCTAssertTrue(page.contains("1 words removed, 1 added"), page)
        let api = try s.get(server, "/v1/documents/diff?from=\(seqs[0])&to=\(seqs[1])")
        XCTAssertTrue(api.contains(#"{"added":"https://edpo.com/telegram-gdpr-data-request/"}"#), api)
        XCTAssertTrue(api.contains(#""removed_words":1"#), api)
        let rows = try s.get(server, "/v1/platforms/telegram/documents")
        XCTAssertTrue(rows.contains(#""seq":\#(seqs[1]),"url":"https://telegram.org/privacy"}],"next":null"#), rows)
        let entry = try s.get(server, "/entries/\(seqs[1])")
        XCTAssertTrue(entry.contains("archived the <strong>privacy-policy</strong> of"), entry)
        XCTAssertTrue(entry.contains("<p>Telegram has two fundamental principles when it comes to collecting and processing private data:</p>"), entry)
        let feed = try s.get(server, "/feeds/documents/telegram.atom")
        XCTAssertTrue(feed.contains("<title>privacy-policy changed: https://telegram.org/privacy</title>"), feed)
        XCTAssertTrue(feed.contains("/documents/diff?from=\(seqs[0])&amp;to=\(seqs[1])\"/>"), feed)
        XCTAssertTrue(XMLParser(data: Data(feed.utf8)).parse(), "well-formed XML")
        let refused = try s.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", server.base + "/v1/documents/diff?from=0&to=\(seqs[1])"])
        XCTAssertEqual(refused.stdout, "400", "seq 0 is no archived page")
    }
}

extension SourceCommandTests {
    /// A statement whose `source.sha256` names an archived page must quote it: `append` and
    /// `statement check` take a quote that differs only in spacing, and refuse a paraphrase
    /// naming the nearest passage, with nothing written.
    func testStatementsMustQuoteTheArchivedPageTheyCite() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", Self.page)
        let page = try Self.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z")
        XCTAssertEqual(page.status, 0, page.stderr)
        let pageSeq = String(page.stdout.split(separator: " ")[0])
        let digest = try XCTUnwrap(try s.ok("source", "list").split(separator: "\n").last?.split(separator: "\t")[5])
        func statement(_ quote: String) -> String {
            #"{"schema":"disclosure-statement/v2","platform":"telegram","category":"government-requests","assertions":[{"polarity":"may","action":"disclose","recipient":"law-enforcement","data_kinds":["ip-address","phone-number"],"condition":"a court order confirms a terror suspect"}],"published":"2024-09-10","source":{"url":"https://telegram.org/privacy","retrieved_at":"2024-09-10T12:00:00Z","sha256":"\#(digest)"},"quote":"\#(quote)","language":"en"}"#
        }
        try s.write("exact.json", statement("we may disclose your IP address  and phone number to the relevant authorities."))
        try s.write("paraphrase.json", statement("we might hand your IP address to the police"))
        let before = try s.ok("export")

        let refused = try s.ledger("append", "--key", "keys/alice.key", "paraphrase.json")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("paraphrase.json: quote: is not in the text of the page it cites (seq \(pageSeq), https://telegram.org/privacy)"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the nearest passage is \u{201C}"), refused.stderr)
        XCTAssertEqual(try s.ok("export"), before, "nothing written")
        let checked = try s.ledger("statement", "check", "paraphrase.json")
        XCTAssertEqual(checked.status, 1)
        XCTAssertTrue(checked.stderr.contains("is not in the text of the page it cites"), checked.stderr)

        XCTAssertEqual(try s.ledger("statement", "check", "exact.json").status, 0)
        let appended = try s.ledger("append", "--key", "keys/alice.key", "exact.json")
        XCTAssertEqual(appended.status, 0, appended.stderr)
        let card = try s.ok("show", String(appended.stdout.split(separator: " ")[0]))
        XCTAssertTrue(card.contains("archived in this ledger at seq \(pageSeq) (ledger source show \(pageSeq) --text)"), card)
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// The `documents` row is derived from the signed body, and the audit holds it to it.
    func testAChangedDocumentsRowIsCaughtByTheAudit() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", Self.page)
        XCTAssertEqual(try Self.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z").status, 0)
        XCTAssertEqual(try s.verify().status, 0)
        let sql = "DROP TRIGGER documents_no_update; UPDATE documents SET url = 'https://telegram.org/faq' WHERE seq = 1;"
        XCTAssertEqual(try s.run("/usr/bin/sqlite3", ["ledger/ledger.sqlite", sql]).status, 0)
        let audit = try s.verify()
        XCTAssertEqual(audit.status, 1)
        XCTAssertTrue(audit.stderr.contains("seq 1: the documents row disagrees with the signed body"), audit.stdout + audit.stderr)
    }
}

extension SourceCommandTests {
    /// A newer version of the cited page without the quote marks the claim "wording changed"
    /// in compare, history and the pages, naming both versions and when the newer was fetched.
    func testANewerVersionWithoutTheQuoteMarksTheClaim() throws {
        let s = try Sandbox()
        try s.setUp()
        func archive(_ html: String, at time: String) throws -> String {
            try s.write("page.html", html)
            let added = try Self.archive(s, "page.html", at: time)
            XCTAssertEqual(added.status, 0, added.stderr)
            return String(added.stdout.split(separator: " ")[0])
        }
        let old = try archive(Self.page, at: "2024-09-10T12:00:00Z")
        let digest = try XCTUnwrap(try s.ok("source", "list").split(separator: "\n").last?.split(separator: "\t")[5])
        try s.write("claim.json", #"{"schema":"disclosure-statement/v2","platform":"telegram","category":"government-requests","assertions":[{"polarity":"never","action":"disclose","recipient":"governments"}],"published":"2024-09-10","source":{"url":"https://telegram.org/privacy","retrieved_at":"2024-09-10T12:00:00Z","sha256":"\#(digest)"},"quote":"So far, this has never happened.","language":"en"}"#)
        let claim = String(try s.ok("append", "--key", "keys/alice.key", "claim.json").split(separator: " ")[0])
        XCTAssertFalse(try s.ok("compare", "telegram", "--format", "json").contains("wording-changed"), "the page still says it")

        let new = try archive(Self.page.replacingOccurrences(of: " So far, this has never happened.", with: ""), at: "2025-01-15T08:00:00Z")
        let mark = #"{"kind":"wording-changed","seqs":[\#(old),\#(new)],"since":"2025-01-15T08:00:00Z"}"#
        let compare = try s.ok("compare", "telegram", "--format", "json")
        XCTAssertTrue(compare.contains(mark), compare)
        XCTAssertTrue(try s.ok("history", "telegram", "--format", "json").contains(mark))
        XCTAssertTrue(try s.ok("history", "telegram").contains("seq \(claim)  government-requests  by alice  live  wording-changed:\(old),\(new)"))

        let server = try ServeProcess(s)
        defer { server.stop() }
        XCTAssertEqual(try s.get(server, "/v1/compare?platform=telegram"), compare)
        let page = try s.get(server, "/compare")
        XCTAssertTrue(page.contains("<strong>wording changed</strong> since 2025-01-15T08:00:00Z"), page)
        let feed = try s.get(server, "/feeds/telegram.atom")
        XCTAssertTrue(feed.contains("Wording changed since 2025-01-15T08:00:00Z: the page it quotes (seq \(old)) no longer holds the quote in its version of seq \(new)."), feed)
        let entry = try s.get(server, "/entries/\(claim)")
        XCTAssertTrue(entry.contains("which the quote is checked against: <a href=\"/entries/\(old)\">seq \(old)</a>"), entry)
    }
}

extension SourceCommandTests {
    /// A takedown of an archived page keeps its entry, digest, row and proofs; the audit holds
    /// the row to the signed notice, and both verifiers accept the withheld page.
    func testAnArchivedPageCanBeWithheld() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", Self.page)
        XCTAssertEqual(try Self.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z").status, 0)
        let withheld = try s.ledger("withhold", "1", "--reason", "court order 123", "--yes")
        XCTAssertEqual(withheld.status, 0, withheld.stderr)
        let shown = try s.ledger("source", "show", "1", "--text")
        XCTAssertEqual(shown.status, 1)
        XCTAssertTrue(shown.stderr.contains("withheld by a signed notice"), shown.stderr)
        XCTAssertTrue(try s.ok("source", "list").contains("1\t2024-09-10T12:00:00Z\ttelegram\tprivacy-policy\t"), "the row stays")
        let notice = try s.ok("export", "--bodies", "--from", "2", "--to", "2")
        XCTAssertTrue(notice.contains(#""schema":"disclosure-withhold/v3""#) && notice.contains(#""url":"https://telegram.org/privacy""#), notice)
        XCTAssertEqual(try s.verify().status, 0)
        try s.write("leaves.jsonl", try s.ok("export"))
        try s.write("bodies.jsonl", try s.ok("export", "--bodies"))
        let independent = try s.run("/usr/bin/env", ["python3", InteropTests.script, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"])
        XCTAssertEqual(independent.stdout, "3 entries checked, 1 bodies withheld\n", independent.stderr)

        let sql = "DROP TRIGGER documents_no_update; UPDATE documents SET url = 'https://telegram.org/faq' WHERE seq = 1;"
        XCTAssertEqual(try s.run("/usr/bin/sqlite3", ["ledger/ledger.sqlite", sql]).status, 0)
        let audit = try s.verify()
        XCTAssertEqual(audit.status, 1)
        XCTAssertTrue(audit.stderr.contains("the documents row of withheld seq 1 disagrees with its signed withhold notice"), audit.stderr)
    }
}
