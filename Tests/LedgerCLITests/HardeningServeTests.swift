import Foundation
import XCTest

/// `ledger serve` as a user runs it, under requests and set-ups that once misled or stopped it.
final class HardeningServeTests: XCTestCase {
    /// Feed links and entry ids come from `--public-url`: a client's Host header changes nothing
    /// (a cache in front would otherwise serve a poisoned copy to everyone).
    func testHostHeaderDoesNotReachFeedsOrPages() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2))
        let server = try ServeProcess(s, extraArguments: ["--public-url", "https://ledger.example.org"])
        defer { server.stop() }
        for path in ["/feeds/telegram.atom", "/entries/1"] {
            let r = try s.run("/usr/bin/curl", ["-sS", "-H", "Host: evil.example", server.base + path])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertFalse(r.stdout.contains("evil.example"), "\(path): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("https://ledger.example.org"), "\(path): \(r.stdout)")
        }
        let refused = try s.ledger("serve", "--port", "0", "--public-url", "javascript:alert(1)")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("--public-url must be an http:// or https:// URL"), refused.stderr)
    }

    /// First run outside the repository: no statements directory. A clear error, and nothing
    /// half made (a later `init` works).
    func testFirstRunWithoutStatementsDirectoryCreatesNothing() throws {
        let s = try Sandbox()
        for command in [["serve", "--port", "0"], ["demo"]] {
            let r = try s.run("ledger", command)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("no statements directory at ledger/statements"), r.stderr)
            XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: s.ledgerPath), "no half-made ledger")
            XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("keys")), "no keys either")
        }
        try s.ok("init", "--origin", "test.example/ledger")
    }

    /// Under umask 000 the keys directory is still not writable by others; an encrypted key is
    /// refused without a passphrase prompt, and a public key given as the signing key is named.
    func testKeyFilesUnderAnOpenUmaskAndTheWrongKinds() throws {
        let s = try Sandbox()
        let ledger = Sandbox.binDir.appendingPathComponent("ledger").path
        let r = try s.run("/bin/sh", ["-c", "umask 000 && '\(ledger)' init --origin test.example/ledger && '\(ledger)' keygen alice"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let mode = (try FileManager.default.attributesOfItem(atPath: s.path("keys"))[.posixPermissions] as? Int) ?? 0o777
        XCTAssertEqual(mode & 0o022, 0, "keys/ is \(String(mode, radix: 8))")
        let keyMode = (try FileManager.default.attributesOfItem(atPath: s.path("keys/alice.key"))[.posixPermissions] as? Int) ?? 0
        XCTAssertEqual(keyMode, 0o600)
        try s.ok("signer", "add", "alice", "keys/alice.pub")
        try s.write("st.json", statementLine(1))

        let encrypted = try s.run("/usr/bin/openssl", ["pkey", "-in", "keys/alice.key", "-aes256", "-passout", "pass:secret", "-out", "keys/enc.key"])
        XCTAssertEqual(encrypted.status, 0, encrypted.stderr)
        chmod(s.path("keys/enc.key"), 0o600)
        let before = try s.fingerprint()
        // stdin is a pipe: a prompt would block or fail; the refusal must come first and name the fix.
        let withEncrypted = try s.ledger("append", "--key", "keys/enc.key", "st.json")
        XCTAssertEqual(withEncrypted.status, 1)
        XCTAssertTrue(withEncrypted.stderr.contains("keys/enc.key is an encrypted private key; the ledger does not prompt for passphrases"), withEncrypted.stderr)
        let withPublic = try s.ledger("append", "--key", "keys/alice.pub", "st.json")
        XCTAssertEqual(withPublic.status, 1)
        XCTAssertTrue(withPublic.stderr.contains("keys/alice.pub is a public key"), withPublic.stderr)
        XCTAssertFalse(withPublic.stderr.contains("chmod"), withPublic.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
    }

    /// Idle connections held open once exhausted the descriptors, and the accept loop then spun
    /// on EMFILE. Under a 256-descriptor limit (the default connection limit fits it) the
    /// service stops accepting at its limit and closes idle connections first: /healthz and an
    /// append still answer while 384 connections are held idle.
    func testIdleConnectionsDoNotLockOutRequests() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2))
        let server = try ServeProcess(s, descriptorLimit: 256)
        defer { server.stop() }
        guard let url = URL(string: server.base), let port = url.port else { return XCTFail(server.base) }
        // A separate process holds 384 idle connections (it keeps re-opening those closed) while
        // this one asks for /healthz and appends.
        try s.write("hold.py", """
            import socket, sys, time
            socks = []
            deadline = time.time() + float(sys.argv[2])
            while time.time() < deadline:
                socks = [x for x in socks if x.fileno() != -1]
                while len(socks) < 384:
                    c = socket.socket(); c.setblocking(False)
                    try: c.connect(("127.0.0.1", int(sys.argv[1])))
                    except BlockingIOError: pass
                    socks.append(c)
                for x in list(socks):
                    try:
                        if x.recv(1, socket.MSG_DONTWAIT) == b"": x.close(); socks.remove(x)
                    except (BlockingIOError, ConnectionRefusedError): pass
                    except OSError: x.close(); socks.remove(x)
                time.sleep(0.05)
            """)
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", s.path("hold.py"), String(port), "12"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        Thread.sleep(forTimeInterval: 2)
        var times: [Double] = []
        for i in 0..<10 {
            let start = Date()
            let health = try s.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "8", server.base + "/healthz"])
            times.append(Date().timeIntervalSince(start))
            XCTAssertEqual(health.stdout, "200", "healthz \(i): \(health.stderr)")
        }
        try s.write("st.json", statementLine(77))
        let signed = try s.ok("sign", "--key", "keys/alice.key", "--signer", "alice", "st.json")
        try s.write("entry.json", signed)
        let append = try s.run("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "8",
                                                 "--data-binary", "@entry.json", server.base + "/v1/entries"])
        XCTAssertEqual(append.stdout, "201", append.stderr)
        XCTAssertLessThan(times.max() ?? 99, 5, "healthz times under idle load: \(times)")
        // The server is not spinning: its CPU over the run stays far below a core.
        let cpu = try s.run("/bin/ps", ["-o", "times=", "-p", String(server.process.processIdentifier)])
        let seconds = Double(cpu.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        XCTAssertLessThan(seconds, 8, "server CPU seconds: \(seconds)")
    }
}
