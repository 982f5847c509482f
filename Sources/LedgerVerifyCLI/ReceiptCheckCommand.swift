import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerVerifier

/// `ledger-verify receipt FILE --log-key VKEY`: checks a receipt offline, opening no database.
struct ReceiptCheckCommand: ParsableCommand, VerifySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Check a receipt (disclosure-receipt/v1) offline: the entry is in the log the key signs.",
        discussion: """
            Checks that the checkpoint note verifies under the key and names its origin, that the leaf hashes \
            to the proof's leaf hash and the RFC 9162 inclusion path leads to the checkpoint's root, and that \
            an included body hashes to the leaf's body_sha256. Exit 0 ok, 1 the receipt fails a check, 2 usage or I/O.
            """)

    @Argument(help: "The receipt file.")
    var file: String

    @Option(name: .customLong("log-key"), help: "The log's C2SP verifier key (name+id+base64, `ledger log-key`), or a file holding it.")
    var logKey: String

    mutating func run() throws { throw ExitCode(execute()) }

    mutating func execute() -> Int32 {
        let key: NoteVerifierKey
        let bytes: [UInt8]
        do {
            key = try PinnedKey.verifierKey(logKey)
            bytes = try readInput(file, what: "receipt")
        } catch {
            printError("ledger-verify receipt: \(error)")
            return 2
        }
        do {
            let r = try OfflineCheck.receipt(bytes, logKey: key, label: file)
            var line = "ok: \(file): seq \(r.entry.seq) (\(r.entry.kind.rawValue) by \(r.entry.signer)) is in \(r.checkpoint.origin) at size \(r.checkpoint.size), root \(r.checkpoint.root.base64)"
            line += r.bodyChecked ? "; body matches body_sha256" : "; no body included"
            if r.signatureChecked { line += "; signed by the log key" }
            print(line)
            return 0
        } catch let f as IntegrityFailure {
            printFailure("", f)
            return 1
        } catch {
            printError("ledger-verify receipt: \(file): \(error)")
            return 2
        }
    }
}
