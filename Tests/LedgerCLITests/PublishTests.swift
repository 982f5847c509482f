import Foundation
import XCTest

/// `ledger publish DIR` and `ledger serve --publish DIR`, served by a real nginx and checked by
/// the independent Python verifier from nginx alone.
final class PublishTests: XCTestCase {
    /// nginx (the system's package) serving `root` on a free loopback port, stopped with the test.
    final class Nginx {
        let process = Process()
        let base: String

        init(_ s: Sandbox, root: String) throws {
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
        XCTAssertEqual(check.stdout, "601 entries checked against the checkpoint, 601 bodies\n")
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
        XCTAssertEqual(check.stdout, "902 entries checked against the checkpoint, 901 bodies\n", "all but the withheld one")
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
        let server = try ServeProcess(s, extraArguments: ["--publish", "public"])
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
    }
}
