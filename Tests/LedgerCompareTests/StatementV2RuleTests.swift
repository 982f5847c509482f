import Foundation
import LedgerCompare
import LedgerCore
import XCTest

/// The comparison rules on v2 statements, one hand-made ledger per rule, where the answer is known
/// (docs/SCHEMA.md, "Reading compare and history").
final class StatementV2RuleTests: XCTestCase {
    let gov = "government-requests", sharing = "third-party-sharing"

    /// A v2 statement; `figures` and `assertions` are JSON objects as written in a file.
    static func v2(_ platform: String, _ category: String, published: String, figures: [String] = [], assertions: [String] = [],
                   products: [String] = []) throws -> Statement {
        var members = [
            #""schema":"disclosure-statement/v2""#, #""platform":"\#(platform)""#, #""category":"\#(category)""#,
            #""published":"\#(published)""#, #""quote":"q""#, #""language":"en""#,
            #""source":{"url":"https://example.org/\#(published)","retrieved_at":"2026-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"}"#,
        ]
        if !figures.isEmpty { members.append("\"figures\":[\(figures.joined(separator: ","))]") }
        if !assertions.isEmpty { members.append("\"assertions\":[\(assertions.joined(separator: ","))]") }
        if !products.isEmpty { members.append("\"products\":[\(products.map { "\"\($0)\"" }.joined(separator: ","))]") }
        return try XCTUnwrap(try Body(parsing: Array("{\(members.joined(separator: ","))}".utf8)).statement)
    }

    /// A figure: `measure`, value member (`"count":5`, `"share_bp":7650`, `"band":{…}`), period, jurisdiction, requester.
    static func figure(_ measure: String, _ value: String, _ start: String, _ end: String, _ jurisdiction: String,
                       requester: String = "law-enforcement", process: String? = nil) -> String {
        #"{"measure":"\#(measure)",\#(value),"period":{"start":"\#(start)","end":"\#(end)"},"jurisdiction":"\#(jurisdiction)","requester":"\#(requester)""#
            + (process.map { #","process":"\#($0)""# } ?? "") + "}"
    }

    static let never = #"{"polarity":"never","action":"disclose","recipient":"third-parties","data_kinds":["any-user-data"]}"#

    func marks(_ claims: [Claim], asOf: String = "2026-01-01") -> [String: [String]] {
        let platforms = Array(Set(claims.map(\.platform))).sorted()
        var inForce: [String: [String: [Claim]]] = [:]
        for c in claims { inForce[c.platform, default: [:]][c.category, default: []].append(c) }
        var zeros: [String: [DisclosureFacts]] = [:]
        for c in claims where DisclosureFacts(c).isZeroClaim { zeros[c.platform, default: []].append(DisclosureFacts(c)) }
        let comparison = Comparison(asOf: asOf, platforms: platforms, categories: [sharing, gov], inForce: inForce, zeroClaims: zeros)
        var out: [String: [String]] = [:]
        for cell in comparison.cells where cell.claim != nil { out["\(cell.platform)/\(cell.category)"] = cell.marks.map(\.text) }
        return out
    }

    /// "Never disclosed to third parties" meets a figure of requests with data produced to law
    /// enforcement in India: within third parties, in a jurisdiction the claim covers (all).
    func testContradictionThroughTheHierarchyAndAcrossJurisdictions() throws {
        let zero = Fixture.claim(1, try Self.v2("tg", sharing, published: "2019-03-14", assertions: [Self.never]))
        let india = Fixture.claim(2, try Self.v2("tg", gov, published: "2024-10-01",
                                                 figures: [Self.figure("requests-with-data-produced", #""count":2380"#, "2024-07-01", "2024-09-30", "IN")]))
        XCTAssertEqual(marks([zero, india]), ["tg/third-party-sharing": ["contradicted-by:2"], "tg/government-requests": ["contradicts:1"]])
    }

    /// No mark where the recipients, jurisdictions or periods do not meet.
    func testNoContradictionWherePeriodsRecipientsOrJurisdictionsDoNotMeet() throws {
        let figureIN = Self.figure("requests-with-data-produced", #""count":5"#, "2021-01-01", "2021-06-30", "IN")
        // Advertisers are not law enforcement.
        let ads = Fixture.claim(1, try Self.v2("a", sharing, published: "2019-01-01",
                                               assertions: [#"{"polarity":"never","action":"disclose","recipient":"advertisers"}"#]))
        XCTAssertEqual(marks([ads, Fixture.claim(2, try Self.v2("a", gov, published: "2021-08-01", figures: [figureIN]))]),
                       ["a/third-party-sharing": [], "a/government-requests": []])
        // "Does not disclose to governments in Germany" says nothing of India.
        let de = Fixture.claim(3, try Self.v2("b", sharing, published: "2019-01-01",
                                              assertions: [#"{"polarity":"does-not","action":"disclose","recipient":"governments","jurisdiction":"DE"}"#]))
        XCTAssertEqual(marks([de, Fixture.claim(4, try Self.v2("b", gov, published: "2021-08-01", figures: [figureIN]))])["b/third-party-sharing"], [])
        let figureDE = Self.figure("accounts-disclosed", #""count":1"#, "2021-01-01", "2021-06-30", "DE", requester: "courts")
        XCTAssertEqual(marks([de, Fixture.claim(4, try Self.v2("b", gov, published: "2021-08-01", figures: [figureDE]))])["b/third-party-sharing"],
                       ["contradicted-by:4"])
        // "Does not" speaks from its publication on: a figure for an earlier period does not meet it.
        let now = Fixture.claim(5, try Self.v2("c", sharing, published: "2022-01-01",
                                               assertions: [#"{"polarity":"does-not","action":"disclose","recipient":"governments"}"#]))
        XCTAssertEqual(marks([now, Fixture.claim(6, try Self.v2("c", gov, published: "2022-03-01", figures: [figureIN]))])["c/third-party-sharing"], [])
        // A zero over H1 2019 is not contradicted by a figure for H2 2018, but is by one for 2020.
        let zeroH1 = Fixture.claim(7, try Self.v2("d", sharing, published: "2019-08-01",
                                                  figures: [Self.figure("bytes-disclosed", #""count":0"#, "2019-01-01", "2019-06-30", "worldwide", requester: "governments")]))
        let before = Fixture.claim(8, try Self.v2("d", gov, published: "2020-02-01",
                                                  figures: [Self.figure("requests-with-data-produced", #""count":3"#, "2018-07-01", "2018-12-31", "US")]))
        XCTAssertEqual(marks([zeroH1, before])["d/third-party-sharing"], [])
        let later = Fixture.claim(9, try Self.v2("d", gov, published: "2021-02-01",
                                                 figures: [Self.figure("requests-with-data-produced", #""share_bp":120"#, "2020-07-01", "2020-12-31", "US")]))
        XCTAssertEqual(marks([zeroH1, later])["d/third-party-sharing"], ["contradicted-by:9"])
        // A band that may be zero is no figure of data produced.
        let band = Fixture.claim(10, try Self.v2("d", gov, published: "2021-02-01",
                                                 figures: [Self.figure("accounts-disclosed", #""band":{"low":0,"high":499}"#, "2020-07-01", "2020-12-31", "US", requester: "intelligence-agencies")]))
        XCTAssertEqual(marks([zeroH1, band])["d/third-party-sharing"], [])
    }

    /// A claim about one kind of data is contradicted only by figures of that kind: "never
    /// shared content" is not contradicted by timestamps produced, nor by a figure that does not
    /// say which data it counts.
    func testDataKindsMustMeet() throws {
        let content = Fixture.claim(1, try Self.v2("s", sharing, published: "2018-05-25",
                                                   assertions: [#"{"polarity":"never","action":"disclose","recipient":"third-parties","data_kinds":["content"]}"#]))
        func produced(_ seq: Int64, _ dataKind: String?) throws -> Claim {
            let kind = dataKind.map { #","data_kind":"\#($0)""# } ?? ""
            return Fixture.claim(seq, try Self.v2("s", gov, published: "2021-11-02", figures: [
                #"{"measure":"accounts-disclosed","count":1,"period":{"start":"2021-01-01","end":"2021-06-30"},"jurisdiction":"US","requester":"courts"\#(kind)}"#,
            ]))
        }
        XCTAssertEqual(marks([content, try produced(2, "metadata")])["s/third-party-sharing"], [])
        XCTAssertEqual(marks([content, try produced(3, nil)])["s/third-party-sharing"], [])
        XCTAssertEqual(marks([content, try produced(4, "content")])["s/third-party-sharing"], ["contradicted-by:4"])
        // "Any user data" is every kind.
        let any = Fixture.claim(5, try Self.v2("s", sharing, published: "2018-05-25", assertions: [Self.never]))
        XCTAssertEqual(marks([any, try produced(2, "metadata")])["s/third-party-sharing"], ["contradicted-by:2"])
        XCTAssertEqual(content.statement?.zeroDisclosureScopes, "third-parties#content", "stored, and signed when withheld")
    }

    /// `--as-of` goes by publication: H1 2021 figures published in November 2021 are not in force
    /// on 2021-07-01.
    func testAsOfGoesByPublication() throws {
        let report = Fixture.claim(1, try Self.v2("fb", gov, published: "2021-11-16",
                                                  figures: [Self.figure("requests-received", #""count":214777"#, "2021-01-01", "2021-06-30", "worldwide", requester: "governments")]))
        XCTAssertNil(marks([report], asOf: "2021-07-01")["fb/government-requests"])
        XCTAssertEqual(marks([report], asOf: "2021-12-01")["fb/government-requests"], [])
    }

    /// A company-wide report naming WhatsApp among its products contradicts WhatsApp's own claim.
    func testMultiProductScope() throws {
        let wa = Fixture.claim(1, try Self.v2("wa", sharing, published: "2016-04-05", assertions: [Self.never]))
        let meta = Fixture.claim(2, try Self.v2("fb", gov, published: "2021-11-16", figures: [
            Self.figure("requests-with-data-produced", #""share_bp":7650"#, "2021-01-01", "2021-06-30", "US"),
        ], products: ["facebook", "instagram", "wa"]))
        XCTAssertEqual(marks([wa, meta])["wa/third-party-sharing"], ["contradicted-by:2"])
        // Without the product named, another platform's figures are not WhatsApp's.
        let fbOnly = Fixture.claim(3, try Self.v2("fb", gov, published: "2021-11-16", figures: [
            Self.figure("requests-with-data-produced", #""share_bp":7650"#, "2021-01-01", "2021-06-30", "US"),
        ]))
        XCTAssertEqual(marks([wa, fbOnly])["wa/third-party-sharing"], [])
    }

    /// A v1 zero and a v2 figure, side by side.
    func testV1AndV2SideBySide() throws {
        let v1 = Fixture.claim(1, try Fixture.statement("tg", sharing, "2019-03-14", [Fixture.Q(unit: "bytes", value: 0)],
                                                        recipients: ["third-parties", "governments"]))
        let v2 = Fixture.claim(2, try Self.v2("tg", gov, published: "2024-10-01",
                                              figures: [Self.figure("requests-with-data-produced", #""count":14"#, "2024-01-01", "2024-09-30", "US")]))
        XCTAssertEqual(marks([v1, v2]), ["tg/third-party-sharing": ["contradicted-by:2"], "tg/government-requests": ["contradicts:1"]])
    }

    /// Deltas only between comparable figures; shares move in points, bands show both ranges.
    func testBandsSharesAndNotComparableDeltas() throws {
        func report(_ seq: Int64, _ published: String, _ start: String, _ end: String, share: Int, band: String, us: Int) throws -> Claim {
            Fixture.claim(seq, try Self.v2("fb", gov, published: published, figures: [
                Self.figure("requests-with-data-produced", "\"share_bp\":\(share)", start, end, "US"),
                Self.figure("accounts-specified", "\"band\":\(band)", start, end, "US", requester: "intelligence-agencies", process: "fisa"),
                Self.figure("requests-received", "\"count\":\(us)", start, end, "US"),
            ]))
        }
        let h1 = try report(1, "2021-11-16", "2021-01-01", "2021-06-30", share: 7650, band: #"{"low":0,"high":499}"#, us: 1000)
        let h2 = try report(2, "2022-05-17", "2021-07-01", "2021-12-31", share: 8000, band: #"{"low":500,"high":999}"#, us: 1250)
        let year = try report(3, "2023-05-01", "2022-01-01", "2022-12-31", share: 8000, band: #"{"low":500,"high":999}"#, us: 3000)
        let india = Fixture.claim(4, try Self.v2("fb", gov, published: "2023-11-01", figures: [
            Self.figure("requests-received", #""count":3000"#, "2023-01-01", "2023-06-30", "IN"),
        ]))
        let events = History(platform: "fb", category: nil, claims: [h1, h2, year, india]).events
        let second = try XCTUnwrap(events[1].changes)
        XCTAssertEqual(second.figureDeltas.map(\.text), [
            "accounts-specified@intelligence-agencies in US by fisa: 0–499 -> 500–999",
            "requests-received@law-enforcement in US: 1,000 -> 1,250, up 250",
            "requests-with-data-produced@law-enforcement in US: 76.5% -> 80%, up 3.5 points",
        ])
        XCTAssertEqual(second.notComparable, [])
        let third = try XCTUnwrap(events[2].changes)
        XCTAssertEqual(third.figureDeltas, [], "a year is not compared with a half-year")
        XCTAssertEqual(Set(third.notComparable.map(\.reason)), [.periodsDiffer])
        let fourth = try XCTUnwrap(events[3].changes)
        XCTAssertEqual(fourth.figureDeltas, [], "India is not the United States")
        XCTAssertTrue(fourth.notComparable.contains { $0.key.description == "requests-received@law-enforcement in IN" && $0.reason == .onlyAfter })
        // Every format parses back with the values as written.
        let history = History(platform: "fb", category: nil, claims: [h1, h2])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.render(.json).utf8)) as? [String: Any])
        let figures = try XCTUnwrap((((json["events"] as? [[String: Any]])?.first)?["claim"] as? [String: Any])?["figures"] as? [[String: Any]])
        XCTAssertEqual(figures.first { $0["measure"] as? String == "requests-with-data-produced" }?["share_bp"] as? Int, 7650)
        XCTAssertEqual((figures.first { $0["measure"] as? String == "accounts-specified" }?["band"] as? [String: Int])?["high"], 499)
        let table = history.render(.table)
        XCTAssertTrue(table.contains("76.5%") && table.contains("0–499") && table.contains("up 3.5 points"), table)
        let csv = history.render(.csv)
        XCTAssertTrue(csv.contains("requests-with-data-produced=7650bp@law-enforcement in US [2021-01-01..2021-06-30]"), csv)
        XCTAssertTrue(history.render(.markdown).contains("76.5%"))
    }
}

extension StatementV2RuleTests {
    /// History names what changed in words: a widened condition, a withdrawn claim, a new one.
    func testChangesInWords() throws {
        let first = Fixture.claim(1, try Self.v2("tg", gov, published: "2018-08-28", assertions: [
            #"{"polarity":"may","action":"disclose","recipient":"law-enforcement","data_kinds":["ip-address"],"condition":"a court confirms a terror suspect"}"#,
            #"{"polarity":"never","action":"disclose","recipient":"law-enforcement"}"#,
        ]))
        let second = Fixture.claim(2, try Self.v2("tg", gov, published: "2024-09-23", assertions: [
            #"{"polarity":"may","action":"disclose","recipient":"governments","data_kinds":["ip-address","phone-number"],"condition":"a valid order names a criminal suspect"}"#,
            #"{"polarity":"does-not","action":"sell","recipient":"third-parties"}"#,
        ]))
        let report = Fixture.claim(3, try Self.v2("tg", gov, published: "2024-10-02",
                                                  figures: [Self.figure("requests-with-data-produced", #""count":2380"#, "2024-07-01", "2024-09-30", "IN")]))
        let events = History(platform: "tg", category: nil, claims: [first, second, report]).events
        let words = try XCTUnwrap(events[1].changes?.words)
        XCTAssertEqual(words, [
            "changed: may disclose ip-address, phone-number to governments if a valid order names a criminal suspect (recipient widened (now governments; no longer law-enforcement); data widened (now phone-number); condition changed from \"a court confirms a terror suspect\" to \"a valid order names a criminal suspect\")",
            "new: does not sell user data to third-parties",
            "withdrawn: has never disclosed user data to law-enforcement",
        ])
        XCTAssertEqual(events[2].changes?.words, [], "a report of figures withdraws no policy")
        XCTAssertTrue(History(platform: "tg", category: nil, claims: [first, second]).render(.csv).contains("withdrawn: has never disclosed"))
    }
}
