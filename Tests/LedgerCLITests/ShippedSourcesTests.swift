import Foundation
import XCTest

/// The shipped dataset's sources in the ledger: each `ledger/sources/*.txt` listed in
/// `ledger/sources.json` is archived as a transcribed page before the statements, so every
/// shipped quote is checked against its page at append time and the audit covers the sources.
final class ShippedSourcesTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testTheShippedSourcesAreArchivedAndEveryQuoteIsCheckedAgainstThem() throws {
        let s = try Sandbox()
        let statements = Self.repository.appendingPathComponent("ledger/statements").path
        let first = try s.ok("demo", "--statements", statements)
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.repository.appendingPathComponent("ledger/sources.json"))) as? [[String: String]])
        XCTAssertTrue(first.contains("archived \(manifest.count) source pages"), first)
        XCTAssertTrue(first.contains("62 new, 0 already in the ledger"), first)

        let rows = try s.ok("source", "list").split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        XCTAssertEqual(rows.count, manifest.count)
        XCTAssertEqual(Set(rows.map { $0[4] }), ["transcribed"], "the shipped sources are editors' texts, not pages as fetched")
        // Each row is its file: platform and type from the manifest, content hash from the file.
        for (row, item) in zip(rows, manifest) {
            let file = Self.repository.appendingPathComponent("ledger/sources/" + (item["file"] ?? ""))
            XCTAssertEqual([row[2], row[3]], [item["platform"], item["document_type"]], item["file"] ?? "")
            XCTAssertEqual(row[5], try s.run("/usr/bin/sha256sum", [file.path]).stdout.split(separator: " ").first.map(String.init), item["file"] ?? "")
        }
        // Every statement's source is archived and its quote was checked against it.
        let lines: [[Substring]] = try s.ok("list").split(separator: "\n").map { $0.split(separator: "\t") }
        let statementSeqs: [Substring] = lines.filter { $0.count > 2 && $0[2] == "statement" }.map { $0[0] }
        XCTAssertEqual(statementSeqs.count, 62)
        for seq in statementSeqs {
            XCTAssertTrue(try s.ok("show", String(seq)).contains("the quote is checked against it"), "seq \(seq)")
        }
        let second = try s.ok("demo", "--statements", statements)
        XCTAssertTrue(second.contains("0 source pages new, \(manifest.count) already in the ledger"), second)
        XCTAssertEqual(try s.verify().status, 0)
        try s.write("leaves.jsonl", try s.ok("export"))
        try s.write("bodies.jsonl", try s.ok("export", "--bodies"))
        let independent = try s.run("/usr/bin/env", ["python3", InteropTests.script, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"])
        XCTAssertEqual(independent.status, 0, independent.stderr)

        // A paraphrase of the FAQ's "0 bytes" answer is refused, naming the archived FAQ.
        let original = try String(contentsOfFile: statements + "/003-telegram-0-bytes-user-data-faq-2024.json", encoding: .utf8)
        let quote = "To this day, we have disclosed 0 bytes of user data to third parties, including governments."
        XCTAssertTrue(original.contains(quote))
        try s.write("paraphrase.json", original.replacingOccurrences(of: quote, with: "We have never given any user data to governments."))
        let before = try s.ok("export")
        let refused = try s.ledger("append", "--key", "keys/demo.key", "paraphrase.json")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("quote: is not in the text of the page it cites (seq "), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("https://telegram.org/faq"), refused.stderr)
        XCTAssertEqual(try s.ok("export"), before, "nothing written")
    }

    /// A transcription is not a version of the page: a later one without a claim's quote marks
    /// nothing, and the documents page offers no diff to it; a later fetched page does.
    func testATranscriptionIsNotAVersionOfThePage() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", SourceCommandTests.page)
        let page = try SourceCommandTests.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z")
        XCTAssertEqual(page.status, 0, page.stderr)
        let digest = try XCTUnwrap(try s.ok("source", "list").split(separator: "\n").last?.split(separator: "\t")[5])
        try s.write("claim.json", #"{"schema":"disclosure-statement/v2","platform":"telegram","category":"government-requests","assertions":[{"polarity":"never","action":"disclose","recipient":"governments"}],"published":"2024-09-10","source":{"url":"https://telegram.org/privacy","retrieved_at":"2024-09-10T12:00:00Z","sha256":"\#(digest)"},"quote":"So far, this has never happened.","language":"en"}"#)
        try s.ok("append", "--key", "keys/alice.key", "claim.json")

        try s.write("copy.txt", "URL: https://telegram.org/privacy\nCopy read: an archive's copy\n\n8.3. We may disclose your IP address and phone number.\n")
        try s.write("copy.html", "<p>8.3. We may disclose your IP address.</p>")
        let html = try s.ledger(["source", "add", "copy.html", "--transcribed", "--key", "keys/alice.key", "--url", "https://telegram.org/privacy",
                                 "--platform", "telegram", "--type", "privacy-policy", "--retrieved-at", "2025-01-01T00:00:00Z"])
        XCTAssertEqual(html.status, 1)
        XCTAssertTrue(html.stderr.contains("--transcribed: the file must be text/plain"), html.stderr)
        let copy = try s.ledger(["source", "add", "copy.txt", "--transcribed", "--key", "keys/alice.key", "--url", "https://telegram.org/privacy",
                                 "--platform", "telegram", "--type", "privacy-policy", "--retrieved-at", "2025-01-01T00:00:00Z"])
        XCTAssertEqual(copy.status, 0, copy.stdout + copy.stderr)
        XCTAssertTrue(copy.stderr.contains("transcribed from a copy of https://telegram.org/privacy"), copy.stderr)
        XCTAssertFalse(try s.ok("compare", "telegram", "--format", "json").contains("wording-changed"), "a transcription is not a version")
        XCTAssertTrue(try s.ok("show", "3").contains("transcribed from a copy of https://telegram.org/privacy read at 2025-01-01T00:00:00Z"))

        let server = try ServeProcess(s)
        let documents = try s.get(server, "/platforms/telegram/documents")
        server.stop()
        XCTAssertTrue(documents.contains("seq 3</a> · transcribed from a copy"), documents)
        XCTAssertFalse(documents.contains("from=1&amp;to=3") || documents.contains("from=1&to=3"), documents)

        try s.write("newer.html", SourceCommandTests.page.replacingOccurrences(of: " So far, this has never happened.", with: ""))
        XCTAssertEqual(try SourceCommandTests.archive(s, "newer.html", at: "2025-02-01T00:00:00Z").status, 0)
        XCTAssertTrue(try s.ok("compare", "telegram", "--format", "json").contains(#""kind":"wording-changed","seqs":[1,4]"#))

        // Withheld, the transcription's notice keeps its capture, and the audit holds the row to it.
        XCTAssertEqual(try s.ledger("withhold", "3", "--reason", "court order 123", "--yes").status, 0)
        XCTAssertTrue(try s.ok("export", "--bodies", "--from", "5", "--to", "5").contains(#""capture":"transcribed""#))
        XCTAssertEqual(try s.verify().status, 0)
        try s.sqlite("DROP TRIGGER documents_no_update; UPDATE documents SET capture = 'fetched' WHERE seq = 3;")
        let audit = try s.verify()
        XCTAssertEqual(audit.status, 1)
        XCTAssertTrue(audit.stderr.contains("the documents row of withheld seq 3 disagrees with its signed withhold notice"), audit.stderr)
    }

    /// A ledger written before `capture` existed is read as it is (every page in it was
    /// fetched) and gains the column on its first write.
    func testALedgerFromBeforeTheCaptureColumnIsReadAndUpgraded() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("privacy.html", SourceCommandTests.page)
        XCTAssertEqual(try SourceCommandTests.archive(s, "privacy.html", at: "2024-09-10T12:00:00Z").status, 0)
        try s.sqlite("""
            DROP INDEX documents_platform; ALTER TABLE documents DROP COLUMN capture;
            CREATE INDEX documents_platform ON documents(platform, url, retrieved_at);
            DELETE FROM grdb_migrations WHERE identifier = 'v8-document-capture';
            """)
        XCTAssertEqual(try s.verify().status, 0)
        XCTAssertTrue(try s.ok("source", "list").contains("\tprivacy-policy\tfetched\t"))
        try s.write("newer.html", SourceCommandTests.page.replacingOccurrences(of: "So far", with: "Until now"))
        XCTAssertEqual(try SourceCommandTests.archive(s, "newer.html", at: "2025-02-01T00:00:00Z").status, 0)
        XCTAssertEqual(try s.sqlite("SELECT group_concat(capture) FROM documents").stdout, "fetched,fetched\n")
        XCTAssertEqual(try s.verify().status, 0)
    }
}
