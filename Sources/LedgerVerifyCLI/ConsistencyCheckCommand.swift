import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerVerifier

/// `ledger-verify consistency OLD NEW PROOF --log-key VKEY`: checks offline that the log only
/// appended between two checkpoints, opening no database.
struct ConsistencyCheckCommand: ParsableCommand, VerifySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Check offline that checkpoint NEW extends checkpoint OLD, with an RFC 9162 consistency proof (disclosure-proof/v1).",
        discussion: """
            Both notes must verify under the key. Two checkpoints of one size with different roots, or a proof \
            that does not verify, fail with both signed notes printed as split-view evidence. \
            Exit 0 ok, 1 a check fails, 2 usage or I/O.
            """)

    @Argument(help: "The older signed checkpoint note.")
    var old: String

    @Argument(help: "The newer signed checkpoint note.")
    var new: String

    @Argument(help: "The consistency proof (`ledger prove consistency OLD_SIZE NEW_SIZE`).")
    var proof: String

    @Option(name: .customLong("log-key"), help: "The log's C2SP verifier key (name+id+base64, `ledger log-key`), or a file holding it.")
    var logKey: String

    mutating func run() throws { throw ExitCode(execute()) }

    mutating func execute() -> Int32 {
        let key: NoteVerifierKey
        let inputs: (old: [UInt8], new: [UInt8], proof: [UInt8])
        do {
            key = try PinnedKey.verifierKey(logKey)
            inputs = (try readInput(old, what: "checkpoint"), try readInput(new, what: "checkpoint"), try readInput(proof, what: "proof"))
        } catch {
            printError("ledger-verify consistency: \(error)")
            return 2
        }
        do {
            let (a, b) = try OfflineCheck.consistency(old: inputs.old, new: inputs.new, proof: inputs.proof, logKey: key,
                                                      labels: (old, new, proof))
            print("ok: \(a.origin): the tree of size \(b.size) (root \(b.root.base64)) extends the tree of size \(a.size) (root \(a.root.base64))")
            return 0
        } catch let f as IntegrityFailure {
            printFailure("", f)
            return 1
        } catch {
            printError("ledger-verify consistency: \(error)")
            return 2
        }
    }
}
