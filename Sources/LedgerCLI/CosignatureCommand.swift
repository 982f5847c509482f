import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

/// `ledger cosignature`: the log's side of witnessing: which witnesses it trusts, and storing
/// their cosignatures so `ledger checkpoint` serves them with the checkpoint.
struct CosignatureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cosignature",
        abstract: "Store witnesses' cosignatures on this log's checkpoints.",
        subcommands: [Trust.self, Add.self])

    struct Trust: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "trust", abstract: "Accept cosignatures from a witness (its key as `ledger witness init` prints it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The witness's key: name+keyid+base64(0x04 || Ed25519 key).") var witnessKey: String

        func run() throws {
            try runReportingErrors {
                let key = try CosignerKey(parsing: witnessKey)
                try LedgerStore(path: global.ledger).trustWitness(key)
                print("trusting witness \(key.name)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Store the trusted witnesses' cosignatures found on a cosigned checkpoint (a file, or - for stdin).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A checkpoint of this log with cosignature lines.") var note: String

        func run() throws {
            try runReportingErrors {
                let bytes = note == "-" ? [UInt8](try readStandardInput()) : try readFile(note)
                // Checked read-only first: a refusal must not touch the file.
                _ = try LedgerStore(path: global.ledger, readonly: true).checkCosignatures(bytes)
                let (stored, ignored) = try LedgerStore(path: global.ledger).addCosignatures(bytes)
                print("stored cosignatures by \(stored.joined(separator: ", "))" + (ignored.isEmpty ? "" : "; ignored untrusted \(ignored.joined(separator: ", "))"))
            }
        }
    }
}
