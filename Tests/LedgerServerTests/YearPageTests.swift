import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerServer
import LedgerStorage
import XCTest

/// `/platforms/{p}/history/{year}`: a platform's statements published in one year, as its whole
/// history gives them (changes measured across years), 500 at a time; the platform page links
/// each year. What a static publication keeps under stable names.
final class YearPageTests: XCTestCase {
    func testYearPagesHoldTheirYearsEventsAsTheWholeHistoryGivesThem() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        func append(_ statements: [String]) throws -> [Int64] {
            try store.append(try statements.map { try PendingEntry.sign(try Body(parsing: Array($0.utf8)), origin: .generated("x"), signer: "alice", key: f.alice) },
                             logKey: f.logKey).map(\.seq)
        }
        let gov = "government-requests"
        let early = try append([ServerFixture.statement(1, platform: "acme", category: gov, date: "2019-02-01"),
                                ServerFixture.statement(2, platform: "acme", category: gov, date: "2019-09-01")])
        let later = try append([ServerFixture.statement(3, platform: "acme", category: gov, date: "2021-05-01")])[0]
        // 501 statements in 2022: two parts.
        let crowded = try append((0..<501).map { ServerFixture.statement(1000 + $0, platform: "acme", category: "advertising", date: "2022-06-30") })
        try store.close()

        try await f.app(try f.backend()).test(.router) { client in
            let platform = try await client.execute(uri: "/platforms/acme", method: .get).text
            for year in ["2019", "2021", "2022"] {
                XCTAssertTrue(platform.contains(#"<a href="/platforms/acme/history/\#(year)">\#(year)</a>"#), year)
            }
            XCTAssertFalse(platform.contains("/history/2020"), "no year without statements")

            let y2019 = try await client.execute(uri: "/platforms/acme/history/2019", method: .get)
            XCTAssertEqual(y2019.status, .ok)
            let first = try XCTUnwrap(y2019.text.range(of: "statement number 1<")), second = try XCTUnwrap(y2019.text.range(of: "statement number 2<"))
            XCTAssertLessThan(first.lowerBound, second.lowerBound, "oldest first")
            XCTAssertFalse(y2019.text.contains("statement number 3<"), "2021's statement is on its own year's page")

            let y2021 = try await client.execute(uri: "/platforms/acme/history/2021", method: .get).text
            XCTAssertTrue(y2021.contains("statement number 3<"))
            XCTAssertTrue(y2021.contains(#"since <a href="/entries/\#(early[1])">seq \#(early[1])</a>"#),
                          "seq \(later)'s changes are measured against 2019's claim, as in the whole history")

            let part1 = try await client.execute(uri: "/platforms/acme/history/2022", method: .get).text
            XCTAssertTrue(part1.contains("part 1 of 2"))
            XCTAssertTrue(part1.contains(#"<a href="/platforms/acme/history/2022?part=2">later →</a>"#))
            XCTAssertEqual(part1.components(separatedBy: "statement number 1").count - 1, 500)
            let part2 = try await client.execute(uri: "/platforms/acme/history/2022?part=2", method: .get).text
            XCTAssertTrue(part2.contains("statement number 1500<") && part2.contains(#"href="/entries/\#(crowded[500])""#), "the newest of the year")
            XCTAssertEqual(part2.components(separatedBy: "statement number 1").count - 1, 1)

            for (uri, status) in [("/platforms/acme/history/2020", HTTPResponse.Status.notFound), ("/platforms/acme/history/2022?part=3", .notFound),
                                  ("/platforms/nobody/history/2019", .notFound), ("/platforms/acme/history/20x9", .badRequest),
                                  ("/platforms/acme/history/12019", .badRequest), ("/platforms/acme/history/2019?part=0", .badRequest)] {
                let response = try await client.execute(uri: uri, method: .get)
                XCTAssertEqual(response.status, status, uri)
            }
        }
    }
}
