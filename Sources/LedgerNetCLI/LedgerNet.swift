import ArgumentParser
import LedgerCommandSupport

/// `ledger-net`: the `ledger` commands that talk to other servers (`ledger mirror`,
/// `ledger timestamp`, `ledger track`). `ledger` runs it in its own place for them; it can be run directly too.
@main
struct LedgerNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The ledger commands that talk to other servers (run by `ledger mirror` and `ledger timestamp`).",
        subcommands: [MirrorCommand.self, TimestampCommand.self, TrackCommand.self])
}
