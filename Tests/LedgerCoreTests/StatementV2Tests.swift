import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// A valid `disclosure-statement/v2` as a mutable JSON dictionary: Meta's H1 2023 figures as
/// its report gives them (requests and the accounts they named; the share with data produced).
func sampleV2() -> [String: Any] {
    let h1: [String: Any] = ["start": "2023-01-01", "end": "2023-06-30"]
    return [
        "schema": "disclosure-statement/v2", "platform": "facebook", "products": ["facebook", "instagram", "whatsapp", "messenger"],
        "category": "government-requests",
        "figures": [
            ["measure": "requests-received", "count": 271_692, "period": h1, "jurisdiction": "worldwide", "requester": "governments"],
            ["measure": "accounts-specified", "count": 469_372, "period": h1, "jurisdiction": "worldwide", "requester": "governments"],
            ["measure": "requests-with-data-produced", "share_bp": 7650, "period": h1, "jurisdiction": "US", "requester": "law-enforcement",
             "process": "search-warrant"],
            ["measure": "accounts-specified", "band": ["low": 0, "high": 499], "period": h1, "jurisdiction": "US",
             "requester": "intelligence-agencies", "process": "national-security-letter"],
        ],
        "assertions": [["polarity": "may", "action": "disclose", "recipient": "law-enforcement", "condition": "in response to valid legal process"]],
        "published": "2023-11-14",
        "source": ["url": "https://transparency.meta.com/reports/government-data-requests/", "retrieved_at": "2024-01-01T00:00:00Z",
                   "sha256": String(repeating: "ab", count: 32)],
        "quote": "271,692 requests for 469,372 users/accounts", "language": "en",
    ]
}

final class StatementV2Tests: XCTestCase {
    func testV2ParsesFiguresBandsSharesAndAssertions() throws {
        let body = try Body(parsing: jsonBytes(sampleV2()))
        let s = try XCTUnwrap(body.statement)
        XCTAssertEqual(s.version, 2)
        XCTAssertEqual(s.products, ["facebook", "instagram", "whatsapp", "messenger"])
        XCTAssertEqual(s.published.description, "2023-11-14")
        XCTAssertEqual(s.figures.map(\.value), [.count(271_692), .count(469_372), .share(basisPoints: 7650), .band(low: 0, high: 499)])
        XCTAssertEqual(s.figures[2].readable, "requests-with-data-produced=76.5%@law-enforcement in US by search-warrant [2023-01-01..2023-06-30]")
        XCTAssertEqual(s.figures[3].value.readable, "0–499")
        XCTAssertFalse(s.figures[3].value.isPositive, "a band from 0 may be nothing")
        XCTAssertEqual(s.assertions.first?.text, "may disclose to law-enforcement if in response to valid legal process")
        XCTAssertNoThrow(try Body(stored: body.canonical))
    }

