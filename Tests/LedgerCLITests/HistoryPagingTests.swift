import Foundation
import LedgerTestSupport
import XCTest

/// `ledger history --limit/--after/--before/--latest`: every page holds exactly the events of the
/// whole history, with the same status, changes and marks, though a page decodes only what it
/// needs (`HistoryReadPlan`). The fixture has every mark a page could get wrong: conflicts on one
/// date and about one period (two signers), claims of absence contradicted before and after
/// them, an amendment, a retraction, a withheld body and a second platform.
final class HistoryPagingTests: XCTestCase {
    var s: Sandbox!
    let gov = "government-requests", tps = "third-party-sharing"

    override func tearDown() { s = nil }

    override func setUpWithError() throws {
        s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        func add(_ category: String, _ date: String, _ quantities: [String], period: (String, String)? = nil, as signer: String = "alice",
                 recipients: [String] = [], supersedes: (seq: Int, leaf: String, kind: String)? = nil) throws -> (seq: Int, leaf: String) {
            try s.add(statementJSON("acme", category, date, quantities: quantities, recipients: recipients, period: period,
                                    supersedes: supersedes, summary: "acme \(category) \(date)"), as: signer)
        }
        // A report of data handed over contradicts a "0 bytes" claim whichever comes first (dates
        // do not matter to the rule); the first claim of absence is contradicted only at the end
        // of the timeline, past what a page's scan reads.
        _ = try add(tps, "2017-01-01", [qty("bytes", 0, "law-enforcement")], recipients: ["law-enforcement"])
        _ = try add(gov, "2018-06-30", [qty("requests-complied", 3, "governments")])
        _ = try add(tps, "2019-01-01", [qty("bytes", 0, "third-parties")], recipients: ["third-parties", "governments"])
        for year in 2019...2023 {
            _ = try add(gov, "\(year)-06-30", [qty("requests-received", 100 + year)], period: ("\(year)-01-01", "\(year)-06-30"))
        }
        // Claims of a category with one signer between them, so pages are far apart.
        for month in 1...12 {
            _ = try add("data-retention", String(format: "2019-%02d-15", month), [qty("requests-received", month)])
            _ = try add("data-retention", String(format: "2022-%02d-15", month), [qty("requests-received", month)])
        }
        // bob: the same date as alice's 2020 figure, and alice's 2021 period restated years later.
        _ = try add(gov, "2020-06-30", [qty("requests-received", 7)], period: ("2020-01-01", "2020-06-30"), as: "bob")
        _ = try add(gov, "2024-09-01", [qty("requests-received", 9)], period: ("2021-01-01", "2021-06-30"), as: "bob")
        _ = try add(gov, "2024-06-01", [qty("requests-complied", 4, "law-enforcement")])
        // Without periods a conflict is one of a date: alice and bob on 2022-04-01, among
        // alice's claims of other dates.
        for month in [2, 4, 6, 8] {
            _ = try add("encryption", String(format: "2022-%02d-01", month), [qty("requests-received", month)])
        }
        _ = try add("encryption", "2022-04-01", [qty("requests-received", 40)], as: "bob")
        let wrong = try add("advertising", "2020-03-01", [qty("requests-received", 1)])
        _ = try add("advertising", "2020-03-01", [qty("requests-received", 2)], supersedes: (wrong.seq, wrong.leaf, "amendment"))
        let gone = try add("advertising", "2021-03-01", [qty("requests-received", 5)])
        _ = try add("advertising", "2021-03-01", [qty("requests-received", 5)], supersedes: (gone.seq, gone.leaf, "retraction"))
        let secret = try add("advertising", "2022-03-01", [qty("requests-received", 8)])
        _ = try add(tps, "2024-01-01", [qty("bytes", 0, "governments")], recipients: ["governments"])
        _ = try add("advertising", "2023-03-01", [qty("requests-received", 9)])
        try s.add(statementJSON("other", gov, "2020-06-30", quantities: [qty("requests-received", 1)]))
        try s.ok("withhold", String(secret.seq), "--reason", "court order")
    }

