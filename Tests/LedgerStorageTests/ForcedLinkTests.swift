import Foundation
import GRDB
import LedgerCore
import LedgerCrypto
@testable import LedgerStorage
import LedgerVerifier
import XCTest

/// Corrections and responses a rogue writer forces past the appender's rules: the audit must
/// name the entry and the rule, as it does for bad signatures.
final class ForcedLinkTests: XCTestCase {
    var dir: URL!
    var store: LedgerStore!
    var logKey: Ed25519PrivateKey!
    var alice: Ed25519PrivateKey!
    var bob: Ed25519PrivateKey!
    var target: Appended!

    override func setUpWithError() throws {
        let scratch = try ScratchLedger("links")
        (dir, store, logKey) = (scratch.dir, scratch.store, scratch.logKey)
        alice = try Ed25519PrivateKey.generate()
        bob = try Ed25519PrivateKey.generate()
        for (name, key) in [("alice", alice!), ("bob", bob!)] {
            let body = try Body(value: SignerEvent(action: .add, name: name, publicKey: key.publicKey.raw).json)
            try store.append([try PendingEntry.sign(body, origin: .generated(name), signer: "log", key: logKey)], logKey: logKey)
        }
        target = try append(statement(value: 100), signer: "alice", key: alice)           // seq 2
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func statement(value: Int, supersedes: (Int64, Digest, String)? = nil) throws -> Body {
        let sup = supersedes.map { #","supersedes":{"seq":\#($0.0),"leaf_hash":"\#($0.1.hex)","kind":"\#($0.2)"}"# } ?? ""
        return try Body(parsing: Array(#"{"schema":"disclosure-statement/v1","platform":"wa","category":"government-requests","quantities":[{"unit":"requests-complied","value":\#(value)}],"effective_date":"2020-01-01","source":{"url":"https://example.org/\#(value)","retrieved_at":"2020-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"},"quote":"q\#(value)","language":"en"\#(sup)}"#.utf8))
    }

    func response(_ seq: Int64, _ leaf: Digest, _ stance: String) throws -> Body {
        try Body(parsing: Array(#"{"schema":"disclosure-response/v1","target":{"seq":\#(seq),"leaf_hash":"\#(leaf.hex)"},"stance":"\#(stance)","reason":"r","source":{"url":"https://example.org/r","retrieved_at":"2020-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"},"language":"en"}"#.utf8))
    }

    @discardableResult
    func append(_ body: Body, signer: String, key: Ed25519PrivateKey, policy: AppendPolicy = .enforceKeyHistory) throws -> Appended {
        try store.append([try PendingEntry.sign(body, origin: .generated("item"), signer: signer, key: key)], logKey: logKey, policy: policy, clock: Timestamp.now)[0]
    }

    func auditFailure() -> String {
        do {
            let report = try LedgerAudit(store: store, logKey: store.logKey).run()
            return "clean: \(report.size) entries"
        } catch {
            return "\(error)"
        }
    }

    /// Refused by the appender with `message`, then forced in and flagged by the audit.
    func forced(_ body: Body, signer: String, key: Ed25519PrivateKey, _ message: String, line: UInt = #line) throws {
        XCTAssertThrowsError(try append(body, signer: signer, key: key), line: line) {
            XCTAssertTrue("\($0)".hasSuffix(message), "\($0)", line: line)
        }
        let seq = try store.size()
        try append(body, signer: signer, key: key, policy: .unchecked)
        let kind = body.link.map { $0.kind.rawValue } ?? ""
        XCTAssertEqual(auditFailure(), "seq \(seq): invalid \(kind): \(message)", line: line)
    }

    func testAValidCorrectionChainAndResponsesAuditClean() throws {
        let amended = try append(statement(value: 90, supersedes: (2, target.leafHash, "amendment")), signer: "alice", key: alice)
        try append(statement(value: 80, supersedes: (amended.seq, amended.leafHash, "retraction")), signer: "log", key: logKey)
        try append(response(2, target.leafHash, "dispute"), signer: "bob", key: bob)
        XCTAssertEqual(auditFailure(), "clean: 6 entries")
    }

    func testWrongLeafHash() throws {
        try forced(statement(value: 90, supersedes: (2, Digest.zero, "amendment")), signer: "alice", key: alice,
                   "supersedes.leaf_hash: is not the leaf hash of seq 2, which is \(target.leafHash.hex)")
    }

    func testSupersededByAnotherSigner() throws {
        try forced(statement(value: 90, supersedes: (2, target.leafHash, "amendment")), signer: "bob", key: bob,
                   "supersedes: seq 2 was signed by 'alice'; only 'alice' or the log key may supersede it, not 'bob'")
    }

    func testRetractionOfARetraction() throws {
        let retraction = try append(statement(value: 1, supersedes: (2, target.leafHash, "retraction")), signer: "alice", key: alice)
        try forced(statement(value: 2, supersedes: (retraction.seq, retraction.leafHash, "retraction")), signer: "alice", key: alice,
                   "supersedes.kind: seq 3 is itself a retraction; a retraction cannot be retracted")
    }

    func testMissingTargetAndSelfEndorsement() throws {
        try forced(statement(value: 5, supersedes: (40, target.leafHash, "amendment")), signer: "alice", key: alice,
                   "supersedes.seq: must name an earlier entry; 40 is not before this entry's seq 3")
        try? FileManager.default.removeItem(at: dir)
        try setUpWithError()
        try forced(response(2, target.leafHash, "endorsement"), signer: "alice", key: alice,
                   "target.seq: 'alice' signed seq 2; a signer cannot endorse or dispute its own statement")
    }

    func testDerivedRowsWrittenBehindTheLedgersBack() throws {
        try append(statement(value: 0), signer: "alice", key: alice)                       // seq 3, a zero claim
        XCTAssertEqual(auditFailure(), "clean: 4 entries")
        let queue = try DatabaseQueue(path: store.path)
        try queue.write { db in try db.execute(sql: "INSERT INTO links(seq, target, kind, signer) VALUES (2, 0, 'dispute', 'alice')") }
        XCTAssertEqual(auditFailure(), "seq 2: the links row disagrees with the signed body")
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER links_no_delete; DELETE FROM links; DROP TRIGGER zero_claims_no_delete; DELETE FROM zero_claims")
        }
        XCTAssertEqual(auditFailure(), "seq 3: the zero_claims row disagrees with the signed body")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO zero_claims(seq, platform, effective_date, scopes) VALUES (3, 'wa', '2020-01-01', ''), (99, 'x', '2020-01-01', '')")
        }
        XCTAssertTrue(auditFailure().hasPrefix("ledger: the zero_claims table holds 2 rows, but the signed bodies account for 1"), auditFailure())
        try queue.close()
    }
}
