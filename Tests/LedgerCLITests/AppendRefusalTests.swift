import Foundation
import XCTest

/// Bad input to `ledger append`: each case exits 1 with a one-line error naming what is wrong,
/// and the ledger file is byte-for-byte unchanged.
final class AppendRefusalTests: XCTestCase {
    var s: Sandbox!

    // XCTest keeps every test case instance until the run ends, so drop the sandbox here or
    // its directory outlives the run.
    override func tearDown() { s = nil }

    override func setUpWithError() throws {
        s = try Sandbox()
        try s.setUp()
        try s.write("existing.json", statementLine(1))
        try s.ok("append", "--key", "keys/alice.key", "existing.json")
    }

    func refuse(file contents: [UInt8], _ fragment: String, key: String = "keys/alice.key", line: UInt = #line) throws {
        try Data(contents).write(to: URL(fileURLWithPath: s.path("input.json")))
        try refuse(["append", "--key", key, "input.json"], fragment, line: line)
    }

    func refuse(_ args: [String], stdin: Data? = nil, _ fragment: String, line: UInt = #line) throws {
        let before = try s.fingerprint()
        let r = try s.run("ledger", args, stdin: stdin)
        XCTAssertEqual(r.status, 1, "expected refusal for \(fragment)", line: line)
        XCTAssertTrue(r.stderr.contains(fragment), "expected '\(fragment)' in: \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", line: line)
        XCTAssertEqual(r.stdout, "", line: line)
        XCTAssertEqual(try s.fingerprint(), before, "the ledger changed", line: line)
    }

    func text(_ t: String) -> [UInt8] { Array(t.utf8) }
    func edited(_ from: String, _ to: String) -> [UInt8] { text(statementLine(5).replacingOccurrences(of: from, with: to)) }

    func testMalformedAndTruncatedJSON() throws {
        try refuse(file: text("{\"schema\":"), "input.json: invalid JSON: schema: the document ends in the middle of a value")
        try refuse(file: text(String(statementLine(5).prefix(100))), "input.json: invalid JSON")
        try refuse(file: [], "input.json: invalid JSON: the document is empty")
        try refuse(file: text("[1,2]"), "schema: is required")
        try refuse(file: text(statementLine(5) + "{}"), "unexpected data after the JSON value")
    }

    func testUnknownFieldsFloatsDuplicatesAndTypes() throws {
        try refuse(file: edited("\"language\":\"en\"", "\"language\":\"en\",\"colour\":\"blue\""), "input.json: colour: is not a field of this schema")
        try refuse(file: edited("\"value\":5", "\"value\":5.0"), "input.json: invalid JSON: quantities[0].value: floating-point numbers are not allowed")
        try refuse(file: edited("\"value\":5", "\"value\":5e0"), "floating-point numbers are not allowed")
        try refuse(file: edited("\"language\":\"en\"", "\"language\":\"en\",\"language\":\"it\""), "language: duplicate key")
        try refuse(file: edited("\"value\":5", "\"value\":\"5\""), "quantities[0].value: must be an integer, found a string")
        try refuse(file: edited("\"value\":5", "\"value\":9007199254740992"), "quantities[0].value: integer out of range")
    }

    func testVocabularyAndFieldRules() throws {
        try refuse(file: edited("third-party-sharing", "gossip"), "category: unknown category 'gossip'")
        try refuse(file: edited("\"unit\":\"bytes\"", "\"unit\":\"kilobytes\""), "quantities[0].unit: unknown unit 'kilobytes'")
        try refuse(file: edited("2019-03-14\"", "2019-02-30\""), "effective_date: must be a date like 2019-03-14")
        try refuse(file: edited("https://example.org", "javascript:alert(1)//example.org"), "source.url: must be an http:// or https:// URL")
        try refuse(file: edited(",\"quote\":\"statement number 5\"", ""), "quote: is required")
        try refuse(file: edited("\"platform\":\"telegram\"", "\"platform\":\"Telegram Inc\""), "platform: must be 1-64 characters")
    }

