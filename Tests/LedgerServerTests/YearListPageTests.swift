import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
@testable import LedgerServer
import LedgerStorage
import XCTest

/// A platform past the history limit has year pages too, as plain lists (no marks or changes),
/// in the service and in a static publication, which rewrites only the years a change touches.
final class YearListPageTests: XCTestCase {
    func testYearPagesOfAPlatformPastTheHistoryLimitAreListsAStaticSiteKeeps() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        func append(_ i: Int, _ date: String) throws -> Int64 {
            try store.append([try PendingEntry.sign(try Body(parsing: Array(ServerFixture.statement(i, platform: "acme", date: date).utf8)),
                                                    origin: .generated("x"), signer: "alice", key: f.alice)], logKey: f.logKey)[0].seq
        }
        let early = [try append(1, "2019-09-01"), try append(2, "2019-02-01")]
        let later = try append(3, "2021-05-01")

        // Within a limit of 2 statements the platform would get a timeline; it has 3.
        let pages = SitePages(store: store, origin: "test", base: "https://static.example.org", historyLimit: 2, hashCache: nil)
        var files: [String: String] = [:]
        /// The paths rendered (the publisher then writes those whose bytes changed).
        func publish(previous: Int64) throws -> Set<String> {
            var rendered: Set<String> = []
            _ = try StaticSite(pages: pages).publish(size: try store.size(), previous: previous, withheld: [], asOf: CalendarDate("2026-01-01")!) { path, text in
                rendered.insert(path)
                defer { files[path] = text }
                return files[path] != text
            }
            return rendered
        }
        _ = try publish(previous: 0)
        let platform = try XCTUnwrap(files["platforms/acme.html"])
        XCTAssertTrue(platform.contains(#"<a href="/platforms/acme/history/2019.html">2019</a>"#), platform)
        let y2019 = try XCTUnwrap(files["platforms/acme/history/2019.html"])
        let a = try XCTUnwrap(y2019.range(of: "seq \(early[1])<")), b = try XCTUnwrap(y2019.range(of: "seq \(early[0])<"))
        XCTAssertLessThan(a.lowerBound, b.lowerBound, "oldest published first")
        XCTAssertFalse(y2019.contains("seq \(later)<"))
        XCTAssertTrue(try XCTUnwrap(files["platforms/acme/history/2021.html"]).contains("seq \(later)<"))

        let size = try store.size()
        let backfilled = try append(4, "2019-12-01")
        let rewritten = try publish(previous: size)
        XCTAssertTrue(rewritten.contains("platforms/acme/history/2019.html"))
        XCTAssertFalse(rewritten.contains("platforms/acme/history/2021.html"), "a year no change touched is not rendered")
        XCTAssertTrue(try XCTUnwrap(files["platforms/acme/history/2019.html"]).contains("seq \(backfilled)<"))
        try store.close()

        try await f.app(try f.backend(historyLimit: 2)).test(.router) { client in
            let page = try await client.execute(uri: "/platforms/acme/history/2019", method: .get)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(page.text.contains("statement number 4<") && page.text.contains("<table>"), "the plain list")
            let none = try await client.execute(uri: "/platforms/acme/history/2019?part=2", method: .get)
            XCTAssertEqual(none.status, .notFound)
        }
    }
}
