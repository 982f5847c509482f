import Foundation
import LedgerCommandSupport
import LedgerServer
import LedgerStorage

/// What `ledger serve` does beside the service whenever the ledger's latest checkpoint grew
/// (`--publish DIR`, `--witness URL`), on a thread of its own so that an append never waits for
/// it. The checkpoint size is polled every `poll`; a step that fails is tried again after
/// `retryAfter`, and checkpoints made meanwhile are covered by the next run (each step works
/// from the latest checkpoint and what it did before).
final class CheckpointWatcher: @unchecked Sendable {
    /// One thing to do for a new checkpoint, given the ledger opened read-only: true if it succeeded.
    typealias Step = @Sendable (LedgerStore) -> Bool

    private let ledgerPath: String
    private let steps: [Step]
    private let poll: TimeInterval
    private let retryAfter: TimeInterval
    private let lock = NSLock()
    private var stopped = false

    init(ledgerPath: String, steps: [Step], poll: TimeInterval = 0.5, retryAfter: TimeInterval = 5) {
        self.ledgerPath = ledgerPath
        self.steps = steps
        self.poll = poll
        self.retryAfter = retryAfter
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "checkpoint-watcher"
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    private func run() {
        var done: Int64 = -1
        var nextTry = Date.distantPast
        // One read-only connection for the whole run: each poll is one small read, not an open.
        var store: LedgerStore?
        while !lock.withLock({ stopped }) {
            Thread.sleep(forTimeInterval: poll)
            if store == nil { store = try? LedgerStore(path: ledgerPath, readonly: true) }
            guard Date() >= nextTry, let store, let size = try? store.latestCheckpointRow().size, size > done else { continue }
            // Every step runs, in the order given (`serve` asks the witnesses before publishing,
            // so the published checkpoint carries their cosignatures).
            let outcomes = steps.map { $0(store) }
            if outcomes.allSatisfy({ $0 }) { done = size } else { nextTry = Date().addingTimeInterval(retryAfter) }
        }
    }

    /// `--publish DIR [--publish-url URL]`: `StaticPublisher` into `dir`.
    static func publishing(into dir: String, publicURL: String?) -> Step {
        { store in
            do {
                let report = try StaticPublisher(store: store, dir: dir, publicURL: publicURL).publish()
                if report.size > report.previousSize { printError("ledger serve: published size \(report.size) to \(dir)") }
                return true
            } catch {
                printError("ledger serve: cannot publish to \(dir): \(error)")
                return false
            }
        }
    }

    /// `--witness URL --witness-key VKEY`: `ledger-net get-cosignatures` with every witness.
    static func witnessing(ledgerPath: String, witnesses: [(url: String, key: String)]) -> Step {
        { _ in
            // Its lines (what was cosigned, what was refused) go to the service's log, stderr.
            do {
                return try HelperProgram.runNet(["get-cosignatures", "--ledger", ledgerPath]
                    + witnesses.flatMap { ["--witness", $0.url, "--witness-key", $0.key] }).status == 0
            } catch {
                printError("ledger serve: cannot ask the witnesses: \(error)")
                return false
            }
        }
    }
}
