import Foundation
import XCTest

/// Corrections and responses the appender must refuse: exit 1, one line naming the field, and
/// the ledger byte-for-byte unchanged. `statement check` gives the same verdicts without a key.
final class CorrectionRefusalTests: XCTestCase {
    var s: Sandbox!
    var original: (seq: Int, leaf: String)!
    var retraction: (seq: Int, leaf: String)!
    let gov = "government-requests"

    // XCTest keeps every test case instance until the run ends, so drop the sandbox here or
    // its directory outlives the run.
    override func tearDown() { s = nil }

    override func setUpWithError() throws {
        s = try Sandbox()
        try s.setUp()                                               // seq 0
        try s.addSigner("bob")                                      // seq 1
        original = try s.add(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 100)]))   // seq 2
        let other = try s.add(statementJSON("whatsapp", gov, "2021-06-30"))                                                // seq 3
        retraction = try s.add(statementJSON("whatsapp", gov, "2021-06-30", supersedes: (other.seq, other.leaf, "retraction"), summary: "withdrawn"))
    }

    func refuse(_ json: String, as signer: String = "alice", _ fragment: String, line: UInt = #line) throws {
        try s.write("bad.json", json)
        let before = try s.fingerprint(), content = try s.contentFingerprint()
        // `statement check` (no key) refuses the file for the same reason when the signer is named.
        // It only reads; SQLite may leave an empty -wal behind, which the append then removes.
        let check = try s.ledger("statement", "check", "--signer", signer, "bad.json")
        XCTAssertEqual(check.status, 1, line: line)
        // `statement check` places a schema mistake at its line and column (`bad.json:1:70: …`).
        let placed = fragment.replacingOccurrences(of: #"^bad\.json: "#, with: "", options: .regularExpression)
        XCTAssertTrue(check.stderr.contains(fragment) || (check.stderr.contains("bad.json:1:") && check.stderr.contains(placed)),
                      "check: \(check.stderr)", line: line)
        XCTAssertEqual(try s.contentFingerprint(), content, "statement check changed the ledger", line: line)
        let r = try s.ledger("append", "--key", "keys/\(signer).key", "bad.json")
        XCTAssertEqual(r.status, 1, "expected a refusal: \(fragment)", line: line)
        XCTAssertTrue(r.stderr.contains(fragment), "expected '\(fragment)' in: \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr, line: line)
        XCTAssertEqual(r.stdout, "", line: line)
        XCTAssertEqual(try s.fingerprint(), before, "the ledger changed", line: line)
    }

    func amend(_ seq: Int, _ leaf: String, _ kind: String = "amendment", platform: String = "whatsapp", category: String = "government-requests") -> String {
        statementJSON(platform, category, "2020-06-30", quantities: [qty("requests-received", 90)], supersedes: (seq, leaf, kind))
    }

    func testSupersedingAMissingEntry() throws {
        try refuse(amend(999, original.leaf), "bad.json: supersedes.seq: must name an earlier entry; 999 is not before this entry's seq 5")
    }

    func testWrongLeafHash() throws {
        try refuse(amend(original.seq, String(repeating: "0", count: 64)),
                   "bad.json: supersedes.leaf_hash: is not the leaf hash of seq 2, which is \(original.leaf)")
    }

    func testADifferentSigner() throws {
        try refuse(amend(original.seq, original.leaf), as: "bob",
                   "bad.json: supersedes: seq 2 was signed by 'alice'; only 'alice' or the log key may supersede it, not 'bob'")
    }

    func testRetractionOfARetractionAndAmendingOne() throws {
        try refuse(amend(retraction.seq, retraction.leaf, "retraction"), "supersedes.kind: seq 4 is itself a retraction; a retraction cannot be retracted")
        try refuse(amend(retraction.seq, retraction.leaf), "supersedes.kind: seq 4 is a retraction, which is final; it cannot be amended")
    }

    func testOtherCarelessCorrections() throws {
        try refuse(amend(0, original.leaf), "supersedes.seq: seq 0 is a signer entry, not a statement")
        try refuse(amend(original.seq, original.leaf, platform: "telegram"), "platform: must be 'whatsapp', the platform of the superseded seq 2")
        try refuse(amend(original.seq, original.leaf, category: "advertising"), "category: must be 'government-requests', the category of the superseded seq 2")
        try s.add(amend(original.seq, original.leaf))                                                        // seq 5
        try refuse(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("requests-received", 95)], supersedes: (original.seq, original.leaf, "amendment")),
                   "supersedes.seq: seq 2 is already superseded by seq 5; supersede seq 5 instead")
    }

    func testResponseRefusals() throws {
        try refuse(responseJSON(original.seq, original.leaf, "endorsement"), as: "alice",
                   "target.seq: 'alice' signed seq 2; a signer cannot endorse or dispute its own statement")
        try refuse(responseJSON(original.seq, String(repeating: "a", count: 64), "dispute"), as: "bob", "target.leaf_hash: is not the leaf hash of seq 2")
        try refuse(responseJSON(77, original.leaf, "dispute"), as: "bob", "target.seq: must name an earlier entry")
        try refuse(responseJSON(original.seq, original.leaf, "applause"), as: "bob", "stance: must be \"endorsement\" or \"dispute\"")
        try s.add(responseJSON(original.seq, original.leaf, "dispute"), as: "bob")                           // seq 5
        try refuse(responseJSON(original.seq, original.leaf, "endorsement", reason: "changed my mind"), as: "bob",
                   "target.seq: 'bob' already responded to seq 2 at seq 5")
    }

    func testUnknownCategoryAndUnit() throws {
        try refuse(statementJSON("whatsapp", "gossip", "2020-06-30"), "bad.json: category: unknown category 'gossip'")
        try refuse(statementJSON("whatsapp", gov, "2020-06-30", quantities: [qty("kilobytes", 3)]), "bad.json: quantities[0].unit: unknown unit 'kilobytes'")
    }

    /// The template has the schema's shape (so each field can be checked as it is filled in),
    /// and check names the placeholder text still in it; the first real error of a file wins.
    func testStatementNewIsValidAndCheckNamesTheField() throws {
        let template = try s.ok("statement", "new", "--platform", "signal", "--category", "encryption")
        try s.write("new.json", template)
        let placeholder = try s.ledger("statement", "check", "new.json")
        XCTAssertEqual(placeholder.status, 1)
        XCTAssertEqual(placeholder.stderr, "ledger: new.json: summary: still holds the placeholder text of `ledger statement new`; write what the source says\n")
        let filled = template.replacingOccurrences(of: "One sentence in your words: what the platform says it hands over, to whom.", with: "Signal's own words.")
            .replacingOccurrences(of: "Who said it, e.g. the platform's press office", with: "Signal")
            .replacingOccurrences(of: "The exact words of the source, in its language.", with: "We have no data to give.")
            .replacingOccurrences(of: "https://example.org/transparency-report", with: "https://signal.org/bigbrother/")
            .replacingOccurrences(of: "Title of the source document", with: "Signal Government Communication")
            .replacingOccurrences(of: "When it happens, in the source's words", with: "if served with a valid subpoena")
        try s.write("filled.json", filled)
        XCTAssertTrue(try s.ok("statement", "check", "filled.json").hasPrefix("filled.json: ok: statement about signal, encryption"))
        try s.write("resp.json", try s.ok("statement", "new", "--response"))
        let r = try s.ledger("statement", "check", "resp.json")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("resp.json: reason: still holds the placeholder text"), r.stderr)
        try s.write("broken.json", filled.replacingOccurrences(of: "\"language\": \"en\"", with: "\"language\": \"EN\""))
        let before = try s.contentFingerprint()
        let broken = try s.ledger("statement", "check", "filled.json", "broken.json")
        XCTAssertEqual(broken.status, 1)
        XCTAssertTrue(broken.stdout.hasPrefix("filled.json: ok"))
        XCTAssertEqual(broken.stderr, "ledger: broken.json:26:15: language: must be a BCP 47 language tag such as \"en\", \"it\" or \"pt-BR\"\n")
        XCTAssertEqual(try s.contentFingerprint(), before)
    }
}
