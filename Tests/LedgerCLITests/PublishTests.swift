import Foundation
import XCTest

/// `ledger publish DIR` and `ledger serve --publish DIR`, served by a real nginx and checked by
/// the independent Python verifier from nginx alone.
final class PublishTests: XCTestCase {
    /// nginx (the system's package) serving `root` on a free loopback port, stopped with the test.
    final class Nginx {
        let process = Process()
        let base: String

        /// `missing`: the status for a file it does not hold (an S3 bucket without list
        /// permission answers 403; 200 serves `/index.html` instead, as a host set up for a
        /// single-page site does).
        init(_ s: Sandbox, root: String, missing: Int = 404) throws {
            guard FileManager.default.fileExists(atPath: "/usr/sbin/nginx") else { throw XCTSkip("nginx is not installed (.ci/run installs it)") }
            let port = try Self.freePort()
            let conf = """
                daemon off;
                pid \(s.path("nginx.pid"));
                error_log \(s.path("nginx-error.log"));
                worker_processes 1;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path \(s.path("nginx-tmp"));
                    default_type application/octet-stream;
                    server {
                        listen 127.0.0.1:\(port);
                        root \(s.path(root));
                        location = /checkpoint { default_type text/plain; add_header Cache-Control "no-cache"; }
                        types { text/html html; application/atom+xml atom; }
                        location / { try_files $uri $uri/ \(missing == 200 ? "/index.html" : "=\(missing)"); }
                    }
                }
                """
            try s.write("nginx.conf", conf)
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
            process.arguments = ["-c", s.path("nginx.conf"), "-e", s.path("nginx-error.log")]
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
            base = "http://127.0.0.1:\(port)"
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if (try? s.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/"]).stdout).map({ $0 != "000" }) == true { return }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw XCTSkip("nginx did not start: \((try? String(contentsOfFile: s.path("nginx-error.log"), encoding: .utf8)) ?? "")")
        }

        deinit { if process.isRunning { process.terminate(); process.waitUntilExit() } }

        static func freePort() throws -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound else { throw XCTSkip("no free port") }
            return Int(UInt16(bigEndian: address.sin_port))
        }
    }

    func python(_ s: Sandbox, _ args: String...) throws -> Sandbox.Run {
        try s.run("/usr/bin/python3", [Sandbox.interopDir.appendingPathComponent("independent_verify.py").path] + args)
    }

    func published(_ s: Sandbox) throws -> String {
        try String(contentsOfFile: s.path("public/checkpoint"), encoding: .utf8).split(separator: "\n")[1].description
    }

