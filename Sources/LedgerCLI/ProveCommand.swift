import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

/// `ledger prove inclusion|consistency`: RFC 9162 proofs as `disclosure-proof/v1` JSON.
struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove", abstract: "Print an RFC 9162 inclusion or consistency proof as JSON (disclosure-proof/v1).",
        subcommands: [ProveInclusion.self, ProveConsistency.self])
}

struct ProveInclusion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inclusion",
        abstract: "Prove that entry SEQ is in the tree of the latest checkpoint, or of --checkpoint FILE.",
        discussion: "A checkpoint FILE must be signed by this log, and this ledger's tree at its size must have its root.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's seq.")
    var seq: Int64

    @Option(help: "A signed checkpoint note of this log to prove against (default: the latest).")
    var checkpoint: String?

    func run() throws {
        try runReportingErrors {
            let note = try checkpoint.map(readFile)
            let store = try LedgerStore(path: global.ledger, readonly: true)
            print(String(decoding: try store.inclusionDocument(seq: seq, checkpoint: note).encoded, as: UTF8.self))
        }
    }
}

struct ProveConsistency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consistency",
        abstract: "Prove that the tree of NEW entries extends the tree of OLD entries (0 ≤ OLD ≤ NEW ≤ ledger size).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The older tree size.")
    var old: Int64

    @Argument(help: "The newer tree size.")
    var new: Int64

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            print(String(decoding: try store.consistencyDocument(oldSize: old, newSize: new).encoded, as: UTF8.self))
        }
    }
}
