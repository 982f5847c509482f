import Foundation
import XCTest

/// The web pages as a reader sees them: headless Chromium (Debian's `chromium`, which `.ci/run`
/// installs) loads the pages of a service seeded with the shipped dataset, and the tests assert
/// on the rendered DOM that the marks, links and figures are there. A screenshot of each page is
/// written to `.build/browser-tests/` for a person to look at.
final class BrowserTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let chromium = "/usr/bin/chromium"
    static let screenshots = repository.appendingPathComponent(".build/browser-tests")

    /// The DOM after Chromium has loaded and rendered `url` (no script runs on these pages, so
    /// it is what a reader sees), and a screenshot of it as `name`.png.
    func load(_ s: Sandbox, _ url: String, screenshot name: String) throws -> String {
        let profile = s.dir.appendingPathComponent("chromium-profile").path
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile)"]
        let dom = try s.run(Self.chromium, common + ["--dump-dom", url])
        XCTAssertEqual(dom.status, 0, "chromium --dump-dom \(url): \(dom.stderr.suffix(500))")
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let png = Self.screenshots.appendingPathComponent("\(name).png").path
        let shot = try s.run(Self.chromium, common + ["--hide-scrollbars", "--window-size=1280,1800", "--screenshot=\(png)", url])
        XCTAssertEqual(shot.status, 0, "chromium --screenshot \(url): \(shot.stderr.suffix(500))")
        XCTAssertGreaterThan((try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0, 10_000, "\(png) is no picture")
        return dom.stdout
    }

    func testThePagesShowMarksLinksAndFiguresInABrowser() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail("chromium is not installed; .ci/run installs it") }
            throw XCTSkip("no \(Self.chromium) here (apt-get install chromium); CI runs this test")
        }
        let s = try Sandbox()
        try s.ok("demo", "--statements", Self.repository.appendingPathComponent("ledger/statements").path)
        // Telegram's "0 bytes" FAQ answer: disputed (the shipped response) and contradicted by its
        // own figures. A statement of a test platform, then retracted, stands for a retraction.
        let faq = try XCTUnwrap(try s.ok("search", "\"0 bytes\"", "third", "parties").split(separator: "\t").first.map(String.init))
        let dispute = try XCTUnwrap(try s.ok("list", "--signer", "dataset-review").split(separator: "\n").last?.split(separator: "\t").first.map(String.init))
        try s.ok("keygen", "alice")
        try s.ok("signer", "add", "alice", "keys/alice.pub")
        let claim = #"{"schema":"disclosure-statement/v2","platform":"example","category":"third-party-sharing","summary":"Example says it sells no data.","assertions":[{"polarity":"never","action":"sell","recipient":"third-parties","data_kinds":["any-user-data"]}],"published":"2024-03-01","source":{"url":"https://example.org/privacy","retrieved_at":"2024-03-01T00:00:00Z","sha256":"\#(String(repeating: "ab", count: 32))"},"quote":"We never sell your data.","language":"en"}"#
        try s.write("claim.json", claim)
        let appended = try s.ok("append", "--key", "keys/alice.key", "claim.json").split(separator: " ")
        let (claimSeq, leaf) = (String(appended[0]), String(appended[1]).trimmingCharacters(in: .whitespacesAndNewlines))
        try s.write("retraction.json", claim.replacingOccurrences(of: #""language":"en"}"#, with: #""language":"en","supersedes":{"seq":\#(claimSeq),"leaf_hash":"\#(leaf)","kind":"retraction"}}"#)
            .replacingOccurrences(of: "2024-03-01\",\"source", with: "2024-04-01\",\"source"))
        let retraction = String(try s.ok("append", "--key", "keys/alice.key", "retraction.json").split(separator: " ")[0])

        let server = try ServeProcess(s)
        defer { server.stop() }
        let home = try load(s, server.base + "/", screenshot: "home")
        XCTAssertTrue(home.contains("<strong>contradicted</strong> by the figures of data handed over in"), "/ shows the contradiction")
        XCTAssertTrue(home.contains("<strong>disputed</strong> by <a href=\"/entries/\(faq)#standing\">1 signer</a>"), "/ shows the dispute")
        XCTAssertTrue(home.contains("alice <strong>retracted</strong> <a href=\"/entries/\(claimSeq)\">seq \(claimSeq)</a> (example, third-party-sharing) in <a href=\"/entries/\(retraction)\">"),
                      "/ shows the retraction")
        XCTAssertTrue(home.contains("dataset-review <strong>disputed</strong> <a href=\"/entries/\(faq)\">seq \(faq)</a>"), "/ links the dispute")

        let telegram = try load(s, server.base + "/platforms/telegram", screenshot: "platform-telegram")
        XCTAssertTrue(telegram.contains("To this day, we have disclosed 0 bytes of user data to third parties, including governments."), "the quote whole")
        XCTAssertTrue(telegram.contains("<strong>contradicted</strong>") && telegram.contains("<strong>disputed</strong>"))
        XCTAssertTrue(telegram.contains("2,461"), "figures with thousands separators")
        XCTAssertTrue(telegram.contains("<time datetime=\"2024-08-27\">27 August 2024</time>"), "dates as an English reader writes them")
        let example = try load(s, server.base + "/platforms/example", screenshot: "platform-example")
        XCTAssertTrue(example.contains("<em>retracted by \(retraction)</em>"), example)

        let entry = try load(s, server.base + "/entries/\(faq)", screenshot: "entry-disputed-contradicted")
        XCTAssertTrue(entry.contains("<strong>disputed</strong> by dataset-review in <a href=\"/entries/\(dispute)\">seq \(dispute)</a>"), entry)
        XCTAssertTrue(entry.contains("<strong>contradicted</strong> by the figures of data handed over in <a href=\"/entries/"), entry)
        XCTAssertTrue(entry.contains("which the quote is checked against: <a href=\"/entries/"), "the archived source is linked")
        let retracted = try load(s, server.base + "/entries/\(claimSeq)", screenshot: "entry-retracted")
        XCTAssertTrue(retracted.contains("<strong>retracted</strong> by alice in <a href=\"/entries/\(retraction)\">seq \(retraction)</a>"), retracted)
        let response = try load(s, server.base + "/entries/\(dispute)", screenshot: "entry-dispute")
        XCTAssertTrue(response.contains("dataset-review") && response.contains("<a href=\"/entries/\(faq)\">"), "the dispute names its signer and links its target")
        XCTAssertFalse(response.contains("signed by the log key"), response)

        let search = try load(s, server.base + "/search?q=%220%20bytes%22", screenshot: "search")
        XCTAssertTrue(search.contains("<a href=\"/entries/\(faq)\">seq \(faq)</a>"), search)
        let documents = try load(s, server.base + "/platforms/telegram/documents", screenshot: "documents-telegram")
        XCTAssertTrue(documents.contains("transcribed from a copy"), documents)
        let compare = try load(s, server.base + "/compare?recipient=governments", screenshot: "compare-governments")
        XCTAssertTrue(compare.contains("telegram"), compare)
        print("screenshots: \(Self.screenshots.path)")
    }
}