    /// The events as canonical text, for comparing pages with the whole.
    func events(_ json: [String: Any]) throws -> [String] {
        try XCTUnwrap(json["events"] as? [Any]).map { e in
            String(decoding: try JSONSerialization.data(withJSONObject: e, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// Every page from one end, following "next", joined in timeline order.
    func paged(_ base: [String], limit: Int, backwards: Bool) throws -> [String] {
        var pages: [[String]] = []
        var cursor: String?
        repeat {
            var args = base + ["--format", "json", "--limit", String(limit)]
            if let cursor { args += [backwards ? "--before" : "--after", cursor] } else if backwards { args.append("--latest") }
            let r = try s.run("ledger", args)
            XCTAssertEqual(r.status, 0, r.stderr)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let page = try events(json)
            XCTAssertLessThanOrEqual(page.count, limit)
            XCTAssertFalse(page.isEmpty, "a page named by 'next' is never empty: \(args)")
            pages.append(page)
            cursor = (json["next"] as? [String: String])?[backwards ? "before" : "after"]
            XCTAssertLessThan(pages.count, 100, "paging does not end")
        } while cursor != nil && pages.count < 100
        return (backwards ? pages.reversed() : pages).flatMap { $0 }
    }

    func testEveryPageHoldsTheWholeHistorysEvents() throws {
        for base in [["history", "acme"], ["history", "acme", "--category", gov], ["history", "acme", "--category", tps],
                     ["history", "acme", "--since", "2021-01-01"]] {
            let r = try s.run("ledger", base + ["--format", "json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let whole = try events(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]))
            XCTAssertGreaterThan(whole.count, 1, "\(base)")
            for limit in [1, 3] {
                for backwards in [false, true] {
                    let pages = try paged(base, limit: limit, backwards: backwards)
                    let at = (0..<min(pages.count, whole.count)).first { pages[$0] != whole[$0] } ?? min(pages.count, whole.count)
                    XCTAssertTrue(pages == whole, "\(base) \(backwards ? "backward" : "forward") by \(limit): \(pages.count) events, "
                                  + "\(whole.count) in the whole; first difference at \(at):\n\(at < pages.count ? pages[at] : "-")\n"
                                  + "in the whole:\n\(at < whole.count ? whole[at] : "-")")
                }
            }
        }
        // The fixture has what the test means to check: both kinds of conflict, both directions
        // of contradiction, a change measured against the previous claim.
        let all = try s.json("history", "acme", "--format", "json")
        let marks = try events(all).joined()
        for kind in ["\"conflict\"", "\"contradicts\"", "\"contradicted-by\"", "\"amended\"", "\"retracted\"", "\"withheld\":true", "\"since_seq\""] {
            XCTAssertTrue(marks.contains(kind), "the fixture lacks \(kind)")
        }
    }

    func testThePageOptionsSayWhatIsNext() throws {
        let first = try s.ok("history", "acme", "--limit", "2")
        XCTAssertEqual(first.components(separatedBy: "\n20").count - 1, 2, first)
        let more = try XCTUnwrap(first.split(separator: "\n").last)
        XCTAssertTrue(more.hasPrefix("more: --after 2018-06-30."), String(more))
        let latest = try s.ok("history", "acme", "--latest", "--limit", "1")
        let head = try XCTUnwrap(latest.split(separator: "\n").first { $0.hasPrefix("2024-09-01  seq ") }, latest)
        let newestSeq = head.split(separator: " ")[2]
        XCTAssertTrue(latest.trimmingCharacters(in: .newlines).hasSuffix("\nmore: --before 2024-09-01.\(newestSeq)"), latest)
        // CSV and Markdown stay parseable: the next page is named on standard error.
        for format in ["csv", "markdown"] {
            let page = try s.run("ledger", ["history", "acme", "--limit", "2", "--format", format])
            XCTAssertEqual(page.status, 0, page.stderr)
            XCTAssertFalse(page.stdout.contains("more:"))
            XCTAssertTrue(page.stderr.hasPrefix("more: --after 2018-06-30."), format + ": " + page.stderr)
            XCTAssertEqual(try s.run("ledger", ["history", "acme", "--format", format]).stderr, "", "the whole history names no next page")
        }
        // The whole history names no next page.
        XCTAssertNil(try s.json("history", "acme", "--format", "json")["next"])
        for (args, says) in [(["--limit", "0"], "--limit: must be at least 1"),
                             (["--after", "yesterday"], "--after: 'yesterday' is not a cursor like 2021-06-30.42"),
                             (["--after", "2020-01-01.1", "--before", "2021-01-01.1"], "--after pages forward and --before (or --latest) back")] {
            let r = try s.run("ledger", ["history", "acme"] + args)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains(says), r.stderr)
        }
    }
}
