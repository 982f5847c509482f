import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

/// `ledger-verify --url URL`: the ledger at URL (a `ledger serve`, or a directory `ledger
/// publish` wrote, served by any web server) copied into a local file by `ledger mirror`, which
/// runs in `ledger-net` (the program with the HTTP client) and audits every batch as it copies
/// it (docs/FORMAT.md §24). The audit then goes on from the copy's last verified batch.
struct RemoteCopy {
    let url: String
    /// The copy: the --ledger file if given (kept, so the next run copies only new entries),
    /// else a file in a temporary directory that `remove` deletes.
    let path: String
    let temporaryDirectory: String?

    enum Outcome {
        case copied
        /// The source misbehaved (fork, rollback, bad signature, bad entry): an integrity failure.
        case refused(String)
        /// The source was unreachable, or the copy could not be made.
        case failed(String)
    }

    init(url: String, ledger: String?) throws {
        self.url = url
        if let ledger {
            path = ledger
            temporaryDirectory = nil
        } else {
            let directory = NSTemporaryDirectory() + "ledger-verify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false) } catch {
                throw VerifyUsageError("cannot make a temporary directory for the copy of \(url): \(error)")
            }
            path = directory + "/copy.sqlite"
            temporaryDirectory = directory
        }
    }

    /// Brings the copy up to the source's latest checkpoint under `logKey` (`ledger mirror`'s
    /// exit 0, 1 or 2 becomes copied, refused or failed, with its last message as the reason).
    /// The cosignatures of `witnesses` on the source's checkpoint are kept in the copy, verified.
    func fetch(logKey: String, witnesses: [String]) -> Outcome {
        let run: (status: Int32, errors: String)
        do { run = try HelperProgram.runNet(["mirror", url, "--ledger", path, "--log-key", logKey] + witnesses.flatMap { ["--witness", $0] }) } catch {
            return .failed("\(error)")
        }
        let reason = run.errors.split(separator: "\n").last.map(String.init) ?? "ledger mirror exited with status \(run.status)"
        switch run.status {
        case 0: return .copied
        case 1: return .refused("the source refused while being copied: \(reason)")
        default: return .failed("cannot copy \(url): \(reason)")
        }
    }

    /// Where the audit of the copy can resume: the audit state `ledger mirror` stored with its
    /// last batch, if that batch ended at the copy's size. Nil means a full audit.
    static func verifiedState(of store: LedgerStore) throws -> AuditResumeState? {
        guard let progress = try store.mirrorProgress(), progress.size == (try store.latestCheckpointRow().size) else { return nil }
        return try? AuditResumeState(parsing: progress.auditState)
    }

    func remove() {
        if let temporaryDirectory { try? FileManager.default.removeItem(atPath: temporaryDirectory) }
    }
}