    func testInvalidUTF8AndOversize() throws {
        var bytes = text(statementLine(5))
        bytes.insert(contentsOf: [0xC3, 0x28], at: bytes.count - 30)
        try refuse(file: bytes, "invalid UTF-8")
        try refuse(file: text(statementLine(5).replacingOccurrences(of: "statement number 5", with: String(repeating: "x", count: 70_000))),
                   "document is 70")
    }

    func testReplaysAndDuplicates() throws {
        try refuse(file: text(statementLine(1)), "input.json: this statement is already in the ledger at seq 1 (replay refused)")
        // Another spelling of the same statement is the same statement.
        try refuse(file: text(statementLine(1).replacingOccurrences(of: ",", with: ", ")), "already in the ledger at seq 1")
        try refuse(["append", "--key", "keys/alice.key"], stdin: Data((statementLine(7) + "\n" + statementLine(7) + "\n").utf8),
                   "stdin line 2: the same statement appears twice in this input (also stdin line 1)")
    }

    func testOneBadLineInABulkImportWritesNothing() throws {
        var lines = (10..<15).map { statementLine($0) }
        lines[2] = lines[2].replacingOccurrences(of: "\"value\":12", with: "\"value\":1.2")
        try refuse(["append", "--key", "keys/alice.key"], stdin: Data(lines.joined(separator: "\n").utf8), "stdin line 3: invalid JSON: quantities[0].value: floating-point")
        try refuse(["append", "--key", "keys/alice.key"], stdin: Data("\n\n".utf8), "no statements given")
    }

    func testKeysThatMayNotSign() throws {
        try s.ok("keygen", "mallory")
        try refuse(file: text(statementLine(5)), "keys/mallory.key is not the key of a registered signer", key: "keys/mallory.key")
        try refuse(file: text(statementLine(5)), "cannot read private key keys/nobody.key", key: "keys/nobody.key")
        let rsa = try s.run("/usr/bin/openssl", ["genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "keys/rsa.key"])
        XCTAssertEqual(rsa.status, 0)
        chmod(s.path("keys/rsa.key"), 0o600)
        try refuse(file: text(statementLine(5)), "keys/rsa.key is not an Ed25519 key", key: "keys/rsa.key")
        try s.write("keys/garbage.key", "not a key")
        chmod(s.path("keys/garbage.key"), 0o600)
        try refuse(file: text(statementLine(5)), "keys/garbage.key is not a PEM-encoded key", key: "keys/garbage.key")
        // A statement document is not a key event, and vice versa.
        try refuse(file: text(#"{"schema":"disclosure-signer/v1","action":"add","name":"eve","public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}"#),
                   "a signer document cannot be appended as a statement")
        try refuse(["append", "--key", "keys/alice.key", "missing.json"], "cannot read missing.json")
    }

    func testWrongLogKeyIsRefused() throws {
        try FileManager.default.removeItem(atPath: s.path("keys/log.key"))
        try FileManager.default.copyItem(atPath: s.path("keys/alice.key"), toPath: s.path("keys/log.key"))
        try refuse(file: text(statementLine(5)), "keys/log.key is not the log key of ledger/ledger.sqlite")
    }

    func testSignerCommandRefusals() throws {
        try refuse(["signer", "add", "alice", "keys/alice.pub"], "signer 'alice' is already registered")
        try s.ok("keygen", "bob")
        try refuse(["signer", "add", "bob", "keys/alice.pub"], "this public key is already registered as 'alice'")
        try refuse(["signer", "add", "log", "keys/bob.pub"], "'log' is not a usable signer name")
        try refuse(["signer", "revoke", "carol"], "signer 'carol' is not registered")
        try refuse(["withhold", "0", "--reason", "x"], "cannot withhold seq 0: only statements and archived pages can be withheld")
        try refuse(["withhold", "99", "--reason", "x"], "there is no entry with seq 99")
        try refuse(["init"], "ledger/ledger.sqlite already exists; it is left as it is")
    }
}
