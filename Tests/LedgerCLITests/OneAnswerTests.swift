import Foundation
import XCTest

/// The command line and the service answer from one query layer: for one ledger and date,
/// `ledger compare --format json` and `GET /v1/compare` are the same bytes, and the pages show
/// the same marks.
final class OneAnswerTests: XCTestCase {
    func testCompareIsTheSameFromTheCLITheAPIAndThePages() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        let gov = "government-requests"
        // A zero claim, later contradicted by a figure; an amended claim; a retracted one; a dispute.
        let zero = try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 0)], recipients: ["governments"]))
        let figures = try s.add(statementJSON("telegram", gov, "2024-10-01", quantities: [qty("requests-complied", 14, "governments")]))
        let claim = try s.add(statementJSON("whatsapp", gov, "2021-01-01", summary: "first wording"))
        try s.add(statementJSON("whatsapp", gov, "2021-02-01", supersedes: (claim.seq, claim.leaf, "amendment"), summary: "amended wording"))
        let retracted = try s.add(statementJSON("signal", gov, "2021-03-01", summary: "to be withdrawn"))
        try s.add(statementJSON("signal", gov, "2021-04-01", supersedes: (retracted.seq, retracted.leaf, "retraction"), summary: "withdrawn"))
        try s.add(responseJSON(figures.seq, figures.leaf, "dispute"), as: "bob")

        let server = try ServeProcess(s)
        defer { server.stop() }
        for asOf in ["2020-01-01", "2024-12-31"] {
            let cli = try s.ok("compare", "--as-of", asOf, "--format", "json")
            let api = try s.run("/usr/bin/curl", ["-sS", server.base + "/v1/compare?as_of=\(asOf)"])
            XCTAssertEqual(api.status, 0, api.stderr)
            XCTAssertEqual(api.stdout, cli, "as of \(asOf)")
            let one = try s.ok("compare", "telegram", "--category", gov, "--as-of", asOf, "--format", "json")
            let oneAPI = try s.run("/usr/bin/curl", ["-sS", server.base + "/v1/compare?as_of=\(asOf)&platform=telegram&category=\(gov)"])
            XCTAssertEqual(oneAPI.stdout, one, "one platform and category as of \(asOf)")
        }
        // The recipient view: the same bytes from the CLI and the API.
        let view = try s.ok("compare", "--recipient", "governments", "--as-of", "2024-12-31", "--format", "json")
        let viewAPI = try s.run("/usr/bin/curl", ["-sS", server.base + "/v1/compare?recipient=governments&as_of=2024-12-31"])
        XCTAssertEqual(viewAPI.stdout, view)
        XCTAssertTrue(view.contains("\"recipient\":\"governments\""), view)
        let viewPage = try s.get(server, "/compare?recipient=governments&as_of=2024-12-31")
        XCTAssertTrue(viewPage.contains("Who gives data to governments"), viewPage)
        XCTAssertTrue(viewPage.contains("14 requests with data produced (governments"), viewPage)

        let cli = try s.ok("compare", "--as-of", "2024-12-31", "--format", "json")
        XCTAssertTrue(cli.contains("contradicted-by"), cli)
        XCTAssertTrue(cli.contains("\"disputes\":1"), cli)

        // The page for the same date shows the same marks, in words, linking the entries behind them.
        let page = try s.get(server, "/compare?as_of=2024-12-31")
        XCTAssertTrue(page.contains("<strong>contradicted</strong> by the figures of data handed over in <a href=\"/entries/\(figures.seq)\">"), page)
        XCTAssertTrue(page.contains("<strong>contradicts</strong> the claim of no disclosure in <a href=\"/entries/\(zero.seq)\">"), page)
        XCTAssertTrue(page.contains("<strong>disputed</strong> by <a href=\"/entries/"), page)
        XCTAssertTrue(page.contains("#standing\">1 signer</a>"), page)
        XCTAssertTrue(page.contains("amends <a href=\"/entries/\(claim.seq)\">"), page)
        XCTAssertFalse(page.contains("to be withdrawn"), "a retracted claim is not in force")
        XCTAssertFalse(page.contains("first wording"), "an amended claim gives way to its amendment")

        // History: the same bytes from `ledger history` and the API, whole, by category, since a date.
        for (args, query) in [([String](), ""), (["--category", gov], "?category=\(gov)"), (["--since", "2021-02-01"], "?since=2021-02-01")] {
            for platform in ["telegram", "whatsapp", "signal"] {
                let cli = try s.run("ledger", ["history", platform, "--format", "json"] + args)
                XCTAssertEqual(cli.status, 0, cli.stderr)
                let api = try s.run("/usr/bin/curl", ["-sS", server.base + "/v1/platforms/\(platform)/history" + query])
                XCTAssertEqual(api.stdout, cli.stdout, "history \(platform) \(args)")
            }
        }
        let history = try s.ok("history", "signal", "--format", "json")
        XCTAssertTrue(history.contains("\"status\":\"retracted\""), history)

        let unknown = try s.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", server.base + "/v1/compare?platform=nobody"])
        XCTAssertEqual(unknown.stdout, "404")
    }

    /// The shipped statements: Telegram's "0 bytes ... to third parties, including governments"
    /// is contradicted by its own later figures for law enforcement in India and the US.
    func testTheShippedDatasetFlagsTelegramsZeroBytesClaim() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let s = try Sandbox()
        try s.ok("demo", "--statements", repository.appendingPathComponent("ledger/statements").path)
        let comparison = try s.json("compare", "telegram", "--format", "json")
        let cells = try XCTUnwrap(comparison["cells"] as? [[String: Any]])
        let zero = try XCTUnwrap(cells.first { $0["category"] as? String == "third-party-sharing" })
        let marks = (zero["marks"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        XCTAssertTrue(marks.contains("contradicted-by"), "\(zero)")
        XCTAssertEqual((zero["claim"] as? [String: Any])?["disputes"] as? Int, 1, "the shipped dispute citing the BKA figures")
        let table = try s.ok("compare", "telegram")
        XCTAssertTrue(table.contains("contradicted-by"), table)
        // Who gives data to governments: the platforms whose claims in force report figures, and
        // Signal's stated policy (its 2021 statement, in force, gives no count).
        let view = try s.json("compare", "--recipient", "governments", "--format", "json")
        let rows = try XCTUnwrap(view["rows"] as? [[String: Any]])
        let reporting = rows.filter { !(($0["figures"] as? [Any]) ?? []).isEmpty }.compactMap { $0["platform"] as? String }
        XCTAssertEqual(reporting, ["apple", "facebook", "google", "microsoft", "signal", "telegram", "tiktok", "x"],
                       "every platform whose reports give figures, though a later policy statement is in force in that category")
        let stating = rows.filter { !(($0["policies"] as? [Any]) ?? []).isEmpty }.compactMap { $0["platform"] as? String }
        XCTAssertTrue(stating.contains("signal") && stating.contains("telegram"), "\(stating)")
    }
}
