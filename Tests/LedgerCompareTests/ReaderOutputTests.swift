import Foundation
import LedgerCompare
import LedgerCore
import LedgerTestSupport
import XCTest

/// What a reader cites and reads: every output carries the quote and the source, and numbers
/// in tables have thousands separators (CSV and JSON keep plain integers for programs).
final class ReaderOutputTests: XCTestCase {
    typealias Q = Fixture.Q

    func testGroupedNumbers() {
        XCTAssertEqual(Figure.grouped(0), "0")
        XCTAssertEqual(Figure.grouped(999), "999")
        XCTAssertEqual(Figure.grouped(2380), "2,380")
        XCTAssertEqual(Figure.grouped(271_692), "271,692")
        XCTAssertEqual(Figure.grouped(1_234_567), "1,234,567")
    }

    /// A count of one reads in the singular; every other value keeps the plural.
    func testACountOfOneIsSingular() {
        func words(_ value: Figure.Value, _ measure: Measure = .accountsDisclosed) -> String {
            Words.figure(Figure(measure: measure, value: value, period: nil, jurisdiction: "US", process: nil, requester: nil, dataKind: nil))
        }
        XCTAssertEqual(words(.count(1)), "1 account disclosed (US)")
        XCTAssertEqual(words(.count(2)), "2 accounts disclosed (US)")
        XCTAssertEqual(words(.count(0)), "0 accounts disclosed (US)")
        XCTAssertEqual(words(.band(low: 1, high: 1)), "1–1 accounts disclosed (US)")
        XCTAssertEqual(words(.count(1), .requestsWithDataProduced), "1 request with data produced (US)")
        XCTAssertEqual(words(.count(1), .contentRemovalRequests), "1 content removal request (US)")
    }

    func testEveryFormatCarriesTheQuoteAndTheSource() throws {
        let s = try Fixture.statement("telegram", "government-requests", "2024-09-30",
                                      [Q(unit: "requests-complied", value: 2380, recipient: "law-enforcement-india")],
                                      summary: "India, Q3 2024", quote: "satisfied 2380 legal requests in India")
        let history = History(platform: "telegram", category: nil, claims: [Fixture.claim(6, s)])
        let table = history.render(.table)
        XCTAssertTrue(table.contains("2,380 requests with data produced (law-enforcement-india)"), table)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.render(.json).utf8)) as? [String: Any])
        let claim = try XCTUnwrap(((json["events"] as? [[String: Any]])?.first)?["claim"] as? [String: Any])
        XCTAssertEqual(claim["quote"] as? String, "satisfied 2380 legal requests in India")
        XCTAssertEqual(claim["source_url"] as? String, "https://example.org/2024-09-30")
        XCTAssertEqual(claim["language"] as? String, "en")
        let csv = parseCSV(history.render(.csv))
        XCTAssertEqual(csv[1].suffix(3).first, "satisfied 2380 legal requests in India")
        XCTAssertTrue(csv[1].contains("requests-with-data-produced=2380@law-enforcement-india"), "CSV keeps the plain integer")
        let markdown = history.render(.markdown)
        XCTAssertTrue(markdown.contains("2,380"), markdown)
    }
}
