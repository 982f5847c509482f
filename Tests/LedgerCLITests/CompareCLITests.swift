import Foundation
import LedgerCompare
import LedgerStorage
import LedgerTestSupport
import XCTest

/// `ledger compare` and `ledger history` on a hand-made ledger whose answers are known.
final class CompareCLITests: XCTestCase {
    var s: Sandbox!
    var seq: [String: (seq: Int, leaf: String)] = [:]
    let gov = "government-requests", tps = "third-party-sharing"

    // XCTest keeps every test case instance until the run ends, so drop the sandbox here or
    // its directory outlives the run.
    override func tearDown() { s = nil }

    override func setUpWithError() throws {
        s = try Sandbox()
        try s.setUp()                                   // seq 0: alice
        try s.addSigner("bob")                          // seq 1
        seq["tg0"] = try s.add(statementJSON("telegram", tps, "2019-03-14", quantities: [qty("bytes", 0, "third-parties")],
                                             recipients: ["third-parties", "governments"], summary: "0 bytes disclosed"))
        seq["wa1"] = try s.add(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 100)]))
        seq["wa2"] = try s.add(statementJSON("whatsapp", gov, "2021-06-30", quantities: [qty("requests-received", 150)]))
        seq["wa2b"] = try s.add(statementJSON("whatsapp", gov, "2021-06-30", quantities: [qty("requests-received", 120)]), as: "bob")
        // alice corrects her 2020 figure; signal's encryption claim is retracted.
        seq["wa1a"] = try s.add(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 110)],
                                              supersedes: (seq["wa1"]!.seq, seq["wa1"]!.leaf, "amendment")))
        seq["sg"] = try s.add(statementJSON("signal", "encryption", "2020-01-01", summary: "end-to-end by default"))
        seq["sgr"] = try s.add(statementJSON("signal", "encryption", "2020-01-01", supersedes: (seq["sg"]!.seq, seq["sg"]!.leaf, "retraction"),
                                             summary: "withdrawn: misattributed"))
        seq["tg1"] = try s.add(statementJSON("telegram", gov, "2022-01-01", quantities: [qty("requests-complied", 5, "governments")],
                                             summary: "complied with 5 requests"))
        try s.add(responseJSON(seq["tg0"]!.seq, seq["tg0"]!.leaf, "dispute"), as: "bob")
        try s.add(responseJSON(seq["wa2"]!.seq, seq["wa2"]!.leaf, "endorsement"), as: "bob")
    }

    func cell(_ json: [String: Any], _ platform: String, _ category: String) throws -> [String: Any] {
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        return try XCTUnwrap(cells.first { $0["platform"] as? String == platform && $0["category"] as? String == category })
    }

    func claimSeq(_ cell: [String: Any]) -> Int? { (cell["claim"] as? [String: Any])?["seq"] as? Int }

    func testAsOfBeforeBetweenAndAfterChanges() throws {
        let before = try s.json("compare", "--as-of", "2019-01-01", "--format", "json")
        XCTAssertEqual(before["platforms"] as? [String], ["signal", "telegram", "whatsapp"])
        XCTAssertNil(claimSeq(try cell(before, "telegram", tps)))

        let y2020 = try s.json("compare", "--as-of", "2020-12-31", "--format", "json")
        XCTAssertEqual(claimSeq(try cell(y2020, "telegram", tps)), seq["tg0"]!.seq)
        XCTAssertEqual(claimSeq(try cell(y2020, "whatsapp", gov)), seq["wa1a"]!.seq, "the amendment, not the original")
        XCTAssertNil(claimSeq(try cell(y2020, "signal", "encryption")), "retracted")
        XCTAssertEqual((try cell(y2020, "telegram", tps)["marks"] as? [Any])?.count, 0, "nothing contradicts it yet")

        let later = try s.json("compare", "--as-of", "2022-06-01", "--format", "json")
        let wa = try cell(later, "whatsapp", gov)
        XCTAssertEqual(claimSeq(wa), seq["wa2b"]!.seq, "bob's came last on that date")
        XCTAssertEqual((wa["others"] as? [[String: Any]])?.map { $0["seq"] as? Int }, [seq["wa2"]!.seq])
        let marks = try XCTUnwrap(wa["marks"] as? [[String: Any]])
        XCTAssertEqual(marks.first?["kind"] as? String, "conflict")
        XCTAssertEqual(marks.first?["seqs"] as? [Int], [seq["wa2"]!.seq, seq["wa2b"]!.seq])
        let tg = try cell(later, "telegram", tps)
        XCTAssertEqual((tg["claim"] as? [String: Any])?["disputes"] as? Int, 1)
        XCTAssertEqual((tg["marks"] as? [[String: Any]])?.first?["kind"] as? String, "contradicted-by")
        XCTAssertEqual((tg["marks"] as? [[String: Any]])?.first?["seqs"] as? [Int], [seq["tg1"]!.seq])
        XCTAssertEqual((try cell(later, "telegram", gov)["marks"] as? [[String: Any]])?.first?["kind"] as? String, "contradicts")

        // Named platforms and one category.
        let one = try s.json("compare", "whatsapp", "--category", gov, "--as-of", "2022-06-01", "--format", "json")
        XCTAssertEqual(one["platforms"] as? [String], ["whatsapp"])
        XCTAssertEqual((one["cells"] as? [Any])?.count, 1)
    }

    func testEveryFormatParsesBack() throws {
        let csv = parseCSV(try s.ok("compare", "--as-of", "2022-06-01", "--format", "csv"))
        XCTAssertEqual(csv.count, 1 + 3 * 6)
        XCTAssertTrue(csv.allSatisfy { $0.count == csv[0].count }, "\(csv)")
        XCTAssertEqual(csv[0][0...3], ["platform", "category", "seq", "signer"])
        let row = try XCTUnwrap(csv.first { $0[0] == "whatsapp" && $0[1] == gov })
        XCTAssertEqual(row[2], String(seq["wa2b"]!.seq))
        XCTAssertEqual(row[7], "requests-received=120")
        XCTAssertTrue(row[14].hasPrefix("conflict:"))
        XCTAssertEqual(row[13], "0", "others_omitted")

        let md = try s.ok("compare", "--as-of", "2022-06-01", "--format", "markdown").split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(md.count, 2 + 3)
        XCTAssertTrue(md.allSatisfy { $0.hasSuffix("|") && $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 8 })
        XCTAssertEqual(md[1], "|" + String(repeating: " --- |", count: 7))

        let table = try s.ok("compare", "--as-of", "2022-06-01").split(separator: "\n")
        XCTAssertEqual(table.count, 1 + 18)
        XCTAssertTrue(table[0].hasPrefix("PLATFORM"))

        let hcsv = parseCSV(try s.ok("history", "whatsapp", "--format", "csv"))
        XCTAssertEqual(hcsv.count, 1 + 4)
        XCTAssertTrue(hcsv.allSatisfy { $0.count == 14 }, "11 columns and what a reader cites: quote, source_url, source_sha256")
        XCTAssertEqual(hcsv[0].suffix(3), ["quote", "source_url", "source_sha256"])
        let hmd = try s.ok("history", "whatsapp", "--format", "markdown").split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(hmd.count, 2 + 4)
        XCTAssertNoThrow(try s.json("history", "whatsapp", "--format", "json"))
    }

    func testHistoryShowsStatusesAndChanges() throws {
        let h = try s.json("history", "whatsapp", "--format", "json")
        let events = try XCTUnwrap(h["events"] as? [[String: Any]])
        func seqOf(_ e: [String: Any]) -> Int? { (e["claim"] as? [String: Any])?["seq"] as? Int }
        XCTAssertEqual(events.map(seqOf), [seq["wa1"]!.seq, seq["wa1a"]!.seq, seq["wa2"]!.seq, seq["wa2b"]!.seq])
        XCTAssertEqual(events.map { $0["status"] as? String }, ["amended", "live", "live", "live"])
        XCTAssertEqual(events[0]["status_seq"] as? Int, seq["wa1a"]!.seq)
        let amendment = try XCTUnwrap(events[1]["changes"] as? [String: Any])
        XCTAssertEqual(amendment["since_seq"] as? Int, seq["wa1"]!.seq)
        XCTAssertEqual((amendment["figure_deltas"] as? [[String: Any]])?.first?["delta"] as? Int, 10)
        let next = try XCTUnwrap(events[2]["changes"] as? [String: Any])
        XCTAssertEqual(next["since_seq"] as? Int, seq["wa1a"]!.seq)
        XCTAssertEqual((next["figure_deltas"] as? [[String: Any]])?.first?["delta"] as? Int, 40)
        XCTAssertEqual(next["changed"] as? [String], ["figures", "source.url", "quote"])
        XCTAssertEqual((events[2]["claim"] as? [String: Any])?["endorsements"] as? Int, 1)

        let signal = try s.json("history", "signal", "--format", "json")
        XCTAssertEqual((signal["events"] as? [[String: Any]])?.map { $0["status"] as? String }, ["retracted", "retraction"])
        let tg = try s.ok("history", "telegram", "--category", gov)
        XCTAssertTrue(tg.contains("contradicts:\(seq["tg0"]!.seq)"), tg)
    }

    /// `--width` wraps the table's prose columns to fit; `--width 0` and output to a pipe (what
    /// tests see) are the unwrapped table; a negative width is refused.
    func testCompareTablesWrapToAWidth() throws {
        let plain = try s.ok("compare")
        XCTAssertEqual(try s.ok("compare", "--width", "0"), plain)
        XCTAssertEqual(try s.ok("compare", "--width", "1000"), plain)
        // The comparison's names, dates, seqs and signers take 72 columns of their own.
        for (args, width) in [(["compare"], 130), (["compare", "--recipient", "governments"], 72)] {
            let wide = try s.ok(args + ["--width", "1000"])
            let wrapped = try s.ok(args + ["--width", String(width)])
            XCTAssertTrue(wrapped.split(separator: "\n").allSatisfy { $0.unicodeScalars.count <= width }, wrapped)
            // Columns interleave line by line, so compare what is written, not its order.
            XCTAssertEqual(wrapped.filter { !$0.isWhitespace }.sorted(), wide.filter { !$0.isWhitespace }.sorted(),
                           "the same characters, nothing lost or added")
            XCTAssertGreaterThan(wrapped.split(separator: "\n").count, wide.split(separator: "\n").count, "it wrapped")
        }
        let refused = try s.ledger("compare", "--width", "-1")
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("--width"), refused.stderr)
    }

    func testListFilters() throws {
        func seqs(_ args: String...) throws -> [Int] {
            try s.run("ledger", ["list"] + args).stdout.split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: "\t")[0]) }
        }
        XCTAssertEqual(try seqs("--platform", "whatsapp"), [3, 4, 5, 6].map { $0 })
        XCTAssertEqual(try seqs("--platform", "whatsapp", "--signer", "bob"), [5])
        XCTAssertEqual(try seqs("--signer", "bob"), [5, 10, 11])
        XCTAssertEqual(try seqs("--category", gov, "--from-date", "2021-01-01"), [4, 5, 9])
        XCTAssertEqual(try seqs("--from-date", "2020-01-01", "--to-date", "2020-12-31"), [3, 6, 7, 8])
        let hash = try s.ok("export", "--bodies", "--from", "9", "--to", "9").trimmingCharacters(in: .newlines)
        try s.write("b.json", hash)
        let digest = String(try s.run("/usr/bin/sha256sum", ["b.json"]).stdout.prefix(64))
        XCTAssertEqual(try seqs("--statement-hash", digest), [9])
        let bad = try s.ledger("list", "--from-date", "2020-13-01")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--from-date: '2020-13-01' is not a date"))
        XCTAssertTrue(try s.ledger("list", "--category", "gossip").stderr.contains("--category: unknown category 'gossip'"))
    }

    func testTheAuditAcceptsCorrectionsAndResponses() throws {
        let r = try s.verify()
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(try s.sqlite("SELECT kind, COUNT(*) FROM links GROUP BY kind ORDER BY kind").stdout,
                       "amendment|1\ndispute|1\nendorsement|1\nretraction|1\n")
        XCTAssertEqual(try s.sqlite("SELECT seq, scopes FROM zero_claims").stdout, "\(seq["tg0"]!.seq)|governments,third-parties\n")
    }

    func testBadQueriesAreRefusedWithTheReason() throws {
        func refused(_ args: String..., says fragment: String, line: UInt = #line) throws {
            let r = try s.run("ledger", args)
            XCTAssertNotEqual(r.status, 0, line: line)
            XCTAssertTrue(r.stderr.contains(fragment), "expected '\(fragment)' in: \(r.stderr)", line: line)
            XCTAssertEqual(r.stdout, "", line: line)
        }
        try refused("compare", "myspace", says: "no statement in the ledger is about platform 'myspace'")
        try refused("compare", "--as-of", "2020-02-30", says: "--as-of: '2020-02-30' is not a date like 2019-03-14")
        try refused("compare", "--category", "gossip", says: "--category: unknown category 'gossip'")
        try refused("compare", "--format", "xml", says: "xml")
        try refused("compare", "Telegram Inc", says: "'Telegram Inc' is not a platform name")
        try refused("history", "myspace", says: "no statement in the ledger is about platform 'myspace'")
        try refused("history", "whatsapp", "--category", "advertising", says: "no statement in the ledger is about platform 'whatsapp' in category advertising")
    }

    func testQueriesUseIndexes() throws {
        for sql in ["EXPLAIN QUERY PLAN SELECT e.effective_date FROM entries e WHERE e.platform = 'x' AND e.category = 'y' AND e.effective_date <= '2020-01-01' ORDER BY e.effective_date DESC LIMIT 1",
                    "EXPLAIN QUERY PLAN SELECT seq FROM links WHERE target = 3 AND kind IN ('amendment', 'retraction')",
                    "EXPLAIN QUERY PLAN SELECT seq FROM zero_claims WHERE platform = 'x' AND effective_date <= '2020-01-01'"] {
            let plan = try s.sqlite(sql).stdout
            XCTAssertFalse(plan.contains("SCAN"), "\(sql): \(plan)")
        }
    }
}

