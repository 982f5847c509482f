import Foundation
import LedgerCommandSupport
import LedgerStorage

/// `ledger serve --witness URL --witness-key VKEY`: a thread of its own that watches the ledger's
/// latest checkpoint and, whenever it grew, runs `ledger-net get-cosignatures` for it, so every
/// new checkpoint is sent to the witnesses and their cosignatures stored, and an append never
/// waits for a witness. A failed round (a witness down, a refusal) is tried again after
/// `retryAfter`; checkpoints made meanwhile are covered by the next round, since a witness
/// cosigns the latest and its proof spans the sizes between.
final class WitnessSubmitter: @unchecked Sendable {
    private let ledgerPath: String
    private let witnesses: [(url: String, key: String)]
    private let poll: TimeInterval
    private let retryAfter: TimeInterval
    private let lock = NSLock()
    private var stopped = false

    init(ledgerPath: String, witnesses: [(url: String, key: String)], poll: TimeInterval = 0.5, retryAfter: TimeInterval = 5) {
        self.ledgerPath = ledgerPath
        self.witnesses = witnesses
        self.poll = poll
        self.retryAfter = retryAfter
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "witness-submitter"
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    private func run() {
        var submitted: Int64 = -1
        var nextTry = Date.distantPast
        while !lock.withLock({ stopped }) {
            Thread.sleep(forTimeInterval: poll)
            guard Date() >= nextTry, let size = try? LedgerStore(path: ledgerPath, readonly: true).latestCheckpointRow().size,
                  size > submitted else { continue }
            if submitOnce() { submitted = size } else { nextTry = Date().addingTimeInterval(retryAfter) }
        }
    }

    /// Runs `ledger-net get-cosignatures` with every witness; true if all of them cosigned.
    private func submitOnce() -> Bool {
        guard let directory = NetworkCommands.executableDirectory() else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/ledger-net")
        process.arguments = ["get-cosignatures", "--ledger", ledgerPath]
            + witnesses.flatMap { ["--witness", $0.url, "--witness-key", $0.key] }
        // Its lines (what was cosigned, what was refused) go to the service's log, stderr.
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        do { try process.run() } catch {
            printError("ledger serve: cannot run \(directory)/ledger-net for the witnesses: \(error)")
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
