import Foundation
import LedgerCore
import XCTest

/// JSON on request from every listing command, in the shapes the API gives: a program reading
/// `ledger show --json`, `list --json`, `find --json` or `signer list --json` reads what
/// `GET /v1/entries…` and `GET /v1/signers` answer, byte for byte.
final class JSONOnRequestTests: XCTestCase {
    func testListingCommandsSpeakTheAPIsJSON() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("a.json", statementLine(1))
        try s.write("b.json", statementLine(2))
        try s.write("c.json", statementLine(3))
        try s.ok("append", "--key", "keys/alice.key", "a.json", "b.json")
        let server = try ServeProcess(s)
        defer { server.stop() }
        func api(_ path: String) throws -> JSONValue {
            let r = try s.run("/usr/bin/curl", ["-sS", server.base + path])
            XCTAssertEqual(r.status, 0, r.stderr)
            return try JSONParser.parse(Array(r.stdout.utf8))
        }

        XCTAssertEqual(try s.ok("show", "1", "--json"), CanonicalJSON.string(try api("/v1/entries/1")) + "\n")

        // Every entry, one per line, as the API's listing holds them.
        let lines = try s.ok("list", "--json").split(separator: "\n").map(String.init)
        guard case .array(let entries)? = try api("/v1/entries?limit=1000")["entries"] else { return XCTFail("no entries") }
        XCTAssertEqual(lines, entries.map(CanonicalJSON.string))
        XCTAssertEqual(lines.count, 3, "the signer event and two statements")
        let filtered = try s.ok("list", "--json", "--platform", "telegram").split(separator: "\n")
        XCTAssertEqual(filtered.count, 2)

        XCTAssertEqual(try s.ok("signer", "list", "--json"), CanonicalJSON.string(try api("/v1/signers")) + "\n")

        let found = try s.ledger("find", "--json", "b.json", "c.json")
        XCTAssertEqual(found.status, 1, "c.json is not in the ledger")
        let answers = try found.stdout.split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
        XCTAssertEqual(answers.count, 2)
        XCTAssertEqual(answers[0]["file"], .string("b.json"))
        XCTAssertEqual(answers[0]["entry"], try api("/v1/entries/2"))
        XCTAssertEqual(answers[1]["entry"], .null)
        XCTAssertEqual(answers[1]["body_sha256"]?.stringValue?.count, 64)
    }
}

private extension JSONValue {
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
}