    /// Every refusal the schema promises, each naming the member at fault.
    func testBadV2InputNamesTheMember() throws {
        func expect(_ field: String, _ message: String, _ change: (inout [String: Any]) -> Void, line: UInt = #line) {
            var doc = sampleV2()
            change(&doc)
            XCTAssertThrowsError(try Body(parsing: jsonBytes(doc)), line: line) { error in
                XCTAssertTrue("\(error)".contains(field + ": ") && "\(error)".contains(message), "expected \(field): …\(message)…, got \(error)", line: line)
            }
        }
        func figure(_ i: Int, _ edit: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { doc in
                var figures = doc["figures"] as! [[String: Any]]
                edit(&figures[i])
                doc["figures"] = figures
            }
        }
        expect("figures[3].band.low", "500 is above band.high 499", figure(3) { $0["band"] = ["low": 500, "high": 499] })
        expect("figures[3].band.low", "write an exact figure as \"count\"", figure(3) { $0["band"] = ["low": 7, "high": 7] })
        expect("figures[2].share_bp", "over 100 %", figure(2) { $0["share_bp"] = 10_001 })
        expect("figures[0].period.end", "is before", figure(0) { $0["period"] = ["start": "2023-06-30", "end": "2023-01-01"] })
        expect("figures[0].measure", "unknown measure 'users'", figure(0) { $0["measure"] = "users" })
        expect("figures[0].measure", "unknown measure 'accounts-affected'", figure(0) { $0["measure"] = "accounts-affected" })
        expect("figures[2].process", "unknown process 'warrant'", figure(2) { $0["process"] = "warrant" })
        expect("figures[0].requester", "unknown recipient 'police'", figure(0) { $0["requester"] = "police" })
        expect("figures[0].requester", "a country is not part of the name", figure(0) { $0["requester"] = "law-enforcement-india" })
        expect("figures[0].jurisdiction", "not an ISO 3166-1 alpha-2", figure(0) { $0["jurisdiction"] = "USA" })
        expect("figures[0].jurisdiction", "not an ISO 3166-1 alpha-2", figure(0) { $0["jurisdiction"] = "us" })
        expect("figures[0].jurisdiction", "is required", figure(0) { $0["jurisdiction"] = nil })
        expect("figures[0].period", "is required", figure(0) { $0["period"] = nil })
        expect("figures[0].band", "a figure has one value", figure(0) { $0["band"] = ["low": 1, "high": 2] })
        expect("figures[0].count", "give the figure as", figure(0) { $0["count"] = nil })
        expect("assertions[0].polarity", "unknown polarity 'always'") { $0["assertions"] = [["polarity": "always", "action": "disclose", "recipient": "courts"]] }
        expect("assertions[0].recipient", "is required") { $0["assertions"] = [["polarity": "never", "action": "disclose"]] }
        expect("assertions[0].condition", "has no condition") {
            $0["assertions"] = [["polarity": "never", "action": "disclose", "recipient": "courts", "condition": "x"]]
        }
        expect("assertions[0].jurisdiction", "leave it out for everywhere") {
            $0["assertions"] = [["polarity": "never", "action": "disclose", "recipient": "courts", "jurisdiction": "worldwide"]]
        }
        expect("recipients[0]", "unknown recipient 'meta-companies'") { $0["recipients"] = ["meta-companies"] }
        expect("published", "is required") { $0["published"] = nil }
        expect("effective_date", "must be a date") { $0["effective_date"] = "soon" }
        expect("quantities", "is not a field of this schema") { $0["quantities"] = [["unit": "bytes", "value": 0]] }
    }

    /// The date rule covers the publication date and every figure's period; a policy may take
    /// effect later than it is appended (policies are announced ahead).
    func testFuturePublicationAndPeriodsAreRefused() throws {
        let s = try XCTUnwrap(try Body(parsing: jsonBytes(sampleV2())).statement)
        let now = try XCTUnwrap(Timestamp("2024-01-01T00:00:00Z"))
        XCTAssertNoThrow(try s.checkDates(appendedAt: now))
        var doc = sampleV2()
        doc["published"] = "2024-01-03"
        doc["effective_date"] = "2024-06-01"
        let future = try XCTUnwrap(try Body(parsing: jsonBytes(doc)).statement)
        XCTAssertThrowsError(try future.checkDates(appendedAt: now)) { XCTAssertTrue("\($0)".hasPrefix("published: 2024-01-03 is in the future"), "\($0)") }
        XCTAssertNoThrow(try future.checkDates(appendedAt: try XCTUnwrap(Timestamp("2024-01-03T00:00:00Z"))))
    }

