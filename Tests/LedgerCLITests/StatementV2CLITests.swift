import Foundation
import XCTest

/// v2 statements through the binaries a user runs and a real server: appended, audited, withheld,
/// compared; one answer from the CLI, the API and the page; bad options refused by name.
final class StatementV2CLITests: XCTestCase {
    func v2(_ platform: String, _ category: String, published: String, figures: [String] = [], assertions: [String] = [],
            products: [String] = []) -> String {
        var m = [#""schema":"disclosure-statement/v2""#, #""platform":"\#(platform)""#, #""category":"\#(category)""#,
                 #""published":"\#(published)""#, #""quote":"q \#(platform) \#(published)""#, #""language":"en""#,
                 #""source":{"url":"https://example.org/\#(platform)/\#(published)","retrieved_at":"2025-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"}"#]
        if !figures.isEmpty { m.append("\"figures\":[\(figures.joined(separator: ","))]") }
        if !assertions.isEmpty { m.append("\"assertions\":[\(assertions.joined(separator: ","))]") }
        if !products.isEmpty { m.append("\"products\":[\(products.map { "\"\($0)\"" }.joined(separator: ","))]") }
        return "{\(m.joined(separator: ","))}"
    }

    func figure(_ measure: String, _ value: String, _ start: String, _ end: String, _ jurisdiction: String, _ requester: String = "law-enforcement") -> String {
        #"{"measure":"\#(measure)",\#(value),"period":{"start":"\#(start)","end":"\#(end)"},"jurisdiction":"\#(jurisdiction)","requester":"\#(requester)"}"#
    }

