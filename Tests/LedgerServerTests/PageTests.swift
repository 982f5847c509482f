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

/// The HTML pages and Atom feeds: rendered on the server, no scripts, user text escaped.
final class PageTests: XCTestCase {
    /// The matrix shows live claims: an amended statement gives way to its amendment, and a
    /// retracted one leaves its cell to the claim before it.
    func testTheMatrixAppliesCorrections() async throws {
        let f = try ServerFixture(statements: 1)
        let store = try LedgerStore(path: f.path)
        func append(_ json: String) throws -> (seq: Int64, leaf: String) {
            let appended = try store.append([try PendingEntry.sign(try Body(parsing: Array(json.utf8)), origin: .generated("x"), signer: "alice", key: f.alice)], logKey: f.logKey)[0]
            return (appended.seq, appended.leafHash.hex)
        }
        func correcting(_ i: Int, _ target: (seq: Int64, leaf: String), _ kind: String, date: String) -> String {
            String(ServerFixture.statement(i, platform: "whatsapp", date: date).dropLast())
                + #","supersedes":{"seq":\#(target.seq),"leaf_hash":"\#(target.leaf)","kind":"\#(kind)"}}"#
        }
        let older = try append(ServerFixture.statement(700, platform: "whatsapp", date: "2020-01-01"))
        let claim = try append(ServerFixture.statement(701, platform: "whatsapp", date: "2021-01-01"))
        let amendment = try append(correcting(702, claim, "amendment", date: "2021-01-01"))
        try store.close()
        try await f.app(try f.backend()).test(.router) { client in
            let amended = try await client.execute(uri: "/", method: .get).text
            XCTAssertTrue(amended.contains(#"<a href="/entries/\#(amendment.seq)">seq \#(amendment.seq)</a>"#), "the amendment is the claim")
            XCTAssertFalse(amended.contains("statement number 701"), "the amended statement is not")
            XCTAssertTrue(amended.contains(#"amends <a href="/entries/\#(claim.seq)">seq \#(claim.seq)</a>"#), "the amendment says what it amends")
        }
        let reopened = try LedgerStore(path: f.path)
        _ = try reopened.append([try PendingEntry.sign(try Body(parsing: Array(correcting(703, amendment, "retraction", date: "2021-06-01").utf8)),
                                                       origin: .generated("x"), signer: "alice", key: f.alice)], logKey: f.logKey)
        try reopened.close()
        try await f.app(try f.backend()).test(.router) { client in
            let home = try await client.execute(uri: "/", method: .get).text
            // The matrix, before the list of corrections and responses (which names the retraction).
            let retracted = home.components(separatedBy: "<h2>Latest corrections and responses</h2>")[0]
            XCTAssertTrue(retracted.contains(#"<a href="/entries/\#(older.seq)">seq \#(older.seq)</a>"#), "the earlier claim is in force again")
            XCTAssertFalse(retracted.contains(#">seq \#(amendment.seq)</a>"#))
            XCTAssertFalse(retracted.contains("statement number 703"), "a retraction is no claim")
            XCTAssertTrue(home.contains(#"alice <strong>retracted</strong> <a href="/entries/\#(amendment.seq)">seq \#(amendment.seq)</a> (whatsapp, "#), home)
        }
    }

    func testPagesRenderTheLedger() async throws {
        let f = try ServerFixture(statements: 3)
        // A statement whose text tries to inject markup.
        let hostile = ServerFixture.statement(9, platform: "signal", category: "advertising", date: "2021-01-01")
            .replacingOccurrences(of: "statement number 9", with: "<script>alert(1)</script> & \\\"quotes\\\"")
        let store = try LedgerStore(path: f.path)
        try store.append([try PendingEntry.sign(try Body(parsing: Array(hostile.utf8)), origin: .generated("x"), signer: "alice", key: f.alice)], logKey: f.logKey)
        try store.close()
        try await f.app(try f.backend()).test(.router) { client in
            let index = try await client.execute(uri: "/", method: .get)
            XCTAssertEqual(index.status, .ok)
            XCTAssertEqual(index.headers[.contentType], "text/html; charset=utf-8")
            XCTAssertTrue(index.text.contains(#"<a href="/platforms/telegram">telegram</a>"#))
            XCTAssertTrue(index.text.contains(#"<a href="/entries/5">seq 5</a>"#), "the matrix cell links its entry")
            XCTAssertFalse(index.text.lowercased().contains("<script"), "no scripts, and statement text is escaped")
            XCTAssertTrue(index.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"))

            let compare = try await client.execute(uri: "/compare?as_of=2020-01-01", method: .get)
            XCTAssertEqual(compare.status, .ok)
            XCTAssertFalse(compare.text.contains("&lt;script&gt;"), "the 2021 statement is not in force in 2020")
            try await client.execute(uri: "/compare?as_of=yesterday", method: .get) {
                XCTAssertEqual($0.status, .badRequest)
                XCTAssertEqual($0.headers[.contentType], "text/html; charset=utf-8")
            }

            let platform = try await client.execute(uri: "/platforms/telegram", method: .get)
            XCTAssertTrue(platform.text.contains(#"<a href="/entries/3">seq 3</a>"#))
            XCTAssertTrue(platform.text.contains(#"<a href="/entries/5">seq 5</a>"#))
            try await client.execute(uri: "/platforms/nobody", method: .get) { XCTAssertEqual($0.status, .notFound) }

            let entry = try await client.execute(uri: "/entries/3", method: .get)
            XCTAssertEqual(entry.status, .ok)
            for part in ["statement number 0", "https://example.org/report/0", "alice", "BEGIN PUBLIC KEY", "Inclusion proof",
                         "openssl pkeyutl -verify", "/v1/entries/3/body", MerkleHash.leaf(try LedgerStore(path: f.path, readonly: true).entry(seq: 3).leaf).hex] {
                XCTAssertTrue(entry.text.contains(part), "entry page lacks \(part)")
            }
            try await client.execute(uri: "/entries/77", method: .get) { XCTAssertEqual($0.status, .notFound) }

            let feed = try await client.execute(uri: "/feeds/telegram.atom", method: .get)
            XCTAssertEqual(feed.headers[.contentType], "application/atom+xml; charset=utf-8")
            XCTAssertTrue(feed.text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"))
            XCTAssertEqual(feed.text.components(separatedBy: "<entry>").count - 1, 2)
            XCTAssertTrue(feed.text.contains("<id>http://127.0.0.1/entries/5</id>"), feed.text)
            let xml = try XMLDocument(data: Data(feed.text.utf8))
            XCTAssertEqual(try xml.nodes(forXPath: "//*[local-name()='entry']").count, 2)
            let hostileFeed = try await client.execute(uri: "/feeds/signal.atom", method: .get)
            XCTAssertNoThrow(try XMLDocument(data: Data(hostileFeed.text.utf8)), "escaped text keeps the feed well formed")
            try await client.execute(uri: "/feeds/telegram.rss", method: .get) { XCTAssertEqual($0.status, .notFound) }
            try await client.execute(uri: "/feeds/nobody.atom", method: .get) { XCTAssertEqual($0.status, .notFound) }
        }
    }
}
