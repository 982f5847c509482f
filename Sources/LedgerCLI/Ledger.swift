import ArgumentParser

@main
struct Ledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "An append-only, signed, hash-chained ledger of what platforms say about handing user data to others.",
        subcommands: [
            InitCommand.self, KeygenCommand.self, SignerCommand.self, AppendCommand.self, ListCommand.self,
            ShowCommand.self, CheckpointCommand.self, LogKeyCommand.self, ExportCommand.self, WithholdCommand.self,
            ProveCommand.self, ReceiptCommand.self, DemoCommand.self, WitnessCommand.self, CosignatureCommand.self,
            TimestampCommand.self,
            CompareCommand.self, HistoryCommand.self, StatementCommand.self, UpgradeCommand.self,
            ServeCommand.self, ExportTilesCommand.self, SignCommand.self, MirrorCommand.self,
        ])
}

/// `--ledger` and `--keys`, shared by every subcommand.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger database.")
    var ledger = "ledger/ledger.sqlite"

    @Option(name: .long, help: "The key directory (log.key, log.pub, NAME.key, NAME.pub).")
    var keys = "keys"

    var logKeyPath: String { "\(keys)/log.key" }
    var logPubPath: String { "\(keys)/log.pub" }
}