    func testPublishIncrementallyServeWithNginxAndSurviveAKill() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<600))
        let first = try s.ok("publish", "public")
        XCTAssertTrue(first.hasPrefix("published size 601 to public"), first)
        let nginx = try Nginx(s, root: "public")
        let logKey = try s.logKey()
        var check = try python(s, "static", logKey, nginx.base)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "601 entries checked against the checkpoint, 601 bodies, 3 listed checkpoints\n")
        XCTAssertEqual(try s.run("/usr/bin/curl", ["-s", nginx.base + "/checkpoint"]).stdout, try s.ok("checkpoint"))

        // Again after 300 more and a withholding: only what changed is written; a full tile keeps
        // its inode; the withheld body is gone from what nginx serves.
        let fullTile = try FileManager.default.attributesOfItem(atPath: s.path("public/tile/0/000"))[.systemFileNumber] as? Int
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(600..<900))
        try s.ok("withhold", "5", "--reason", "test", "--yes")
        let second = try s.ok("publish", "public")
        XCTAssertTrue(second.hasPrefix("published size 902 to public"), second)
        let written = Int(second.split(separator: "(")[1].split(separator: " ")[0]) ?? -1
        XCTAssertGreaterThan(written, 0)
        XCTAssertLessThan(written, 14, "tiles 0/001.p → 0/001..003.p, entries and bodies alike, level 1, 2 checkpoints, body 000 again: \(second)")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: s.path("public/tile/0/000"))[.systemFileNumber] as? Int, fullTile)
        check = try python(s, "static", logKey, nginx.base)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "902 entries checked against the checkpoint, 901 bodies, 5 listed checkpoints\n", "all but the withheld one")
        let bundle = try s.run("/usr/bin/curl", ["-s", nginx.base + "/bodies/000"]).stdout
        XCTAssertTrue(bundle.contains("statement number 3\"") && !bundle.contains("statement number 4\""), "seq 5 (statement 4) withheld")

        // Killed half-way through a large publication: nginx still serves a consistent tree (the
        // old checkpoint); the next run completes it.
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(900..<40_000))
        let killed = Process()
        killed.executableURL = Sandbox.binDir.appendingPathComponent("ledger")
        killed.arguments = ["publish", "public"]
        killed.currentDirectoryURL = s.dir
        killed.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try killed.run()
        let deadline = Date().addingTimeInterval(30)
        while killed.isRunning, !FileManager.default.fileExists(atPath: s.path("public/tile/entries/050")), Date() < deadline {
            usleep(2000)
        }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertEqual(try published(s), "902", "killed before its checkpoint")
        check = try python(s, "static", logKey, nginx.base)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("902 entries"), check.stdout)
        let audit = try s.verify("--url", nginx.base, "--log-key", logKey)
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.hasPrefix("ok: \(nginx.base): 902 entries"), audit.stdout)
        try s.ok("publish", "public")
        check = try python(s, "static", logKey, nginx.base)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("40002 entries"), check.stdout)
    }

    /// `ledger serve --publish DIR` keeps the directory up to date as statements are appended.
    func testServeKeepsThePublicationUpToDate() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<10))
        let server = try ServeProcess(s, extraArguments: ["--publish", "public", "--publish-url", "https://static.example.org"])
        for (more, size) in [(10..<20, "21"), (20..<300, "301")] {
            try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(more))
            let deadline = Date().addingTimeInterval(20)
            while (try? published(s)) != size, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            XCTAssertEqual(try published(s), size)
        }
        let nginx = try Nginx(s, root: "public")
        let check = try python(s, "static", try s.logKey(), nginx.base)
        XCTAssertEqual(check.status, 0, check.stderr)
        server.stop()
        // The pages and feeds follow too, their absolute links under --publish-url.
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("public/entries/300.html")))
        let feed = try String(contentsOfFile: s.path("public/feeds/telegram.atom"), encoding: .utf8)
        XCTAssertTrue(feed.contains("<link href=\"https://static.example.org/entries/300.html\"/>"), feed)
    }

    /// Mirrors and audits from nginx alone while `ledger serve --publish` publishes new appends:
    /// every round of `ledger mirror` (small batches, so proofs are built from tiles at many
    /// sizes) and `ledger-verify --url` succeeds, and the copy ends with the source's root.
    func testMirrorAndAuditFromNginxWhileAppending() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<300))
        let server = try ServeProcess(s, extraArguments: ["--publish", "public"])
        let deadline = Date().addingTimeInterval(30)
        while (try? published(s)) != "301", Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let nginx = try Nginx(s, root: "public")
        let logKey = try s.logKey()

        nonisolated(unsafe) let appender = s   // used by the appending thread alone until it ends
        let appended = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for chunk in stride(from: 300, to: 1500, by: 150) { _ = try? appender.ledger(["append", "--key", "keys/alice.key"], stdin: statementLines(chunk..<chunk + 150)) }
            appended.signal()
        }
        var rounds = 0, size = 0
        while size < 1501, rounds < 200 {
            rounds += 1
            let run = try s.ledger("mirror", nginx.base, "--ledger", "copy.sqlite", "--log-key", logKey, "--batch", "64")
            XCTAssertEqual(run.status, 0, "round \(rounds): \(run.stdout)\(run.stderr)")
            guard run.status == 0 else { break }
            size = Int(try s.run("/usr/bin/sqlite3", [s.path("copy.sqlite"), "SELECT MAX(size) FROM checkpoints"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            Thread.sleep(forTimeInterval: 0.05)
        }
        appended.wait()
        XCTAssertEqual(size, 1501, "the copy caught up with the source after \(rounds) rounds")
        XCTAssertGreaterThan(rounds, 2, "the copy grew over several rounds while the source grew")
        server.stop()

        let root = try s.ok("checkpoint").split(separator: "\n")[2]
        let copy = try s.verify("--ledger", "copy.sqlite", "--log-key", logKey)
        XCTAssertEqual(copy.status, 0, copy.stderr)
        XCTAssertTrue(copy.stdout.contains("1501 entries") && copy.stdout.contains(String(root)), copy.stdout)
        let remote = try s.verify("--url", nginx.base, "--log-key", logKey, "--json")
        XCTAssertEqual(remote.status, 0, remote.stderr)
        XCTAssertTrue(remote.stdout.contains("\"size\":1501") && remote.stdout.contains("\"status\":\"ok\""), remote.stdout)
        XCTAssertTrue(remote.stdout.contains("\"root\":\"\(root)\""), remote.stdout)
    }

    /// A directory that rolls back, or serves a body that is not the one signed, is refused by
    /// `ledger mirror` (evidence kept, nothing written) and fails `ledger-verify --url`. Served as
    /// an S3 bucket without list permission serves it: 403 for a file it does not hold.
    func testMirrorFromNginxRefusesRollbackAndTamperedBodies() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<600))
        try s.ok("publish", "public")
        let nginx = try Nginx(s, root: "public", missing: 403)
        XCTAssertEqual(try s.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", nginx.base + "/tile/0/999"]).stdout, "403")
        let logKey = try s.logKey()
        let old = try String(contentsOfFile: s.path("public/checkpoint"), encoding: .utf8)
        try s.ok("mirror", nginx.base, "--ledger", "copy.sqlite", "--log-key", logKey)
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(600..<900))
        try s.ok("publish", "public")
        XCTAssertTrue(try s.ok("mirror", nginx.base, "--ledger", "copy.sqlite").contains("(601 → 901)"))

        // Rolled back: the old checkpoint served again.
        let new = try String(contentsOfFile: s.path("public/checkpoint"), encoding: .utf8)
        try old.write(toFile: s.path("public/checkpoint"), atomically: true, encoding: .utf8)
        var run = try s.ledger("mirror", nginx.base, "--ledger", "copy.sqlite")
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("ROLLBACK: the source now shows 601 entries"), run.stderr)
        // A reader of that older tree finds the partial files of size 601 gone (a publisher may
        // prune them): it reads the full ones instead, and builds its proofs from them.
        for gone in ["tile/0/002.p", "tile/entries/002.p", "bodies/002.p"] { try FileManager.default.removeItem(atPath: s.path("public/" + gone)) }
        let older = try s.ledger("mirror", nginx.base, "--ledger", "older.sqlite", "--log-key", logKey, "--batch", "64", "--progress")
        XCTAssertEqual(older.status, 0, older.stderr)
        XCTAssertTrue(older.stdout.contains("verified and stored entries 0 ..< 1\n") && older.stdout.contains("(0 → 601)"), older.stdout)
        try new.write(toFile: s.path("public/checkpoint"), atomically: true, encoding: .utf8)

        // A body changed in a full body bundle (entries 768 ..< 1024), in an entry the copy lacks:
        // it no longer hashes to its leaf's body_sha256.
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(900..<1200))
        try s.ok("publish", "public")
        let bundle = s.path("public/bodies/003")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: bundle)))
        let quote = Array("statement number 1000".utf8)
        let at = try XCTUnwrap((0...(bytes.count - quote.count)).first { Array(bytes[$0..<$0 + quote.count]) == quote })
        bytes[at + quote.count - 3] = UInt8(ascii: "9")
        try Data(bytes).write(to: URL(fileURLWithPath: bundle))
        let before = try s.run("/usr/bin/sqlite3", [s.path("copy.sqlite"), "SELECT COUNT(*) FROM entries"]).stdout
        run = try s.ledger("mirror", nginx.base, "--ledger", "copy.sqlite")
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertEqual(try s.run("/usr/bin/sqlite3", [s.path("copy.sqlite"), "SELECT COUNT(*) FROM entries"]).stdout, before, "nothing of the bad batch written")
        XCTAssertEqual(try s.run("/usr/bin/sqlite3", [s.path("copy.sqlite"), "SELECT COUNT(*) FROM mirror_evidence"]).stdout, "2\n", "rollback and bad leaf kept as evidence")
        let remote = try s.verify("--url", nginx.base, "--log-key", logKey)
        XCTAssertEqual(remote.status, 1, remote.stdout + remote.stderr)
        XCTAssertTrue(remote.stderr.contains("FAILED: \(nginx.base)"), remote.stderr)
    }

    /// Follows every link of this site's own from `/` through nginx: each answers 200 (HTML or
    /// Atom that parses as XML); prints the pages and feeds reached.
    static let crawler = #"""
        import sys, urllib.request, urllib.error, re, xml.etree.ElementTree as ET
        base = sys.argv[1]; seen = set(); todo = ["/"]; pages = feeds = 0
        while todo:
            path = todo.pop()
            if path in seen: continue
            seen.add(path)
            try: body = urllib.request.urlopen(base + path).read().decode()
            except urllib.error.HTTPError as e: sys.exit(f"{path}: HTTP {e.code}")
            if path.endswith(".atom"):
                feeds += 1; root = ET.fromstring(body)
                links = [l.get("href")[len(base):] for l in root.iter("{http://www.w3.org/2005/Atom}link")]
            else:
                pages += 1; links = re.findall(r'href="(/[^"]*)"', body)
            todo += [l for l in links if l not in seen and l != "/checkpoint"]
        print(f"{pages} pages {feeds} feeds")
        """#

    /// `ledger publish --public-url` writes the pages and feeds: every link among them resolves
    /// through nginx; a second run rewrites only the pages that changed; a withheld statement's
    /// quote is gone from every page.
    func testPublishedPagesLinkOnlyToPublishedFiles() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<40))
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(100..<110, platform: "whatsapp"))
        let nginx = try Nginx(s, root: "public")
        try s.ok("publish", "public", "--public-url", nginx.base)
        try s.write("crawl.py", Self.crawler)
        var crawl = try s.run("/usr/bin/python3", [s.path("crawl.py"), nginx.base])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        // /, /compare, 3 recipient views, 2 platforms with their documents pages and one year
        // page each (2019), 50 statements.
        XCTAssertEqual(crawl.stdout, "61 pages 4 feeds\n", "every statement reached by a link")
        let index = try String(contentsOfFile: s.path("public/index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("compare</a> · <a href=\"/checkpoint\">checkpoint</a>"), "no search in a static header")
        XCTAssertTrue(index.contains("<code>ledger-verify --url</code> on this address"))
        // A host answering every unknown path with the site's front page is still read as a
        // published directory, not as a service that answers badly.
        let spa = try Nginx(s, root: "public", missing: 200)
        XCTAssertTrue(try s.run("/usr/bin/curl", ["-s", spa.base + "/v1/checkpoints?from=0&to=0&limit=1"]).stdout.hasPrefix("<!DOCTYPE html>"))
        let copied = try s.ledger("mirror", spa.base, "--ledger", "spa-copy.sqlite", "--log-key", try s.logKey())
        XCTAssertEqual(copied.status, 0, copied.stdout + copied.stderr)
        func pagesQuotingSeq8() throws -> String {
            try s.run("/usr/bin/grep", ["-rlE", "statement number 7([^0-9]|$)", s.path("public")]).stdout
        }
        XCTAssertTrue(try pagesQuotingSeq8().contains("public/platforms/telegram.html\n"))
        XCTAssertTrue(try pagesQuotingSeq8().contains("public/platforms/telegram/history/2019.html\n"))
        XCTAssertTrue(try pagesQuotingSeq8().contains("public/entries/8.html\n"))

        func modified(_ path: String) throws -> Date? { try FileManager.default.attributesOfItem(atPath: s.path("public/" + path))[.modificationDate] as? Date }
        let (quiet, whatsapp, telegram, entry) = (try modified("entries/45.html"), try modified("platforms/whatsapp.html"),
                                                  try modified("platforms/telegram.html"), try modified("entries/3.html"))
        Thread.sleep(forTimeInterval: 1.1)
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(40..<45))
        try s.ok("withhold", "8", "--reason", "test", "--yes")
        let second = try s.ok("publish", "public", "--public-url", nginx.base)
        XCTAssertTrue(second.hasPrefix("published size 57 to public"), second)
        XCTAssertEqual(try modified("entries/45.html"), quiet, "a whatsapp statement's page is not rewritten for telegram's news")
        XCTAssertEqual(try modified("platforms/whatsapp.html"), whatsapp)
        XCTAssertNotEqual(try modified("platforms/telegram.html"), telegram)
        XCTAssertEqual(try modified("entries/3.html"), entry, "no new mark: not written")
        crawl = try s.run("/usr/bin/python3", [s.path("crawl.py"), nginx.base])
        XCTAssertEqual(crawl.status, 0, crawl.stderr)
        XCTAssertEqual(try pagesQuotingSeq8(), "", "seq 8 (statement 7) withheld: its quote is on no page")
        XCTAssertTrue(try String(contentsOfFile: s.path("public/entries/8.html"), encoding: .utf8).contains("withheld"))
        XCTAssertTrue(try String(contentsOfFile: s.path("public/entries/56.html"), encoding: .utf8).contains("withholds"))
    }

    /// Year pages keep their names as the ledger grows: a statement backfilled into 2020 writes
    /// 2020's page and 2021's (whose claim now changes since it), and leaves other years alone.
    func testYearPagesAreWrittenForTheYearsAStatementTouches() throws {
        let s = try Sandbox()
        try s.setUp()
        let gov = "government-requests"
        try s.add(statementJSON("acme", "advertising", "2017-01-01", quantities: [qty("requests-received", 1)], summary: "ads 2017"))
        try s.add(statementJSON("acme", gov, "2019-06-30", quantities: [qty("requests-received", 10)], summary: "gov 2019"))
        try s.add(statementJSON("acme", gov, "2021-06-30", quantities: [qty("requests-received", 30)], summary: "gov 2021"))
        try s.ok("publish", "public", "--public-url", "https://static.example.org")
        func page(_ year: String) throws -> String { try String(contentsOfFile: s.path("public/platforms/acme/history/\(year).html"), encoding: .utf8) }
        func modified(_ year: String) throws -> Date? {
            try FileManager.default.attributesOfItem(atPath: s.path("public/platforms/acme/history/\(year).html"))[.modificationDate] as? Date
        }
        XCTAssertTrue(try page("2021").contains(#"since <a href="/entries/2.html">seq 2</a>"#))
        XCTAssertTrue(try String(contentsOfFile: s.path("public/platforms/acme.html"), encoding: .utf8)
            .contains(#"<a href="/platforms/acme/history/2017.html">2017</a>"#))
        let before = (try modified("2017"), try modified("2019"), try modified("2021"))
        Thread.sleep(forTimeInterval: 1.1)
        let backfilled = try s.add(statementJSON("acme", gov, "2020-06-30", quantities: [qty("requests-received", 20)], summary: "gov 2020"))
        try s.ok("publish", "public", "--public-url", "https://static.example.org")
        XCTAssertTrue(try page("2020").contains("gov 2020"))
        XCTAssertTrue(try page("2021").contains(#"since <a href="/entries/\#(backfilled.seq).html">seq \#(backfilled.seq)</a>"#))
        XCTAssertNotEqual(try modified("2021"), before.2)
        XCTAssertEqual(try modified("2017"), before.0, "another category's year")
        XCTAssertEqual(try modified("2019"), before.1, "nothing on 2019's page changed")

        // 2021 filled to 500 events (one part), then one more makes a second part, which every
        // part names; one more after that rewrites the last part only.
        let lines = (0..<499).map { statementJSON("acme", "advertising", "2021-12-01", quantities: [qty("requests-received", $0)], summary: "ads \($0)") }
        try s.ok("append", "--key", "keys/alice.key", stdin: Data((lines.joined(separator: "\n") + "\n").utf8))
        try s.ok("publish", "public", "--public-url", "https://static.example.org")
        XCTAssertFalse(try page("2021").contains("part 1 of"))
        try s.add(statementJSON("acme", "advertising", "2021-12-02", quantities: [qty("requests-received", 8)], summary: "ads 500th"))
        try s.ok("publish", "public", "--public-url", "https://static.example.org")
        XCTAssertTrue(try page("2021").contains("part 1 of 2"), "the first part is rewritten to name the second")
        XCTAssertTrue(try page("2021-2").contains("part 2 of 2") && page("2021-2").contains("ads 500th"))
        let parts = (try modified("2021"), try modified("2021-2"))
        Thread.sleep(forTimeInterval: 1.1)
        try s.add(statementJSON("acme", "advertising", "2021-12-02", quantities: [qty("requests-received", 9)], summary: "ads last"))
        try s.ok("publish", "public", "--public-url", "https://static.example.org")
        XCTAssertEqual(try modified("2021"), parts.0, "an event at the year's end leaves the first part alone")
        XCTAssertNotEqual(try modified("2021-2"), parts.1)
        XCTAssertTrue(try page("2021-2").contains("ads last"))
    }
}
