import Foundation
import LedgerCore
import LedgerCrypto
@testable import LedgerStorage
import LedgerVerifier
import XCTest

/// A real SQLite ledger driven through the storage API in-process: what the appender refuses,
/// and what the audit finds when a rogue writer forces it in anyway.
final class ForcedEntryTests: XCTestCase {
    var dir: URL!
    var store: LedgerStore!
    var logKey: Ed25519PrivateKey!

    override func setUpWithError() throws {
        let scratch = try ScratchLedger("storage")
        (dir, store, logKey) = (scratch.dir, scratch.store, scratch.logKey)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func statement(_ i: Int) throws -> Body { try Self.statement(i) }

    static func statement(_ i: Int) throws -> Body {
        try Body(parsing: Array(#"{"schema":"disclosure-statement/v1","platform":"p\#(i % 3)","category":"encryption","effective_date":"2020-01-01","source":{"url":"https://example.org/\#(i)","retrieved_at":"2020-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"},"quote":"q\#(i)","language":"en"}"#.utf8))
    }

    func register(_ name: String, _ key: Ed25519PrivateKey) throws {
        let body = try Body(value: SignerEvent(action: .add, name: name, publicKey: key.publicKey.raw).json)
        try store.append([try PendingEntry.sign(body, origin: .generated(name), signer: "log", key: logKey)], logKey: logKey)
    }

    func audit() throws -> VerificationReport { try LedgerAudit(store: store, logKey: store.logKey).run() }

    func testUnregisteredSignerIsRefusedAtAppendAndFlaggedIfForcedIn() throws {
        let mallory = try Ed25519PrivateKey.generate()
        let pending = try PendingEntry.sign(try statement(1), origin: .generated("forged"), signer: "mallory", key: mallory)
        XCTAssertThrowsError(try store.append([pending], logKey: logKey)) {
            XCTAssertEqual("\($0)", "forged: signer 'mallory' is not registered")
        }
        XCTAssertEqual(try store.size(), 0)
        try store.append([pending], logKey: logKey, policy: .unchecked, clock: Timestamp.now)
        XCTAssertThrowsError(try audit()) {
            XCTAssertEqual("\($0)", "seq 0: signer 'mallory' may not sign here: signer 'mallory' is not registered")
        }
    }

    func testRevokedSignerIsRefusedAtAppendAndFlaggedIfForcedIn() throws {
        let bob = try Ed25519PrivateKey.generate()
        try register("bob", bob)
        try store.append([try PendingEntry.sign(try statement(1), origin: .generated("s1"), signer: "bob", key: bob)], logKey: logKey)
        let revoke = try Body(value: SignerEvent(action: .revoke, name: "bob", publicKey: bob.publicKey.raw).json)
        try store.append([try PendingEntry.sign(revoke, origin: .generated("revoke"), signer: "log", key: logKey)], logKey: logKey)
        XCTAssertEqual(try audit().size, 3)
        let late = try PendingEntry.sign(try statement(2), origin: .generated("late"), signer: "bob", key: bob)
        XCTAssertThrowsError(try store.append([late], logKey: logKey)) { XCTAssertEqual("\($0)", "late: signer 'bob' was revoked at seq 2") }
        try store.append([late], logKey: logKey, policy: .unchecked, clock: Timestamp.now)
        XCTAssertThrowsError(try audit()) { XCTAssertEqual("\($0)", "seq 3: signer 'bob' may not sign here: signer 'bob' was revoked at seq 2") }
    }

    func testSignerClaimingAnotherSignersNameIsRefused() throws {
        let alice = try Ed25519PrivateKey.generate(), eve = try Ed25519PrivateKey.generate()
        try register("alice", alice)
        let spoof = try PendingEntry.sign(try statement(1), origin: .generated("spoof"), signer: "alice", key: eve)
        XCTAssertThrowsError(try store.append([spoof], logKey: logKey)) { XCTAssertTrue("\($0)".contains("not the registered key of signer 'alice'")) }
        try store.append([spoof], logKey: logKey, policy: .unchecked, clock: Timestamp.now)
        XCTAssertThrowsError(try audit()) { XCTAssertEqual("\($0)", "seq 1: the signature by 'alice' does not verify") }
    }

    /// A statement dated after its entry's day: refused at append, an integrity failure if
    /// forced in (the audit holds every date against the signed entry time, not the clock).
    func testFutureDatedStatementIsRefusedAndFlaggedIfForcedIn() throws {
        let alice = try Ed25519PrivateKey.generate()
        let clock = { Timestamp("2020-01-01T10:00:00Z")! }
        let add = try Body(value: SignerEvent(action: .add, name: "alice", publicKey: alice.publicKey.raw).json)
        try store.append([try PendingEntry.sign(add, origin: .generated("alice"), signer: "log", key: logKey)], logKey: logKey, policy: .enforceKeyHistory, clock: clock)
        let text = String(decoding: try statement(1).canonical, as: UTF8.self).replacingOccurrences(of: "\"2020-01-01\"", with: "\"2020-01-03\"")
        let pending = try PendingEntry.sign(try Body(parsing: Array(text.utf8)), origin: .generated("early"), signer: "alice", key: alice)
        XCTAssertThrowsError(try store.append([pending], logKey: logKey, policy: .enforceKeyHistory, clock: clock)) {
            XCTAssertEqual("\($0)", "early: effective_date: 2020-01-03 is in the future (after 2020-01-02, the day after the entry's time 2020-01-01T10:00:00Z)")
        }
        XCTAssertEqual(try store.size(), 1)
        try store.append([pending], logKey: logKey, policy: .unchecked, clock: clock)
        XCTAssertThrowsError(try audit()) { XCTAssertTrue("\($0)".hasPrefix("seq 1: statement body: effective_date: 2020-01-03 is in the future"), "\($0)") }
    }

    /// A small-order key (signatures verify without a private key) cannot be registered, and a
    /// registration forced in is an integrity failure at that seq.
    func testWeakSignerKeyIsRefusedAndFlaggedIfForcedIn() throws {
        let identity = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let body = try Body(value: SignerEvent(action: .add, name: "weak", publicKey: identity).json)
        let pending = try PendingEntry.sign(body, origin: .generated("weak"), signer: "log", key: logKey)
        XCTAssertThrowsError(try store.append([pending], logKey: logKey)) {
            XCTAssertTrue("\($0)".contains("the key registered for 'weak' is not a valid Ed25519 public key: it is a point of small order"), "\($0)")
        }
        XCTAssertEqual(try store.size(), 0)
        try store.append([pending], logKey: logKey, policy: .unchecked, clock: Timestamp.now)
        XCTAssertThrowsError(try audit()) { XCTAssertTrue("\($0)".hasPrefix("seq 0: "), "\($0)"); XCTAssertTrue("\($0)".contains("small order"), "\($0)") }
    }

    /// One notice per statement: a second one, forced in past the appender, has no withheld row.
    func testASecondWithholdNoticeIsFlagged() throws {
        let alice = try Ed25519PrivateKey.generate()
        try register("alice", alice)
        let body = try statement(1)
        try store.append([try PendingEntry.sign(body, origin: .generated("s1"), signer: "alice", key: alice)], logKey: logKey)
        try store.withhold(seq: 1, reason: "court order", logKey: logKey)
        XCTAssertEqual(try audit().withheld, [1])
        XCTAssertThrowsError(try store.withhold(seq: 1, reason: "again", logKey: logKey)) { XCTAssertTrue("\($0)".contains("already withheld"), "\($0)") }
        let second = try Body(value: WithholdNotice(seq: 1, bodySHA256: body.sha256, reason: "again").json)
        try store.append([try PendingEntry.sign(second, origin: .generated("second"), signer: "log", key: logKey)], logKey: logKey, policy: .unchecked, clock: Timestamp.now)
        XCTAssertThrowsError(try audit()) {
            XCTAssertEqual("\($0)", "seq 3: the withhold notice for seq 1 has no withheld row of its own (a second notice, or one written behind the ledger's back)")
        }
    }

    func testOfflineSignatureIsCheckedBeforeItCanBeAppended() throws {
        let alice = try Ed25519PrivateKey.generate()
        let body = try statement(1)
        var sig = try alice.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256))
        XCTAssertNoThrow(try PendingEntry.verified(body, origin: .generated("ok"), signer: "alice", key: alice.publicKey, signature: sig))
        sig[0] ^= 1
        XCTAssertThrowsError(try PendingEntry.verified(body, origin: .generated("bad"), signer: "alice", key: alice.publicKey, signature: sig))
    }

    func testAppendingWithAnotherLogKeyIsRefused() throws {
        let alice = try Ed25519PrivateKey.generate()
        let other = try Ed25519PrivateKey.generate()
        let body = try Body(value: SignerEvent(action: .add, name: "alice", publicKey: alice.publicKey.raw).json)
        XCTAssertThrowsError(try store.append([try PendingEntry.sign(body, origin: .generated("x"), signer: "log", key: other)], logKey: other))
        XCTAssertEqual(try store.size(), 0)
    }

    /// Threads appending at once through separate connections serialise into one chain.
    func testConcurrentAppendsFromManyConnections() throws {
        let alice = try Ed25519PrivateKey.generate()
        try register("alice", alice)
        let path = store.path
        let logKey: Ed25519PrivateKey = self.logKey
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let own = try LedgerStore(path: path)
                for batch in 0..<10 {
                    let items = try (0..<5).map { i in
                        try PendingEntry.sign(try Self.statement(worker * 1000 + batch * 10 + i), origin: .generated("w\(worker)"), signer: "alice", key: alice)
                    }
                    try own.append(items, logKey: logKey)
                }
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.values, [])
        let report = try audit()
        XCTAssertEqual(report.size, 201)
        XCTAssertEqual(report.checkpointsChecked, 42)
        XCTAssertEqual(try store.root(size: 201), report.root)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var values: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