/// `ledger list` reads the one entry query a page at a time: a listing longer than a page is
/// whole, in seq order, and the filters still apply across pages.
final class ListPagingTests: XCTestCase {
    func testListingsLongerThanAPageAreWhole() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2100))
        let lines = try s.ok("list").split(separator: "\n").dropFirst()
        let seqs = lines.compactMap { Int($0.split(separator: "\t")[0]) }
        XCTAssertEqual(seqs, Array(0..<seqs.count))
        XCTAssertEqual(seqs.count, 2101, "the signer event and 2,100 statements")
        let signed = try s.ok("list", "--signer", "alice").split(separator: "\n").dropFirst()
        XCTAssertEqual(signed.count, 2100)
    }
}

/// A cell holds at most `Comparison.maxClaimsPerCell` claims of its date: the newest, shown
/// and compared; the rest counted in every format (a report split into 70 same-day statements).
final class CompareCellBoundTests: XCTestCase {
    func testACellHoldsTheNewest64ClaimsOfItsDateAndCountsTheRest() throws {
        let s = try Sandbox()
        try s.setUp()                                   // seq 0: alice
        try s.addSigner("bob")                          // seq 1
        let gov = "government-requests"
        let lines = (0..<70).map { i in
            statementJSON("acme", gov, "2024-06-30", quantities: [qty("requests-received", 100 + i, "law-enforcement")], summary: "part \(i)")
        }
        try s.ok("append", "--key", "keys/alice.key", stdin: Data((lines.joined(separator: "\n") + "\n").utf8))   // seqs 2...71
        let bob = try s.add(statementJSON("acme", gov, "2024-06-30", quantities: [qty("requests-received", 1, "law-enforcement")]), as: "bob")
        XCTAssertEqual(bob.seq, 72)
        try s.add(statementJSON("acme", "encryption", "2024-06-30", summary: "one claim"))

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("compare", "--format", "json").utf8)) as? [String: Any])
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        let cell = try XCTUnwrap(cells.first { $0["category"] as? String == gov })
        XCTAssertEqual((cell["claim"] as? [String: Any])?["seq"] as? Int, 72, "the newest claim of the date is the cell's")
        let others = try XCTUnwrap(cell["others"] as? [[String: Any]]).compactMap { $0["seq"] as? Int }
        XCTAssertEqual(others, Array(9...71), "the 63 newest others, oldest first")
        XCTAssertEqual(cell["others_omitted"] as? Int, 7, "seqs 2...8 counted, not read")
        let conflict = try XCTUnwrap((cell["marks"] as? [[String: Any]])?.first { $0["kind"] as? String == "conflict" })
        XCTAssertEqual(conflict["seqs"] as? [Int], Array(9...72), "bob's claim disagrees with each of alice's held")
        let small = try XCTUnwrap(cells.first { $0["category"] as? String == "encryption" })
        XCTAssertNil(small["others_omitted"], "a cell with nothing left out keeps its members")
        // The store reads no more than the cell holds, and counts the rest.
        let read = try LedgerStore(path: s.ledgerPath, readonly: true).readClaims { q in
            try q.inForce(platform: "acme", category: gov, asOf: "2024-12-31", limit: Comparison.maxClaimsPerCell)
        }
        XCTAssertEqual(read.rows.map(\.seq), Array(9...72))
        XCTAssertEqual(read.total, 71)

        let csv = try s.ok("compare", "--format", "csv").split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try XCTUnwrap(csv.first?.firstIndex(of: "others_omitted"))
        XCTAssertEqual(csv.first?[column - 1], "other_seqs")
        let row = try XCTUnwrap(csv.first { $0.count > 2 && $0[1] == Substring(gov) })
        XCTAssertEqual(row[column], "7")
        XCTAssertEqual(row[column - 1].split(separator: ";").count, 63)

        let table = try s.ok("compare")
        XCTAssertTrue(table.contains("72 (+69,70,71 and 67 more)"), table)
        // The recipient view reads the same cells: alice's and bob's figures for law enforcement.
        let view = try s.ok("compare", "--recipient", "law-enforcement", "--format", "json")
        XCTAssertTrue(view.contains("\"seq\":72") && view.contains("\"seq\":9,") && !view.contains("\"seq\":8,"), view)
    }
}
