import Foundation
import LedgerCompare
import LedgerCore
import LedgerTestSupport
import XCTest

/// "Who gives data to governments, and how much?": a row per platform with its figures for
/// governments or a narrower recipient, and its stated policy toward them.
final class RecipientViewTests: XCTestCase {
    typealias Q = Fixture.Q
    let gov = "government-requests", tps = "third-party-sharing", ads = "advertising"

    func view() throws -> RecipientView {
        let zero = Fixture.claim(1, try Fixture.statement("tg", tps, "2019-03-14", [Q(unit: "bytes", value: 0, recipient: "third-parties")],
                                                          recipients: ["third-parties", "governments"], summary: "0 bytes to third parties"))
        let india = Fixture.claim(6, try Fixture.statement("tg", gov, "2024-09-30", [Q(unit: "requests-complied", value: 2380, recipient: "law-enforcement-india"),
                                                                                   Q(unit: "requests-complied", value: 65, recipient: "law-enforcement-brazil")]))
        let us = Fixture.claim(7, try Fixture.statement("tg", gov, "2024-09-30", [Q(unit: "requests-complied", value: 14, recipient: "law-enforcement-us")]))
        let affiliates = Fixture.claim(8, try Fixture.statement("wa", tps, "2021-01-04", recipients: ["affiliates"], summary: "shares with Facebook companies"))
        let adsOnly = Fixture.claim(9, try Fixture.statement("wa", ads, "2021-01-04", [Q(unit: "bytes", value: 0, recipient: "advertisers")]))
        let fb = Fixture.claim(12, try Fixture.statement("fb", gov, "2021-06-30", [Q(unit: "requests-received", value: 211_055, recipient: "governments")]))
        let claims = [zero, india, us, affiliates, adsOnly, fb]
        var inForce: [String: [String: [Claim]]] = [:]
        for c in claims { inForce[c.platform, default: [:]][c.category, default: []].append(c) }
        let comparison = Comparison(asOf: "2024-12-31", platforms: ["fb", "tg", "wa"], categories: [tps, gov, ads], inForce: inForce,
                                    zeroClaims: ["tg": [DisclosureFacts(zero)], "wa": [DisclosureFacts(adsOnly)]])
        return RecipientView(comparison: comparison, recipient: "governments")
    }

    func testFiguresForNarrowerRecipientsAndPoliciesForBroaderOnes() throws {
        let v = try view()
        XCTAssertEqual(v.rows.map(\.platform), ["fb", "tg", "wa"])
        let tg = v.rows[1]
        XCTAssertEqual(tg.figures.map(\.claim.seq), [6, 7], "law enforcement of India, Brazil and the US is within governments")
        XCTAssertEqual(tg.figures[0].figures.map(\.readable), ["requests-with-data-produced=2,380@law-enforcement-india", "requests-with-data-produced=65@law-enforcement-brazil"])
        XCTAssertEqual(tg.policies.map(\.seq), [1], "a policy about third parties covers governments")
        XCTAssertTrue(tg.marks.contains { $0.kind == .contradictedBy } && tg.marks.contains { $0.kind == .contradicts }, "\(tg.marks)")
        XCTAssertEqual(v.rows[0].figures.map(\.claim.seq), [12])
        XCTAssertTrue(v.rows[2].figures.isEmpty && v.rows[2].policies.isEmpty, "affiliates and advertisers are not governments")
    }

    func testEveryFormatParsesBackWithTheSeqsAndTheSources() throws {
        let v = try view()
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(v.render(.json).utf8)) as? [String: Any])
        XCTAssertEqual(json["recipient"] as? String, "governments")
        let rows = try XCTUnwrap(json["rows"] as? [[String: Any]])
        XCTAssertEqual(((rows[1]["figures"] as? [[String: Any]])?.first?["claim"] as? [String: Any])?["seq"] as? Int, 6)
        let csv = parseCSV(v.render(.csv))
        XCTAssertTrue(csv.allSatisfy { $0.count == csv[0].count })
        XCTAssertEqual(csv.filter { $0[0] == "tg" }.map { $0[1] + " " + $0[2] }, ["figure 6", "figure 7", "policy 1"])
        XCTAssertEqual(csv.first { $0[2] == "6" }?[11], "https://example.org/2024-09-30", "the source a reader cites")
        XCTAssertEqual(csv.first { $0[0] == "wa" }?[1], "none")
        let table = v.render(.table)
        XCTAssertTrue(table.contains("2,380 requests with data produced (law-enforcement-india"), table)
        let md = v.render(.markdown)
        XCTAssertTrue(md.hasPrefix("Who gives data to governments, as of 2024-12-31"), md)
        XCTAssertTrue(md.contains("[source](https://example.org/2024-09-30)"), md)
    }
}
