import Foundation
import XCTest

/// `ledger timestamp` against a real RFC 3161 authority made on the spot (`Interop/tsa_server.py`:
/// a throwaway CA, a TSA certificate, and `openssl ts -reply` behind HTTP on 127.0.0.1), checked
/// by `ledger-verify --tsa-cert` and independently by `openssl ts -verify`.
final class TimestampTests: XCTestCase {
    /// A running authority (stopped when the test ends): its URL and CA certificate.
    struct Authority {
        let url: String
        let caCert: String
    }

    func startAuthority(_ s: Sandbox, mode: String = "good", dir: String = "tsa") throws -> Authority {
        let port = try s.startPythonServer("tsa_server.py", [s.path(dir), mode], test: self)
        return Authority(url: "http://127.0.0.1:\(port)/", caCert: s.path("\(dir)/ca.crt"))
    }

    func testTokensAreStoredAndVerifiedWithTheAuthorityCertificate() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        let tsa = try startAuthority(s)
        let stamped = try s.ok("timestamp", "--tsa", tsa.url)
        XCTAssertTrue(stamped.hasPrefix("checkpoint 4 time-stamped by \(tsa.url) at 20"), stamped)
        XCTAssertNotNil(stamped.range(of: #" at 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d"#, options: .regularExpression), "an ISO time: \(stamped)")

        let r = try s.verify("--tsa-cert", tsa.caCert)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("checkpoint 4 time-stamped at 20"), r.stdout)

        // OpenSSL's own verifier agrees: the token covers the checkpoint note as stored.
        try s.sqlite("SELECT writefile('\(s.path("reply.tsr"))', reply) FROM timestamps WHERE size = 4")
        try s.sqlite("SELECT writefile('\(s.path("note.txt"))', note) FROM checkpoints WHERE size = 4")
        let openssl = try s.run("/usr/bin/openssl", ["ts", "-verify", "-data", "note.txt", "-in", "reply.tsr", "-CAfile", tsa.caCert])
        XCTAssertEqual(openssl.status, 0, openssl.stdout + openssl.stderr)
        XCTAssertTrue(openssl.stdout.contains("Verification: OK"), openssl.stdout)

        // A second token for the same checkpoint is refused; after an append there is a new one.
        XCTAssertEqual(try s.ledger("timestamp", "--tsa", tsa.url).status, 1)
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(3..<4))
        try s.ok("timestamp", "--tsa", tsa.url)
        XCTAssertEqual(try s.sqlite("SELECT group_concat(size) FROM timestamps").stdout, "4,5\n")
        XCTAssertEqual(try s.verify("--tsa-cert", tsa.caCert).status, 0)
    }

    func testUntrustedTamperedAndMismatchedTokensAreRefused() throws {
        let s = try Sandbox()
        try s.setUp()
        let tsa = try startAuthority(s)
        try s.ok("timestamp", "--tsa", tsa.url)

        // Another authority's CA does not vouch for this token.
        let stranger = try startAuthority(s, dir: "other-tsa")
        let untrusted = try s.verify("--tsa-cert", stranger.caCert)
        XCTAssertEqual(untrusted.status, 1, untrusted.stdout + untrusted.stderr)
        XCTAssertTrue(untrusted.stderr.contains("checkpoint at size 1: time-stamp token from \(tsa.url): the time-stamp token's signature does not verify"), untrusted.stderr)
        // Not a certificate at all: a usage error.
        XCTAssertEqual(try s.verify("--tsa-cert", s.path("keys/alice.pub")).status, 2)

        // An authority that answers for other data: refused at fetch time, nothing written.
        let liar = try startAuthority(s, mode: "other-data", dir: "liar-tsa")
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<1))
        let before = try s.fingerprint()
        let wrong = try s.ledger("timestamp", "--tsa", liar.url)
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("the time-stamp token is for other data"), wrong.stderr)
        let refusing = try startAuthority(s, mode: "refuse", dir: "refusing-tsa")
        let refused = try s.ledger("timestamp", "--tsa", refusing.url)
        XCTAssertEqual(refused.status, 2, "the authority failed, not the caller")
        XCTAssertTrue(refused.stderr.contains("answered HTTP 500"), refused.stderr)
        XCTAssertEqual(try s.fingerprint(), before)

        // One byte of a stored token changed behind the ledger's back.
        try s.dropTriggers()
        try s.sqlite("UPDATE timestamps SET reply = substr(reply, 1, 1000) || X'00' || substr(reply, 1002) WHERE size = 1")
        let tampered = try s.verify("--tsa-cert", tsa.caCert)
        XCTAssertEqual(tampered.status, 1, tampered.stdout + tampered.stderr)
        XCTAssertTrue(tampered.stderr.contains("checkpoint at size 1: time-stamp token"), tampered.stderr)
    }

    func testQuorumOfWitnessCosignatures() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<2))
        let w1 = try s.ok("witness", "init", "w1.example/w", "--db", "w1/witness.sqlite").trimmingCharacters(in: .newlines)
        let w2 = try s.ok("witness", "init", "w2.example/w", "--db", "w2/witness.sqlite").trimmingCharacters(in: .newlines)
        let logKey = try s.logKey()
        for db in ["w1/witness.sqlite", "w2/witness.sqlite"] { try s.ok("witness", "add-log", logKey, "--db", db) }
        try s.write("cp.txt", try s.ok("checkpoint"))
        try s.write("c1.txt", try s.ok("witness", "cosign", "cp.txt", "--db", "w1/witness.sqlite"))
        try s.ok("cosignature", "trust", w1)
        try s.ok("cosignature", "trust", w2)
        try s.ok("cosignature", "add", "c1.txt")

        XCTAssertEqual(try s.verify("--witness", w1, "--witness", w2, "--quorum", "1").status, 0)
        let short = try s.verify("--witness", w1, "--witness", w2)
        XCTAssertEqual(short.status, 1)
        XCTAssertTrue(short.stderr.contains("checkpoint at size 3: 2 witness cosignatures required, 1 valid (w1.example/w)"), short.stderr)

        try s.write("c2.txt", try s.ok("witness", "cosign", "cp.txt", "--db", "w2/witness.sqlite"))
        try s.ok("cosignature", "add", "c2.txt")
        let both = try s.verify("--witness", w1, "--witness", w2, "--json")
        XCTAssertEqual(both.status, 0, both.stdout)
        XCTAssertTrue(both.stdout.contains(#""cosigned_by":["w1.example/w","w2.example/w"]"#), both.stdout)
        XCTAssertEqual(try s.verify("--witness", w1, "--quorum", "2").status, 2, "a quorum above the witnesses given is a usage error")
    }
}
