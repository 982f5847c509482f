import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerServer
import LedgerStorage
import XCTest

/// Pages and feeds under hostile text and hostile requests.
final class HardeningPageTests: XCTestCase {
    /// U+FFFE and U+FFFF are legal in JSON but not in XML; a bidi override (U+202E) would
    /// reorder what a reader sees. The feed stays well formed and the override is shown as a code.
    func testFeedsAndPagesStayWellFormedWithNonXMLAndBidiText() async throws {
        let f = try ServerFixture(statements: 0)
        let hostile = ServerFixture.statement(1, platform: "signal")
            .replacingOccurrences(of: "statement number 1", with: #"bad \uFFFE\uFFFF chars; \u202Etxet desrever"#)
        let store = try LedgerStore(path: f.path)
        try store.append([try PendingEntry.sign(try Body(parsing: Array(hostile.utf8)), origin: .generated("x"), signer: "alice", key: f.alice)], logKey: f.logKey)
        try store.close()
        let backend = try f.backend()
        backend.publicURL.setIfUnset("https://ledger.example.org")
        try await f.app(backend).test(.router) { client in
            let feed = try await client.execute(uri: "/feeds/signal.atom", method: .get)
            XCTAssertEqual(feed.status, .ok)
            XCTAssertNoThrow(try XMLDocument(data: Data(feed.text.utf8)), feed.text)
            XCTAssertFalse(feed.text.unicodeScalars.contains { $0.value == 0xFFFE || $0.value == 0xFFFF || $0.value == 0x202E })
            XCTAssertTrue(feed.text.contains("[U+202E]txet desrever"), feed.text)
            for page in ["/", "/platforms/signal", "/entries/3"] {
                let html = try await client.execute(uri: page, method: .get)
                XCTAssertEqual(html.status, .ok, page)
                XCTAssertFalse(html.text.unicodeScalars.contains { $0.value == 0x202E }, "\(page) passes a bidi override through")
            }
        }
    }

    /// Absolute links come from configuration (`--public-url`); pages and every answer carry
    /// the security headers. (HardeningServeTests sends a hostile Host header to the real server.)
    func testFeedLinksComeFromThePublicURLAndPagesCarrySecurityHeaders() async throws {
        let f = try ServerFixture(statements: 2)
        let backend = try f.backend()
        backend.publicURL.setIfUnset("https://ledger.example.org/")
        try await f.app(backend).test(.router) { client in
            let feed = try await client.execute(uri: "/feeds/telegram.atom", method: .get)
            XCTAssertTrue(feed.text.contains("<id>https://ledger.example.org/entries/3</id>"), feed.text)
            XCTAssertEqual(feed.headers[.xContentTypeOptions], "nosniff")
            let page = try await client.execute(uri: "/entries/3", method: .get)
            XCTAssertTrue(page.text.contains("https://ledger.example.org"), "the check-it-yourself commands use the public URL")
            XCTAssertEqual(page.headers[.xContentTypeOptions], "nosniff")
            XCTAssertEqual(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'"), true)
            let api = try await client.execute(uri: "/v1/checkpoint", method: .get)
            XCTAssertEqual(api.headers[.xContentTypeOptions], "nosniff")
            try await client.execute(uri: "/platforms/nobody", method: .get) {
                XCTAssertEqual($0.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'"), true, "error pages too")
            }
        }
    }

    /// Answers that grow with a platform's history are bounded: a history answer by the
    /// backend's limit (with `since` to narrow it), the platform page and the feed by their page.
    func testPlatformAnswersArePaged() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        let bodies = try (0..<250).map { i in
            try Body(parsing: Array(ServerFixture.statement(i, date: "20\(10 + i % 10)-01-01").utf8))
        }
        try store.append(try bodies.map { try PendingEntry.sign($0, origin: .generated("bulk"), signer: "alice", key: f.alice) }, logKey: f.logKey)
        try store.close()
        // A history answer reads at most the backend's limit of statements; past it, a refusal
        // that says how to narrow it, and the entries stay readable in pages.
        try await f.app(try f.backend(historyLimit: 100)).test(.router) { client in
            try await client.execute(uri: "/v1/platforms/telegram/history", method: .get) {
                try $0.assertError(.badRequest, "bad_range")
                XCTAssertTrue($0.text.contains("this history holds 250 statements, more than the 100 one answer holds"), $0.text)
            }
            var seen = 0
            var from: Int64? = 0
            while let start = from {
                let page = try await client.execute(uri: "/v1/entries?platform=telegram&limit=100&from=\(start)", method: .get)
                seen += try page.json["entries"]?.array?.count ?? 0
                from = try page.json["next"]?.int
            }
            XCTAssertEqual(seen, 250)
            // Past the limit, the platform page is the plain list, still paged.
            let listed = try await client.execute(uri: "/platforms/telegram", method: .get)
            XCTAssertEqual(listed.text.components(separatedBy: "<tr><td>").count - 1, 100)
        }
        try await f.app(try f.backend()).test(.router) { client in
            let all = try await client.execute(uri: "/v1/platforms/telegram/history", method: .get)
            XCTAssertEqual(try all.json["events"]?.array?.count, 250)
            let recent = try await client.execute(uri: "/v1/platforms/telegram/history?since=2019-01-01", method: .get)
            XCTAssertEqual(try recent.json["events"]?.array?.count, 25, "since narrows the answer to 2019's events")
            XCTAssertEqual(try recent.json["since"], .string("2019-01-01"))
            try await client.execute(uri: "/v1/platforms/telegram/history?since=yesterday", method: .get) {
                try $0.assertError(.badRequest, "bad_parameter")
            }
            // The same history a page at a time, forward from the oldest and back from the newest:
            // the pages hold the whole answer's events, in order.
            let whole = try all.json["events"]?.array ?? []
            for (start, name) in [("limit=60", "after"), ("latest=1&limit=60", "before")] {
                var pages: [[JSONValue]] = []
                var query = start
                while pages.count < 10 {
                    let page = try await client.execute(uri: "/v1/platforms/telegram/history?\(query)", method: .get)
                    pages.append(try page.json["events"]?.array ?? [])
                    guard let next = try page.json["next"]?[name]?.string else { break }
                    query = "limit=60&\(name)=\(next)"
                }
                XCTAssertEqual(pages.map(\.count), [60, 60, 60, 60, 10], "the last page read holds the rest")
                XCTAssertEqual((name == "after" ? pages : pages.reversed()).flatMap { $0 }, whole)
            }
            for query in ["limit=0", "limit=1001", "after=2019-01-01.3&before=2019-01-01.9", "after=soon"] {
                try await client.execute(uri: "/v1/platforms/telegram/history?\(query)", method: .get) {
                    try $0.assertError(.badRequest, "bad_parameter")
                }
            }

            let first = try await client.execute(uri: "/platforms/telegram", method: .get)
            // Within the history limit, the page is the platform's timeline, 100 claims at a time.
            XCTAssertEqual(first.text.components(separatedBy: "<li><p><strong>").count - 1, 100)
            XCTAssertTrue(first.text.contains("250 statements"), "the count is of all")
            guard let range = first.text.range(of: #"/platforms/telegram\?before=[0-9.-]+"#, options: .regularExpression) else {
                return XCTFail("no link to older statements")
            }
            let older = try await client.execute(uri: String(first.text[range]), method: .get)
            XCTAssertEqual(older.status, .ok)
            XCTAssertEqual(older.text.components(separatedBy: "<li><p><strong>").count - 1, 100)

            let feed = try await client.execute(uri: "/feeds/telegram.atom", method: .get)
            XCTAssertEqual(feed.text.components(separatedBy: "<entry>").count - 1, 100)
            XCTAssertTrue(feed.text.contains("/entries/252</id>"), "the newest first")
        }
    }

    /// A checkpoint row claiming Int64.max entries (a file edited by hand) once overflowed the
    /// tile arithmetic and stopped the service on the next tile request: now each read is refused
    /// and the service keeps answering.
    func testAForgedHugeCheckpointSizeDoesNotStopTheService() async throws {
        let f = try ServerFixture(statements: 3)
        let sql = "INSERT INTO checkpoints(size, note) SELECT 9223372036854775807, note FROM checkpoints WHERE size = 0"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [f.path, sql]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        try await f.app(try f.backend()).test(.router) { client in
            for uri in ["/tile/0/x036/x028/x797/x018/x963/967", "/tile/entries/x036/x028/x797/x018/x963/967", "/v1/receipt/0",
                        "/v1/proof/inclusion?seq=0", "/checkpoint"] {
                let r = try await client.execute(uri: uri, method: .get)
                XCTAssertTrue([200, 400, 404, 500].contains(r.status.code), "\(uri): \(r.status) \(r.text)")
            }
            let health = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertTrue([200, 503].contains(health.status.code), "the service still answers")
        }
    }
}

extension HardeningPageTests {
    /// HEAD is GET without the body (same status and length); a known path asked with a method
    /// it does not take is 405 with `Allow` (RFC 9110 §15.5.6), an unknown path stays 404; a
    /// read-only service allows no POST and says so in `Allow`.
    func testHeadAndMethodNotAllowedFollowRFC9110() async throws {
        let f = try ServerFixture(statements: 2)
        try await f.app(try f.backend()).test(.router) { client in
            for path in ["/", "/v1/entries/1", "/compare", "/checkpoint"] {
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                XCTAssertEqual(head.status, .ok, path)
                XCTAssertEqual(head.body.readableBytes, 0, path)
                XCTAssertEqual(head.headers[.contentLength], String(get.body.readableBytes), path)
                XCTAssertEqual(head.headers[.contentType], get.headers[.contentType], path)
            }
            let delete = try await client.execute(uri: "/v1/entries/1", method: .delete)
            try delete.assertError(.methodNotAllowed, "method_not_allowed")
            XCTAssertEqual(delete.headers[.allow], "GET, HEAD")
            let put = try await client.execute(uri: "/v1/entries", method: .put)
            XCTAssertEqual(put.status, .methodNotAllowed)
            XCTAssertEqual(put.headers[.allow], "GET, HEAD, POST")
            let page = try await client.execute(uri: "/compare", method: .post)
            XCTAssertEqual(page.status, .methodNotAllowed)
            XCTAssertEqual(page.headers[.allow], "GET, HEAD")
            XCTAssertTrue(page.headers[.contentType]?.hasPrefix("text/html") == true, "a page answers as a page")
            let nowhere = try await client.execute(uri: "/v1/nowhere", method: .put)
            XCTAssertEqual(nowhere.status, .notFound)
            XCTAssertNil(nowhere.headers[.allow])
        }
        try await f.app(try f.backend(readOnly: true)).test(.router) { client in
            let append = try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(10))
            XCTAssertEqual(append.status, .methodNotAllowed)
            XCTAssertEqual(append.headers[.allow], "GET, HEAD")
        }
    }
}
