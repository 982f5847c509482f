import ArgumentParser
import LedgerCommandSupport

@main
struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An append-only, signed, hash-chained ledger of what platforms say about handing user data to others.",
        discussion: "Global options --ledger PATH and --keys DIR go before or after the subcommand, as git's do.",
        version: "disclosure-ledger 0.14 (formats: disclosure-ledger-sqlite/1, disclosure-statement/v1)",
        subcommands: [
            InitCommand.self, KeygenCommand.self, SignerCommand.self, AppendCommand.self, ListCommand.self,
            ShowCommand.self, CheckpointCommand.self, LogKeyCommand.self, ExportCommand.self, WithholdCommand.self,
            ProveCommand.self, ReceiptCommand.self, DemoCommand.self, WitnessCommand.self, CosignatureCommand.self,
            TimestampCommand.self,
            CompareCommand.self, HistoryCommand.self, StatementCommand.self, UpgradeCommand.self,
            ServeCommand.self, ExportTilesCommand.self, SignCommand.self, MirrorCommand.self,
        ])

    /// The commands that talk to other servers run in `ledger-net` (see NetworkCommands.swift).
    static func main() {
        let arguments = GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst()))
        if let name = arguments.first, NetworkCommands.names.contains(name) { NetworkCommands.run(arguments) }
        main(arguments)
    }
}
