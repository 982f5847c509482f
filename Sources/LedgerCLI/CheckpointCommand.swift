import ArgumentParser
import LedgerCommandSupport
import LedgerStorage

struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Print the latest signed checkpoint (C2SP tlog-checkpoint signed note), with the witnesses' cosignatures stored for it.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReportingErrors {
            print(try LedgerStore(path: global.ledger, readonly: true).latestCosignedCheckpoint(), terminator: "")
        }
    }
}

struct LogKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-key", abstract: "Print the log's C2SP verifier key (name+keyid+base64).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReportingErrors {
            print(try LedgerStore(path: global.ledger, readonly: true).logKey.text)
        }
    }
}
