import ArgumentParser

/// `--ledger` and `--keys`, shared by every subcommand.
public struct GlobalOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "The ledger database.")
    public var ledger = "ledger/ledger.sqlite"

    @Option(name: .long, help: "The key directory (log.key, log.pub, NAME.key, NAME.pub).")
    public var keys = "keys"

    public var logKeyPath: String { "\(keys)/log.key" }
    public var logPubPath: String { "\(keys)/log.pub" }
}
