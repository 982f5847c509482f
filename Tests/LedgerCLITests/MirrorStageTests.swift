import Foundation
import LedgerCore
@testable import LedgerMirror
import LedgerStorage
import LedgerVerifier
import XCTest

/// The mirror's stages in process, against a real source served on 127.0.0.1: the extension
/// check (up to date, extends, fork, rollback), the fetch-and-check stages in order, the commit
/// stage, and what a failure while committing is taken to mean.
final class MirrorStageTests: XCTestCase {
    func open(_ copy: Sandbox, _ server: ServeProcess, logKey: String) throws -> Mirror {
        try Mirror.open(path: copy.ledgerPath, client: try SourceClient.connect(base: server.base), pinned: try NoteVerifierKey(parsing: logKey))
    }

    func testExtensionCheckThenFetchCheckAndCommitStages() throws {
        let s = try source(0..<40)   // signer at 0, statements 1...40, checkpoints every 7
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        defer { server.stop() }
        let copy = try Sandbox()
        try FileManager.default.createDirectory(atPath: copy.path("ledger"), withIntermediateDirectories: true)
        let mirror = try open(copy, server, logKey: logKey)
        mirror.batchSize = 10

        // Stage 1: the source extends the empty copy.
        let ext = try mirror.checkExtension()
        XCTAssertEqual(ext.start, 0)
        XCTAssertEqual(ext.remote.size, 41)

        // Stages 2 and 3: batches come in order, contiguous, each ending at a signed checkpoint,
        // then the stage is exhausted.
        let batches = CheckedBatches(
            fetching: .fetching(BatchSource(client: mirror.client, batchSize: 10, origin: ext.remote.origin, fetcher: BatchFetcher(client: mirror.client, treeSize: 41)),
                                from: 0, treeSize: 41, treeRoot: ext.remote.root, maxBatches: .max),
            history: try mirror.store.keyHistory())
        var next: Int64 = 0
        var ends: [Int64] = []
        while let b = try batches.next() {
            XCTAssertEqual(b.raw.first, next)
            XCTAssertEqual(b.entries.count, Int(b.raw.end.size - b.raw.first))
            next = b.raw.end.size
            ends.append(next)
        }
        batches.stop()
        XCTAssertTrue(batches.exhausted)
        XCTAssertEqual(ends.last, 41)
        XCTAssertTrue(ends.allSatisfy { $0 == 41 || ($0 - 1) % 7 == 0 }, "\(ends): each batch ends at a checkpoint the source signed")

        // Stage 4, through a round: the copy commits everything, then is up to date.
        var committed: [Int64] = []
        mirror.onBatch = { committed.append($0.from) }
        let round = try mirror.syncOnce()
        XCTAssertEqual(round.to, 41)
        XCTAssertEqual(committed.first, 0)
        let again = try mirror.checkExtension()
        XCTAssertEqual(again.start, 41)
        XCTAssertEqual(again.remote.size, 41, "up to date: nothing to copy")
        XCTAssertEqual(try mirror.syncOnce().batches, 0)
    }

    func testExtensionCheckRefusesForksAndRollbacks() throws {
        let s = try source(0..<10)
        let logKey = try s.logKey()
        let copy = try Sandbox()
        try FileManager.default.createDirectory(atPath: copy.path("ledger"), withIntermediateDirectories: true)
        do {
            let server = try ServeProcess(s)
            _ = try open(copy, server, logKey: logKey).syncOnce()
            server.stop()
        }
        // A source signed by the same key that tells another story: a larger tree that does not
        // extend ours (a proof that fails), and a smaller one (a rollback).
        for (statements, expected) in [(100..<115, "fork"), (200..<205, "rollback")] {
            let forked = try Sandbox.fork(of: s, statements: statements)
            let server = try ServeProcess(forked)
            defer { server.stop() }
            XCTAssertThrowsError(try open(copy, server, logKey: logKey).checkExtension()) { error in
                guard let refusal = error as? Mirror.Refusal else { return XCTFail("\(error)") }
                XCTAssertEqual(refusal.error.evidenceKind, expected)
                XCTAssertTrue(refusal.remoteNote?.hasPrefix("test.example/ledger\n") ?? false)
                XCTAssertEqual(refusal.proof != nil, expected == "fork", "a fork is shown by the proof that fails")
            }
        }
    }

    /// A failure while committing is the source's doing when the source's bytes caused it, and
    /// this copy's otherwise.
    func testWhatACommitFailureIsTakenToMean() {
        func kind(_ e: any Error) -> String {
            switch Mirror.refusal(e, remoteNote: "note") {
            case let r as Mirror.Refusal: return "refusal:" + r.error.evidenceKind
            case let m as MirrorError: return "mirror:" + m.evidenceKind
            default: return "other"
            }
        }
        XCTAssertEqual(kind(IntegrityFailure(.entry(seq: 3), "bad signature")), "refusal:verification")
        XCTAssertEqual(kind(MirrorError.verification("x")), "refusal:verification")
        XCTAssertEqual(kind(StorageError.corrupt("disk")), "mirror:local")
        XCTAssertEqual(Mirror.unexplainedWithholdings([], pending: [4]), [4])
        XCTAssertNil(Mirror.unexplainedWithholdings([], pending: []))
    }
}
