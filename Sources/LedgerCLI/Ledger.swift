import ArgumentParser
import Foundation
import LedgerCore
import LedgerCommandSupport

@main
struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An append-only, signed, hash-chained ledger of what platforms say about handing user data to others.",
        discussion: "Global options --ledger PATH and --keys DIR go before or after the subcommand, as git's do.",
        version: "disclosure-ledger 0.16 (formats: disclosure-ledger-sqlite/1, disclosure-statement/v2 and v1, disclosure-document/v1)",
        subcommands: [
            InitCommand.self, KeygenCommand.self, SignerCommand.self, AppendCommand.self, ListCommand.self,
            ShowCommand.self, FindCommand.self, DiffCommand.self, CheckpointCommand.self, LogKeyCommand.self, ExportCommand.self, WithholdCommand.self,
            ProveCommand.self, ReceiptCommand.self, DemoCommand.self, WitnessCommand.self, CosignatureCommand.self,
            TimestampCommand.self, GetCosignaturesCommand.self,
            CompareCommand.self, HistoryCommand.self, StatementCommand.self, UpgradeCommand.self,
            ServeCommand.self, PublishCommand.self, SignCommand.self, MirrorCommand.self, SourceCommand.self, TrackCommand.self, SearchCommand.self,
        ])

    /// The commands that talk to other servers run in `ledger-net` (see NetworkCommands.swift).
    static func main() {
        let arguments = GlobalOptions.movedAfterSubcommand(Array(CommandLine.arguments.dropFirst()))
        if let name = arguments.first, NetworkCommands.names.contains(name) { NetworkCommands.run(arguments) }
        if let name = arguments.first, !name.hasPrefix("-") {
            let known = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            let aliases = configuration.subcommands.flatMap { $0.configuration.aliases }
            if !known.contains(name) && !aliases.contains(name) {
                let hint = Suggestion.nearest(to: name, among: known).map { " Did you mean '\($0)'?" } ?? ""
                printError("Error: '\(name)' is not a ledger command.\(hint)\nSee 'ledger --help' for the commands.")
                Foundation.exit(64)
            }
        }
        main(arguments)
    }
}
