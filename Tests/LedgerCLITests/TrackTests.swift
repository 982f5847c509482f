import Foundation
import XCTest

/// `ledger track run` against a real web server on 127.0.0.1 (`Interop/page_server.py`) that
/// serves what a round meets in the wild: a policy that changes between rounds, redirects, 404,
/// 500, a server that never answers, a 50 MB page, Latin-1 and UTF-16 pages, a PDF.
final class TrackTests: XCTestCase {
    func startServer(_ s: Sandbox) throws -> String {
        "http://127.0.0.1:\(try s.startPythonServer("page_server.py", [s.dir.path], test: self))"
    }

    static let policy = """
        <html><head><script>track()</script></head><body><nav>Home · Deutsch</nav><main><h1>Privacy Policy</h1>
        <p>We may disclose your IP address and phone number to the relevant authorities. So far, this has never happened.</p>
        </main><footer>© Example</footer></body></html>
        """

    func testARoundArchivesChangesOnlyAndReportsEveryFailure() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("policy.html", Self.policy)
        let base = try startServer(s)
        let pages: [(String, String)] = [("policy", "privacy-policy"), ("moved", "privacy-policy"), ("loop", "faq"), ("missing", "faq"),
                                         ("broken", "faq"), ("hang", "faq"), ("huge", "faq"), ("latin1", "terms"), ("utf16", "terms"), ("pdf", "faq")]
        for (path, type) in pages { try s.ok("track", "add", "\(base)/\(path)", "--platform", "example", "--type", type) }
        XCTAssertEqual(try s.ok("track", "list").split(separator: "\n").count, pages.count + 1)
        func round() throws -> (status: Int32, lines: [String: String]) {
            let r = try s.ledger("track", "run", "--key", "keys/alice.key", "--timeout", "2")
            var lines: [String: String] = [:]
            for line in r.stdout.split(separator: "\n") {
                let parts = line.components(separatedBy: ": ")
                lines[String(parts[0].split(separator: "/").last ?? "")] = parts.dropFirst().joined(separator: ": ")
            }
            return (r.status, lines)
        }

        let first = try round()
        XCTAssertEqual(first.status, 1, "some pages failed")
        XCTAssertTrue(first.lines["policy"]?.hasPrefix("first version archived as seq") ?? false, "\(first.lines)")
        XCTAssertTrue(first.lines["moved"]?.hasPrefix("first version archived as seq") ?? false, "a redirect is followed: \(first.lines)")
        XCTAssertEqual(first.lines["loop"], "failed: more than 5 redirects; nothing archived")
        XCTAssertEqual(first.lines["missing"], "failed: the server answered HTTP 404; nothing archived")
        XCTAssertEqual(first.lines["broken"], "failed: the server answered HTTP 500; nothing archived")
        XCTAssertEqual(first.lines["hang"], "failed: no answer within 2 s; nothing archived")
        XCTAssertTrue(first.lines["huge"]?.hasPrefix("failed: the page is larger than 3145728 bytes (3 MiB)") ?? false, "\(first.lines)")
        XCTAssertEqual(first.lines["pdf"], "failed: the page is application/pdf, not text/html or text/plain; nothing archived")
        for charset in ["latin1", "utf16"] {
            let seq = try XCTUnwrap(first.lines[charset]?.components(separatedBy: "seq ").last, "\(first.lines)")
            XCTAssertEqual(try s.ok("source", "show", seq, "--text"), "Données personnelles: nous ne communiquons vos données qu'aux autorités judiciaires.\n")
        }
        let archived = try s.ok("source", "list").split(separator: "\n").count - 1
        XCTAssertEqual(archived, 4, "policy, moved, latin1, utf16")

        // Nothing changed: nothing appended.
        let before = try s.ok("export")
        let second = try round()
        XCTAssertTrue(second.lines["policy"]?.hasPrefix("unchanged (seq ") ?? false, "\(second.lines)")
        XCTAssertEqual(try s.ok("export"), before)

        // The policy changes: one new version, and the diff names the sentence.
        try s.write("policy.html", Self.policy.replacingOccurrences(of: " So far, this has never happened.", with: ""))
        let third = try round()
        let changed = try XCTUnwrap(third.lines["policy"])
        XCTAssertTrue(changed.hasPrefix("changed: archived as seq "), changed)
        XCTAssertTrue(changed.contains("6 words removed and 0 added since seq"), changed)
        let diffArgs = try XCTUnwrap(changed.components(separatedBy: "(ledger source diff ").last?.dropLast()).split(separator: " ").map(String.init)
        XCTAssertTrue(try s.ok("source", "diff", diffArgs[0], diffArgs[1]).contains("[-So far, this has never happened.-]"))
        XCTAssertEqual(try s.verify().status, 0)
    }
}