    /// A v1 statement reads through the documented mapping (docs/SCHEMA.md "Reading v1 statements").
    func testV1MapsOntoFigures() throws {
        var doc = sampleStatement()
        doc["quantities"] = [["unit": "requests-complied", "value": 2380, "recipient": "law-enforcement-india"], ["unit": "bytes", "value": 0]]
        let s = try XCTUnwrap(try Body(parsing: jsonBytes(doc)).statement)
        XCTAssertEqual(s.version, 1)
        XCTAssertEqual(s.published.description, "2019-03-14", "v1's effective_date is the publication date")
        XCTAssertEqual(s.figures.map(\.measure), [.requestsWithDataProduced, .bytesDisclosed])
        XCTAssertEqual(s.figures[0].requester, "law-enforcement-india")
        XCTAssertEqual(s.figures[0].period, s.period)
        XCTAssertNil(s.figures[0].jurisdiction)
        XCTAssertEqual(s.zeroDisclosureScopes, "governments,third-parties", "a v1 zero's stored scope is unchanged")
    }

    /// Absences as stored in zero_claims and signed in withhold notices: v2 adds jurisdiction and
    /// the first day to the v1 form, and reads back.
    func testAbsenceScopesRoundTrip() throws {
        var doc = sampleV2()
        doc["assertions"] = [["polarity": "never", "action": "disclose", "recipient": "third-parties"],
                             ["polarity": "does-not", "action": "disclose", "recipient": "governments", "jurisdiction": "DE"]]
        var figures = doc["figures"] as! [[String: Any]]
        figures[2]["share_bp"] = 0
        doc["figures"] = figures
        let s = try XCTUnwrap(try Body(parsing: jsonBytes(doc)).statement)
        XCTAssertEqual(s.zeroDisclosureScopes, "law-enforcement@US>2023-01-01;third-parties;governments@DE>2023-11-14")
        let back = try XCTUnwrap(s.zeroDisclosureScopes).split(separator: ";").compactMap { DisclosureScope(text: $0) }
        XCTAssertEqual(back, s.absences)
    }
}

extension StatementV2Tests {
    /// `statement check` reports every mistake at once, each at its line and column.
    func testEveryProblemWithItsLineAndColumn() throws {
        let text = """
            {
              "schema": "disclosure-statement/v2",
              "platform": "Telegram",
              "category": "government-requests",
              "figures": [
                { "measure": "requests-received", "count": 10, "period": { "start": "2024-01-01", "end": "2024-06-30" },
                  "jurisdiction": "worldwide", "requester": "governments" },
                { "measure": "users", "count": 5, "period": { "start": "2024-01-01", "end": "2024-06-30" },
                  "jurisdiction": "USA", "requester": "governments" },
                { "measure": "requests-with-data-produced", "share_bp": 12000,
                  "period": { "start": "2024-01-01", "end": "2024-06-30" }, "jurisdiction": "IN", "requester": "police" }
              ],
              "published": "2024-13-01",
              "source": { "url": "https://example.org", "retrieved_at": "2024-01-01T00:00:00Z", "sha256": "\(String(repeating: "0", count: 64))" },
              "quote": "q",
              "language": "EN"
            }
            """
        let problems = Body.problems(in: Array(text.utf8))
        XCTAssertEqual(problems.map(\.description), [
            "3:15: platform: must be 1-64 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit",
            "8:18: figures[1].measure: unknown measure 'users'; one of: requests-received, accounts-specified, devices-specified, requests-with-data-produced, accounts-disclosed, bytes-disclosed, content-removal-requests, items-removed",
            "9:23: figures[1].jurisdiction: 'USA' is not an ISO 3166-1 alpha-2 country code (such as \"US\", \"IN\", \"DE\") or \"worldwide\"",
            "10:61: figures[2].share_bp: 12000 basis points is over 100 % (10000)",
            "11:100: figures[2].requester: unknown recipient 'police'; one of: advertisers, affiliates, courts, data-brokers, governments, intelligence-agencies, law-enforcement, regulators, researchers, service-providers, the-public, third-parties",
            "13:16: published: must be a date like 2019-03-14",
            "16:15: language: must be a BCP 47 language tag such as \"en\", \"it\" or \"pt-BR\"",
        ])
        XCTAssertEqual(Body.problems(in: jsonBytes(sampleV2())), [])
        XCTAssertEqual(Body.problems(in: Array("{\"schema\": 1".utf8)).count, 1, "bad JSON: one problem")
    }
}
