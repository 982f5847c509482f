import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// The command line end to end, with OpenSSL and the sqlite3 CLI as independent checkers.
final class WorkflowTests: XCTestCase {
    func testInitKeygenSignerAppendListShowExportVerify() throws {
        let s = try Sandbox()
        let created = try s.ok("init", "--origin", "test.example/ledger")
        XCTAssertTrue(created.contains("test.example/ledger+"))
        let vkey = try s.ok("keygen", "alice").trimmingCharacters(in: .newlines)
        XCTAssertTrue(vkey.hasPrefix("alice+"))
        XCTAssertNoThrow(try NoteVerifierKey(parsing: vkey))
        let keyMode = try FileManager.default.attributesOfItem(atPath: s.path("keys/alice.key"))[.posixPermissions] as? Int
        XCTAssertEqual(keyMode, 0o600)
        XCTAssertTrue(try String(contentsOfFile: s.path("keys/alice.key"), encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        XCTAssertTrue(try String(contentsOfFile: s.path("keys/alice.pub"), encoding: .utf8).hasPrefix("-----BEGIN PUBLIC KEY-----"))
        try s.ok("signer", "add", "alice", "keys/alice.pub")

        try s.write("one.json", statementLine(1))
        try s.write("two.json", statementLine(2, platform: "whatsapp"))
        let appended = try s.ok("append", "--key", "keys/alice.key", "one.json", "two.json").split(separator: "\n")
        XCTAssertEqual(appended.count, 2)
        XCTAssertTrue(appended[0].hasPrefix("1 "), "seq 0 is the signer entry")
        XCTAssertEqual(appended[1].split(separator: " ")[1].count, 64)
        let bulk = try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(10..<20)).split(separator: "\n")
        XCTAssertEqual(bulk.first?.split(separator: " ").first, "3")
        XCTAssertEqual(bulk.count, 10)

        let list = try s.ok("list", "--platform", "whatsapp")
        XCTAssertEqual(list.split(separator: "\n").count, 2, list)
        XCTAssertTrue(list.contains("whatsapp\tthird-party-sharing\t2019-03-14"))
        let show = try s.ok("show", "2")
        XCTAssertTrue(show.hasPrefix("seq 2  statement  signed by alice  "), show)
        XCTAssertTrue(show.contains("whatsapp, third-party-sharing, published 2019-03-14"), show)
        XCTAssertTrue(show.contains("leaf hash: \(appended[1].split(separator: " ")[1])"))
        let card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try s.ok("show", "2", "--json").utf8)) as? [String: Any])
        XCTAssertEqual((card["body"] as? [String: Any])?["platform"] as? String, "whatsapp")
        XCTAssertEqual(card["leaf_hash"] as? String, String(appended[1].split(separator: " ")[1]).trimmingCharacters(in: .whitespacesAndNewlines))

        let verify = try s.verify()
        XCTAssertEqual(verify.status, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("ok: ledger/ledger.sqlite: 13 entries"), verify.stdout)
        let json = try s.verify("--json")
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["status"] as? String, "ok")
        XCTAssertEqual(report["size"] as? Int, 13)
        XCTAssertEqual(report["signers"] as? [String], ["alice"])

        // The latest checkpoint names the same root as the audit, and the sqlite3 CLI reads the file.
        let checkpoint = try s.ok("checkpoint")
        XCTAssertTrue(checkpoint.hasPrefix("test.example/ledger\n13\n\(report["root"] as! String)\n\n\u{2014} test.example/ledger "), checkpoint)
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM entries").stdout, "13\n")
        XCTAssertEqual(try s.sqlite("SELECT platform FROM entries WHERE seq = 2").stdout, "whatsapp\n")
        XCTAssertEqual(try s.sqlite("PRAGMA journal_mode").stdout, "wal\n")
        let leafs = try s.ok("export").split(separator: "\n")
        XCTAssertEqual(leafs.count, 13)
        XCTAssertEqual(try s.ok("export", "--from", "2", "--to", "3").split(separator: "\n").count, 2)
    }

    /// FORMAT.md §Signatures by hand: a statement signature from `ledger export` checks with
    /// `openssl pkeyutl -verify -rawin` and the signer's .pub, with no code of ours involved.
    func testExportedSignatureVerifiesWithOpenSSLPkeyutl() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("one.json", statementLine(1))
        try s.ok("append", "--key", "keys/alice.key", "one.json")
        let leaf = try XCTUnwrap(try s.ok("export", "--from", "1", "--to", "1").split(separator: "\n").first)
        let entry = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(leaf.utf8)) as? [String: Any])
        let body = try XCTUnwrap(try s.ok("export", "--bodies", "--from", "1", "--to", "1").split(separator: "\n").first)

        // The body digest in the entry is the SHA-256 of the exported canonical body (sha256sum agrees).
        try s.write("body.json", String(body))
        let sum = try s.run("/usr/bin/sha256sum", ["body.json"]).stdout.prefix(64)
        XCTAssertEqual(String(sum), entry["body_sha256"] as? String)

        let message = Data("disclosure-ledger/v1 statement\n".utf8) + Data(try XCTUnwrap(Hex.decode(entry["body_sha256"] as! String)))
        try message.write(to: URL(fileURLWithPath: s.path("msg.bin")))
        try Data(try XCTUnwrap(Base64.decode(entry["sig"] as! String))).write(to: URL(fileURLWithPath: s.path("sig.bin")))
        let good = try s.run("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "keys/alice.pub", "-rawin", "-in", "msg.bin", "-sigfile", "sig.bin"])
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("Signature Verified Successfully"))

        // And OpenSSL refuses it for another kind's context, or under another key.
        try (Data("disclosure-ledger/v1 signer\n".utf8) + message.suffix(32)).write(to: URL(fileURLWithPath: s.path("other.bin")))
        XCTAssertNotEqual(try s.run("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "keys/alice.pub", "-rawin", "-in", "other.bin", "-sigfile", "sig.bin"]).status, 0)
        XCTAssertNotEqual(try s.run("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", "keys/log.pub", "-rawin", "-in", "msg.bin", "-sigfile", "sig.bin"]).status, 0)
    }

    /// Keys made by OpenSSL itself work, and OpenSSL reads ours.
    func testOpenSSLKeysInteroperate() throws {
        let s = try Sandbox()
        try s.ok("init")
        let gen = try s.run("/usr/bin/openssl", ["genpkey", "-algorithm", "ed25519", "-out", "keys/bob.key"])
        XCTAssertEqual(gen.status, 0, gen.stderr)
        chmod(s.path("keys/bob.key"), 0o600)
        XCTAssertEqual(try s.run("/usr/bin/openssl", ["pkey", "-in", "keys/bob.key", "-pubout", "-out", "keys/bob.pub"]).status, 0)
        try s.ok("signer", "add", "bob", "keys/bob.pub")
        try s.write("one.json", statementLine(1))
        try s.ok("append", "--key", "keys/bob.key", "one.json")
        XCTAssertEqual(try s.run("/usr/bin/openssl", ["pkey", "-in", "keys/log.key", "-noout"]).status, 0)
        XCTAssertEqual(try s.verify().status, 0)
    }

    func testPrivateKeyReadableByOthersIsRefused() throws {
        let s = try Sandbox()
        try s.setUp()
        chmod(s.path("keys/alice.key"), 0o644)
        try s.write("one.json", statementLine(1))
        let before = try s.fingerprint()
        let r = try s.ledger("append", "--key", "keys/alice.key", "one.json")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("keys/alice.key is readable by group or others (mode 644); run: chmod 600 keys/alice.key"), r.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
    }

    func testRevokedSignerIsRefusedButItsEarlierEntriesStayValid() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("one.json", statementLine(1))
        try s.write("two.json", statementLine(2))
        try s.ok("append", "--key", "keys/alice.key", "one.json")
        try s.ok("signer", "revoke", "alice")
        let before = try s.fingerprint()
        let r = try s.ledger("append", "--key", "keys/alice.key", "two.json")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("not the key of a registered signer"), r.stderr)
        XCTAssertEqual(try s.fingerprint(), before)
        XCTAssertEqual(try s.verify().status, 0)
        XCTAssertEqual(try s.ok("signer", "list"), "")
        // A new key under the same name after revocation is a rotation.
        try FileManager.default.removeItem(atPath: s.path("keys/alice.key"))
        try FileManager.default.removeItem(atPath: s.path("keys/alice.pub"))
        try s.ok("keygen", "alice")
        try s.ok("signer", "add", "alice", "keys/alice.pub")
        try s.ok("append", "--key", "keys/alice.key", "two.json")
        XCTAssertEqual(try s.verify().status, 0)
    }

    func testWithheldBodyKeepsTheLedgerVerifying() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("one.json", statementLine(1))
        try s.ok("append", "--key", "keys/alice.key", "one.json")
        let rootBefore = try s.ok("export", "--from", "1", "--to", "1")
        try s.ok("withhold", "1", "--reason", "court order 2026/123")
        XCTAssertTrue(try s.ok("show", "1").contains("body withheld by a signed notice"))
        XCTAssertEqual(try s.ok("export", "--from", "1", "--to", "1"), rootBefore, "the leaf is unchanged")
        XCTAssertEqual(try s.ok("export", "--bodies", "--from", "1", "--to", "1"), "null\n")
        let r = try s.verify()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("withheld bodies (signed notices): seq 1"), r.stdout)
        // The trigger refuses deleting a body without a notice.
        try s.write("two.json", statementLine(2))
        try s.ok("append", "--key", "keys/alice.key", "two.json")
        let del = try s.run("/usr/bin/sqlite3", [s.ledgerPath, "DELETE FROM bodies WHERE body LIKE '%number 2%'"])
        XCTAssertNotEqual(del.status, 0)
        XCTAssertTrue(del.stderr.contains("a body is removed only by a withhold notice"), del.stderr)
    }

    func testDemoIsRepeatableAndVerifies() throws {
        let s = try Sandbox()
        try s.write("ledger/statements/a.json", statementLine(1))
        try s.write("ledger/statements/b.json", statementLine(2, platform: "signal"))
        let first = try s.ok("demo")
        XCTAssertTrue(first.contains("2 new, 0 already in the ledger"), first)
        XCTAssertTrue(first.contains("verified: 3 entries"), first)
        let second = try s.ok("demo")
        XCTAssertTrue(second.contains("0 new, 2 already in the ledger"), second)
        XCTAssertEqual(try s.verify().status, 0)
    }
}
