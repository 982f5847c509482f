import Foundation
import LedgerCompare
import LedgerCore
import LedgerTestSupport
import XCTest

final class ComparisonTests: XCTestCase {
    typealias Q = Fixture.Q
    let gov = "government-requests", tps = "third-party-sharing"

    func compare(_ claims: [Claim], asOf: String, platforms: [String]? = nil, categories: [String]? = nil) -> Comparison {
        // What ClaimQueries.inForce returns: live claims at the latest date on or before asOf.
        var inForce: [String: [String: [Claim]]] = [:]
        let live = claims.filter { $0.isLive && $0.effectiveDate <= asOf }
        for (key, group) in Dictionary(grouping: live, by: { "\($0.platform)|\($0.category)" }) {
            let latest = group.map(\.effectiveDate).max()!
            let parts = key.split(separator: "|").map(String.init)
            inForce[parts[0], default: [:]][parts[1]] = group.filter { $0.effectiveDate == latest }
        }
        let zeros = Dictionary(grouping: live.filter { $0.statement?.claimsZeroDisclosure == true }, by: \.platform)
            .mapValues { $0.map(DisclosureFacts.init) }
        return Comparison(asOf: asOf, platforms: platforms ?? Array(Set(claims.map(\.platform))).sorted(),
                          categories: categories ?? [tps, gov], inForce: inForce, zeroClaims: zeros)
    }

