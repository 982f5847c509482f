import Foundation
import XCTest

/// Full-text search: `ledger search`, `GET /v1/search` and the `/search` page give the same
/// statements, newest first, in pages; a withheld statement's words are gone; the audit holds
/// the index to the signed bodies.
final class SearchTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func seq(_ line: Substring) -> String { String(line.split(separator: "\t")[0]) }

    func testTheShippedDatasetIsSearchableFromTheCommandLineTheAPIAndThePage() throws {
        let s = try Sandbox()
        try s.ok("demo", "--statements", Self.repository.appendingPathComponent("ledger/statements").path)
        let zero = try s.ok("search", "\"0 bytes\"", "third", "parties").split(separator: "\n")
        XCTAssertEqual(zero.count, 1, zero.joined(separator: "\n"))
        XCTAssertTrue(zero[0].contains("\ttelegram\t2024-08-27\tthird-party-sharing\t"), String(zero[0]))
        let faq = seq(zero[0])
        // A recipient finds what is within it: law enforcement's figures under "governments".
        let governments = try s.ok("search", "--platform", "telegram", "--recipient", "governments").split(separator: "\n")
        XCTAssertGreaterThanOrEqual(governments.count, 4)
        XCTAssertEqual(governments.map(seq), governments.map(seq).sorted { Int($0)! > Int($1)! }, "newest first")
        XCTAssertTrue(governments.allSatisfy { $0.contains("\ttelegram\t") })
        XCTAssertEqual(try s.ok("search", "BYTES", "Third", "\"INCLUDING governments\"", "--platform", "telegram").split(separator: "\n").map(seq), [faq], "case is folded")
        XCTAssertEqual(try s.ok("search", "nothing-like-this-anywhere"), "")

        let server = try ServeProcess(s)
        defer { server.stop() }
        let api = try s.get(server, "/v1/search?q=%220%20bytes%22%20third%20parties")
        XCTAssertEqual(api, try s.ok("search", "\"0 bytes\"", "third", "parties", "--json"))
        let page = try s.get(server, "/search?q=%220%20bytes%22&platform=telegram")
        XCTAssertTrue(page.contains("<a href=\"/entries/\(faq)\">seq \(faq)</a>"), page)
        XCTAssertTrue(page.contains("value=\"&quot;0 bytes&quot;\""), "the form keeps what was asked")
        let form = try s.get(server, "/search")
        XCTAssertTrue(form.contains("<form method=\"get\" action=\"/search\" role=\"search\">"), form)
        let bad = try s.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", server.base + "/v1/search?category=nope"])
        XCTAssertTrue(bad.stdout.hasSuffix("\n400"), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("one of third-party-sharing"), bad.stdout)
        let empty = try s.run("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", server.base + "/v1/search?q=%E2%80%94"])
        XCTAssertTrue(empty.stdout.hasSuffix("\n400"), "a search for no word is refused: \(empty.stdout)")
    }

    /// 120 matching statements: pages of 50, 50 and 20 by `before`, the same through the API;
    /// a withheld one leaves the results; a changed index row is caught by the audit.
    func testPagesWithholdingAndTheAudit() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<120))
        let first = try s.ledger("search", "statement", "number")
        let firstSeqs = first.stdout.split(separator: "\n").map(seq)
        XCTAssertEqual(firstSeqs.count, 50)
        XCTAssertEqual(firstSeqs.first, "120")
        XCTAssertTrue(first.stderr.contains("--before 71"), first.stderr)
        let second = try s.ok("search", "statement", "number", "--before", "71").split(separator: "\n").map(seq)
        XCTAssertEqual(second.first, "70")
        let third = try s.ledger("search", "statement", "number", "--before", "21")
        XCTAssertEqual(third.stdout.split(separator: "\n").map(seq), (1...20).reversed().map(String.init))
        XCTAssertFalse(third.stderr.contains("more:"), "the last page says nothing more")
        let json = try s.ok("search", "statement", "--before", "21", "--json")
        XCTAssertTrue(json.contains("\"next_before\":null"), json)

        XCTAssertEqual(try s.ok("search", "number", "37").split(separator: "\n").map(seq), ["38"])
        XCTAssertEqual(try s.ledger("withhold", "38", "--reason", "court order", "--yes").status, 0)
        XCTAssertEqual(try s.ok("search", "number", "37"), "", "a withheld statement's words are gone")
        XCTAssertEqual(try s.verify().status, 0)

        try s.sqlite("UPDATE search SET text = 'statement number 99999' WHERE rowid = 5")
        let audit = try s.verify()
        XCTAssertEqual(audit.status, 1)
        XCTAssertTrue(audit.stderr.contains("seq 5: the search index row disagrees with the signed body"), audit.stderr)
        // A NULL where the row's text belongs (FTS5 columns take any value) fails the audit too.
        try s.sqlite("UPDATE search SET text = NULL WHERE rowid = 5")
        let nullAudit = try s.verify()
        XCTAssertEqual(nullAudit.status, 1, nullAudit.stderr)
        XCTAssertTrue(nullAudit.stderr.contains("a stored value has the wrong type (NULL in column 4"), nullAudit.stderr)
        try s.sqlite("DELETE FROM search WHERE rowid = 5")
        XCTAssertTrue(try s.verify().stderr.contains("seq 5: the search index has no row for this statement"))
    }
}