    func testV2LedgerAnswersAlikeEverywhereAndAuditsClean() throws {
        let s = try Sandbox()
        try s.setUp()
        let never = try s.add(v2("telegram", "third-party-sharing", published: "2019-03-14",
                                 assertions: [#"{"polarity":"never","action":"disclose","recipient":"third-parties","data_kinds":["any-user-data"]}"#]))
        let q3 = try s.add(v2("telegram", "government-requests", published: "2024-10-01", figures: [
            figure("requests-with-data-produced", #""count":2380"#, "2024-07-01", "2024-09-30", "IN"),
            figure("requests-with-data-produced", #""count":65"#, "2024-07-01", "2024-09-30", "BR"),
        ]))
        let meta = try s.add(v2("facebook", "government-requests", published: "2021-11-16", figures: [
            figure("requests-received", #""count":214777"#, "2021-01-01", "2021-06-30", "worldwide", "governments"),
            figure("requests-with-data-produced", #""share_bp":7650"#, "2021-01-01", "2021-06-30", "US"),
            figure("accounts-specified", #""band":{"low":0,"high":499}"#, "2021-01-01", "2021-06-30", "US", "intelligence-agencies"),
        ], products: ["facebook", "whatsapp"]))
        try s.add(v2("whatsapp", "third-party-sharing", published: "2016-04-05",
                     assertions: [#"{"polarity":"does-not","action":"disclose","recipient":"governments"}"#]))

        // The headline claim is flagged, through the hierarchy and across jurisdictions.
        let compare = try s.json("compare", "--as-of", "2024-12-31", "--format", "json")
        let cells = try XCTUnwrap(compare["cells"] as? [[String: Any]])
        func marks(_ platform: String, _ category: String) -> [String] {
            let cell = cells.first { $0["platform"] as? String == platform && $0["category"] as? String == category }
            return (cell?["marks"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? ""):\(($0["seqs"] as? [Int]) ?? [])" }
        }
        XCTAssertEqual(marks("telegram", "third-party-sharing"), ["contradicted-by:[\(q3.seq)]"])
        XCTAssertEqual(marks("whatsapp", "third-party-sharing"), ["contradicted-by:[\(meta.seq)]"], "Meta's report names WhatsApp")
        // A category filter shows fewer cells, never fewer marks.
        let filtered = try s.json("compare", "telegram", "--category", "third-party-sharing", "--as-of", "2024-12-31", "--format", "json")
        let only = try XCTUnwrap(filtered["cells"] as? [[String: Any]])
        XCTAssertEqual(only.count, 1)
        XCTAssertEqual((only[0]["marks"] as? [[String: Any]])?.first?["kind"] as? String, "contradicted-by")
        // As of mid-2021 the H1 2021 report (published in November) is not yet in force.
        let early = try s.ok("compare", "facebook", "--as-of", "2021-07-01", "--format", "csv")
        XCTAssertFalse(early.contains("214777"), early)
        XCTAssertTrue(try s.ok("compare", "facebook", "--as-of", "2021-12-01").contains("214,777 requests received"))

        // One answer from the CLI, the API and the page, filters included.
        let server = try ServeProcess(s)
        defer { server.stop() }
        let view = try s.ok("compare", "--recipient", "governments", "--measure", "requests-with-data-produced", "--period", "2024-Q3",
                            "--as-of", "2024-12-31", "--format", "json")
        let api = try s.run("/usr/bin/curl", ["-sS", server.base + "/v1/compare?recipient=governments&measure=requests-with-data-produced&period=2024-Q3&as_of=2024-12-31"])
        XCTAssertEqual(api.stdout, view)
        XCTAssertTrue(view.contains("\"share_bp\"") == false && view.contains("\"count\":2380"), "only Q3 2024 figures: \(view)")
        let page = try s.get(server, "/compare?recipient=governments&measure=requests-with-data-produced&period=2024-Q3&as_of=2024-12-31")
        XCTAssertTrue(page.contains("2,380 requests with data produced (law-enforcement, IN, 2024-07-01 to 2024-09-30)"), page)
        // A claim's figures read one a line on the pages, not as one run of text.
        let everyFigure = try s.get(server, "/compare?recipient=governments&as_of=2024-12-31")
        XCTAssertTrue(everyFigure.contains("2021-06-30)<br>76.5% requests") && everyFigure.contains("2024-09-30)<br>65 requests"), everyFigure)
        XCTAssertFalse(everyFigure.contains("2021-06-30); "), everyFigure)
        let all = try s.ok("compare", "--as-of", "2024-12-31", "--format", "json")
        XCTAssertEqual(try s.get(server, "/v1/compare?as_of=2024-12-31"), all)
        XCTAssertEqual(try s.get(server, "/v1/platforms/facebook/history"),
                       try s.ok("history", "facebook", "--format", "json"))
        let table = try s.ok("compare", "--recipient", "governments", "--as-of", "2024-12-31")
        XCTAssertTrue(table.contains("76.5% requests with data produced") && table.contains("0–499 accounts specified"), table)

        // Bad options are refused by name, by the CLI (exit 2, usage) and the API (400).
        for (args, query, message) in [(["governments", "--measure", "users"], "recipient=governments&measure=users", "measure: unknown measure 'users'"),
                                       (["governments", "--period", "2024-H3"], "recipient=governments&period=2024-H3", "period: '2024-H3' is not a period"),
                                       (["govts"], "recipient=govts", "recipient: unknown recipient 'govts'")] {
            let r = try s.run("ledger", ["compare", "--recipient"] + args)
            XCTAssertNotEqual(r.status, 0)
            XCTAssertTrue(r.stderr.contains(message), r.stderr)
            let code = try s.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", server.base + "/v1/compare?\(query)"])
            XCTAssertEqual(code.stdout, "400", query)
        }
        server.stop()

        // The audit replays v2 entries (derived rows included); a withheld claim of absence keeps its mark.
        XCTAssertEqual(try s.verify("--ledger", s.ledgerPath).status, 0)
        try s.ok("withhold", String(never.seq), "--reason", "takedown request", "--yes")
        XCTAssertEqual(marks("telegram", "third-party-sharing"), ["contradicted-by:[\(q3.seq)]"])
        let after = try s.json("compare", "telegram", "--as-of", "2024-12-31", "--format", "json")
        let zero = (after["cells"] as? [[String: Any]])?.first { $0["category"] as? String == "third-party-sharing" }
        XCTAssertEqual((zero?["marks"] as? [[String: Any]])?.first?["kind"] as? String, "contradicted-by")
        let audit = try s.verify("--ledger", s.ledgerPath)
        XCTAssertEqual(audit.status, 0, audit.stdout + audit.stderr)
    }
}

extension StatementV2CLITests {
    /// `ledger statement check` prints every mistake of a file, each at its line and column, and
    /// `append` refuses the file with nothing written.
    func testStatementCheckReportsEveryMistakeWithItsPlace() throws {
        let s = try Sandbox()
        try s.setUp()
        let good = v2("telegram", "government-requests", published: "2024-10-01",
                      figures: [figure("requests-with-data-produced", #""count":2380"#, "2024-07-01", "2024-09-30", "IN")])
        let bad = good.replacingOccurrences(of: "\"IN\"", with: "\"India\"").replacingOccurrences(of: "\"language\":\"en\"", with: "\"language\":\"EN\"")
            .replacingOccurrences(of: ",\"figures\"", with: ",\n\"figures\"")
        try s.write("bad.json", bad)
        let before = try s.fingerprint()
        let r = try s.ledger("statement", "check", "bad.json")
        XCTAssertEqual(r.status, 1)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, r.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ledger: bad.json:1:") && $0.contains("language: must be a BCP 47 language tag") }, r.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ledger: bad.json:2:") && $0.contains("figures[0].jurisdiction: 'India' is not an ISO 3166-1 alpha-2") }, r.stderr)
        XCTAssertNotEqual(try s.ledger("append", "--key", "keys/alice.key", "bad.json").status, 0)
        XCTAssertEqual(try s.fingerprint(), before, "nothing written")
    }
}

extension StatementV2CLITests {
    /// `ledger diff A B`: any two statements side by side, what changed in words.
    func testDiffOfTwoStatements() throws {
        let s = try Sandbox()
        try s.setUp()
        let old = try s.add(v2("telegram", "government-requests", published: "2018-08-28", assertions: [
            #"{"polarity":"may","action":"disclose","recipient":"law-enforcement","data_kinds":["ip-address","phone-number"],"condition":"a court order confirms a terror suspect"}"#,
        ]))
        let new = try s.add(v2("telegram", "government-requests", published: "2024-09-23", assertions: [
            #"{"polarity":"may","action":"disclose","recipient":"law-enforcement","data_kinds":["ip-address","phone-number"],"condition":"a valid order confirms a criminal suspect"}"#,
        ]))
        let text = try s.ok("diff", String(old.seq), String(new.seq))
        XCTAssertTrue(text.contains("before: seq \(old.seq)  telegram  government-requests  published 2018-08-28"), text)
        XCTAssertTrue(text.contains("condition changed from \"a court order confirms a terror suspect\" to \"a valid order confirms a criminal suspect\""), text)
        let json = try s.json("diff", String(old.seq), String(new.seq), "--format", "json")
        XCTAssertEqual((json["after"] as? [String: Any])?["seq"] as? Int, new.seq)
        let words = try XCTUnwrap((json["changes"] as? [String: Any])?["words"] as? [String])
        XCTAssertEqual(words.filter { $0.hasPrefix("changed: may disclose") }.count, 1, "\(words)")
        let refused = try s.ledger("diff", "0", String(new.seq))
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("entry 0 is not a statement"), refused.stderr)
    }
}

extension StatementV2CLITests {
    /// Every kind of entry gets a card on its page, with the right signer and a link to the
    /// entry it is about.
    func testEntryPagesForResponsesSignerEventsAndNotices() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        let claim = try s.add(v2("telegram", "third-party-sharing", published: "2019-03-14",
                                 assertions: [#"{"polarity":"never","action":"disclose","recipient":"third-parties"}"#]))
        let dispute = try s.add(responseJSON(claim.seq, claim.leaf, "dispute", reason: "the BKA received user data"), as: "bob")
        let server = try ServeProcess(s)
        defer { server.stop() }
        let page = try s.get(server, "/entries/\(dispute.seq)")
        XCTAssertTrue(page.contains("<strong>bob</strong> <strong>disputes</strong> the statement at <a href=\"/entries/\(claim.seq)\">"), page)
        XCTAssertTrue(page.contains("the BKA received user data"), page)
        XCTAssertFalse(page.contains("signed by the log key"), page)
        let register = try s.get(server, "/entries/0")
        XCTAssertTrue(register.contains("(the log key) <strong>registers</strong> the signer <strong>alice</strong>"), register)
        let statement = try s.get(server, "/entries/\(claim.seq)")
        XCTAssertTrue(statement.contains("has never disclosed user data to third-parties"), statement)
    }
}

extension StatementV2CLITests {
    /// A platform's page reads as a timeline: each claim with its figures in words, what
    /// changed, its marks linking the entries behind them, and the quote whole.
    func testPlatformPageIsATimeline() throws {
        let s = try Sandbox()
        try s.setUp()
        let never = try s.add(v2("telegram", "third-party-sharing", published: "2019-03-14",
                                 assertions: [#"{"polarity":"never","action":"disclose","recipient":"third-parties"}"#]))
        let q3 = try s.add(v2("telegram", "government-requests", published: "2024-10-01", figures: [
            figure("requests-with-data-produced", #""count":2380"#, "2024-07-01", "2024-09-30", "IN"),
        ]))
        let server = try ServeProcess(s)
        defer { server.stop() }
        let page = try s.get(server, "/platforms/telegram")
        XCTAssertTrue(page.contains("2,380 requests with data produced (law-enforcement, IN, 2024-07-01 to 2024-09-30)"), page)
        XCTAssertTrue(page.contains("has never disclosed user data to third-parties"), page)
        XCTAssertTrue(page.contains("<strong>contradicted</strong> by the figures of data handed over in <a href=\"/entries/\(q3.seq)\">"), page)
        XCTAssertTrue(page.contains("<strong>contradicts</strong> the claim of no disclosure in <a href=\"/entries/\(never.seq)\">"), page)
        XCTAssertTrue(page.contains("q telegram 2024-10-01"), "the quote whole: \(page)")
        XCTAssertLessThan(page.range(of: "2024-10-01")!.lowerBound, page.range(of: "2019-03-14")!.lowerBound, "newest first")
    }
}