    func testTheClaimInForceBeforeBetweenAndAfterChanges() throws {
        let a = Fixture.claim(1, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 100)]))
        let b = Fixture.claim(2, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 150)]))
        XCTAssertNil(compare([a, b], asOf: "2020-06-29").cell("wa", gov)?.claim)
        XCTAssertEqual(compare([a, b], asOf: "2020-06-30").cell("wa", gov)?.claim?.seq, 1)
        XCTAssertEqual(compare([a, b], asOf: "2021-01-01").cell("wa", gov)?.claim?.seq, 1)
        XCTAssertEqual(compare([a, b], asOf: "2030-01-01").cell("wa", gov)?.claim?.seq, 2)
        XCTAssertNil(compare([a, b], asOf: "2030-01-01").cell("wa", tps)?.claim)
    }

    func testSameDateDisagreementBetweenSignersIsAConflict() throws {
        let a = Fixture.claim(4, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 150)]))
        let b = Fixture.claim(5, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 120)]), signer: "bob")
        let same = Fixture.claim(6, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 150)], quote: "other words"), signer: "carol")
        let cell = try XCTUnwrap(compare([a, b], asOf: "2022-01-01").cell("wa", gov))
        XCTAssertEqual(cell.claim?.seq, 5, "the last appended of the date is shown")
        XCTAssertEqual(cell.others.map(\.seq), [4])
        XCTAssertEqual(cell.marks, [Mark(.conflict, [4, 5])])
        // Same figures in other words: no conflict. The same signer twice: no conflict.
        XCTAssertEqual(compare([a, same], asOf: "2022-01-01").cell("wa", gov)?.marks, [])
        let a2 = Fixture.claim(7, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 1)]))
        XCTAssertEqual(compare([a, a2], asOf: "2022-01-01").cell("wa", gov)?.marks, [])
    }

    func testCorrectionsAreResolved() throws {
        let orig = Fixture.claim(1, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 100)]),
                                 supersededBy: .init(seq: 3, kind: .amendment))
        let amend = Fixture.claim(3, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 110)]),
                                  corrects: .init(seq: 1, kind: .amendment))
        XCTAssertEqual(compare([orig, amend], asOf: "2021-01-01").cell("wa", gov)?.claim?.seq, 3)
        let older = Fixture.claim(0, try Fixture.statement("wa", gov, "2019-06-30", [Q(unit: "requests-received", value: 90)]))
        let retractedAmend = Fixture.claim(3, amend.statement!, supersededBy: .init(seq: 4, kind: .retraction), corrects: .init(seq: 1, kind: .amendment))
        let retraction = Fixture.claim(4, try Fixture.statement("wa", gov, "2020-06-30", summary: "withdrawn"), corrects: .init(seq: 3, kind: .retraction))
        // Retracting the amendment withdraws the claim: the cell falls back to the older one.
        XCTAssertEqual(compare([older, orig, retractedAmend, retraction], asOf: "2021-01-01").cell("wa", gov)?.claim?.seq, 0)
    }

    func testZeroBytesThenDisclosuresIsAContradictionAcrossCategories() throws {
        let zero = Fixture.claim(1, try Fixture.statement("tg", tps, "2019-03-14", [Q(unit: "bytes", value: 0, recipient: "third-parties")],
                                                          recipients: ["third-parties", "governments"]))
        let report = Fixture.claim(2, try Fixture.statement("tg", gov, "2022-01-01", [Q(unit: "requests-complied", value: 5, recipient: "governments")]))
        let before = compare([zero, report], asOf: "2021-12-31")
        XCTAssertEqual(before.cell("tg", tps)?.marks, [])
        let after = compare([zero, report], asOf: "2022-01-01")
        XCTAssertEqual(after.cell("tg", tps)?.marks, [Mark(.contradictedBy, [2])])
        XCTAssertEqual(after.cell("tg", gov)?.marks, [Mark(.contradicts, [1])])
        // Requests received are not disclosures; another recipient does not overlap.
        let received = Fixture.claim(3, try Fixture.statement("tg", gov, "2022-01-01", [Q(unit: "requests-received", value: 5)]))
        XCTAssertEqual(compare([zero, received], asOf: "2023-01-01").cell("tg", tps)?.marks, [])
        let narrow = Fixture.claim(4, try Fixture.statement("tg", tps, "2019-03-14", [Q(unit: "bytes", value: 0, recipient: "advertisers")]))
        XCTAssertEqual(compare([narrow, report], asOf: "2023-01-01").cell("tg", gov)?.marks, [])
        // Within one cell: "0 bytes" then "bytes > 0".
        let later = Fixture.claim(5, try Fixture.statement("tg", tps, "2023-01-01", [Q(unit: "bytes", value: 10)]))
        XCTAssertEqual(compare([zero, later], asOf: "2023-01-01").cell("tg", tps)?.marks, [Mark(.contradicts, [1])])
    }

    func testTheLatestEarlierZeroClaimIsNamed() throws {
        let z1 = Fixture.claim(1, try Fixture.statement("tg", tps, "2019-03-14", [Q(unit: "bytes", value: 0)]))
        let z2 = Fixture.claim(2, try Fixture.statement("tg", tps, "2020-03-14", [Q(unit: "bytes", value: 0)]))
        let report = Fixture.claim(3, try Fixture.statement("tg", gov, "2022-01-01", [Q(unit: "accounts-affected", value: 2)]))
        let c = compare([z1, z2, report], asOf: "2023-01-01")
        XCTAssertEqual(c.cell("tg", gov)?.marks, [Mark(.contradicts, [2])])
        XCTAssertEqual(c.cell("tg", tps)?.marks, [Mark(.contradictedBy, [3])])
    }

    func testOutputFormatsParseBack() throws {
        let zero = Fixture.claim(1, try Fixture.statement("tg", tps, "2019-03-14", [Q(unit: "bytes", value: 0)], summary: "0 bytes, \\\"quoted\\\", | piped <b>"))
        let c = compare([zero], asOf: "2020-01-01", platforms: ["tg", "wa"])
        XCTAssertEqual(c.render(.json), CanonicalJSON.string(c.json) + "\n", "the parallel encoding is the canonical one")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(c.render(.json).utf8)) as? [String: Any])
        XCTAssertEqual(json["as_of"] as? String, "2020-01-01")
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.count, 4)
        XCTAssertEqual((cells[0]["claim"] as? [String: Any])?["seq"] as? Int, 1)
        XCTAssertTrue(cells[3]["claim"] is NSNull)
        let csv = parseCSV(c.render(.csv))
        XCTAssertEqual(csv.count, 5)
        XCTAssertTrue(csv.allSatisfy { $0.count == csv[0].count })
        XCTAssertEqual(csv[1][0...3], ["tg", tps, "1", "alice"])
        XCTAssertEqual(csv[0].suffix(4), ["summary", "quote", "source_url", "source_sha256"])
        XCTAssertEqual(csv[1][15], "0 bytes, \"quoted\", | piped <b>")
        XCTAssertEqual(csv[1][17], "https://example.org/2019-03-14", "the source a reader cites")
        let md = c.render(.markdown).split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(md.count, 4, "header, separator, two platforms")
        XCTAssertTrue(md[1].allSatisfy { "| -".contains($0) })
        XCTAssertTrue(md.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 4 })
        XCTAssertTrue(md[2].contains("piped &lt;b&gt;<br>0 bytes disclosed<br>[source](https://example.org/2019-03-14)<br>seq 1"), String(md[2]))
    }
}
