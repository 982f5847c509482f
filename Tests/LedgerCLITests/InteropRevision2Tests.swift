import Foundation
import XCTest

/// Revision 2 entries (corrections and `response` entries, FORMAT.md §5a, §6) checked by the
/// independent Python implementation: the new signature context is exactly what FORMAT.md says.
final class InteropRevision2Tests: XCTestCase {
    func testCorrectionsAndResponsesVerifyIndependently() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.addSigner("bob")
        let first = try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 0)]))
        try s.add(statementJSON("telegram", "third-party-sharing", "2019-03-14", quantities: [qty("bytes", 1)],
                                supersedes: (first.seq, first.leaf, "amendment")))
        try s.add(responseJSON(first.seq, first.leaf, "dispute"), as: "bob")
        try s.write("leaves.jsonl", try s.ok("export"))
        try s.write("bodies.jsonl", try s.ok("export", "--bodies"))
        let r = try s.run("/usr/bin/env", ["python3", InteropTests.script, "signatures", "leaves.jsonl", "bodies.jsonl", "keys"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "5 entries checked, 0 bodies withheld\n")
        XCTAssertTrue(try s.ok("export", "--from", "4", "--to", "4").contains(#""kind":"response""#))
    }
}
