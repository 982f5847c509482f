import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

/// `ledger receipt SEQ`: one entry's leaf, body, a signed checkpoint and the inclusion proof.
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Print a receipt (disclosure-receipt/v1) for entry SEQ: leaf, body, signed checkpoint, inclusion proof.",
        discussion: "Check it offline with: ledger-verify receipt FILE --log-key \"$(ledger log-key)\"")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's seq.")
    var seq: Int64

    @Option(help: "A signed checkpoint note of this log to prove against (default: the latest).")
    var checkpoint: String?

    @Flag(help: "Leave the statement's body out (the leaf still commits to its SHA-256).")
    var withoutBody = false

    func run() throws {
        try runReportingErrors {
            let note = try checkpoint.map(readFile)
            let store = try LedgerStore(path: global.ledger, readonly: true)
            print(String(decoding: try store.receipt(seq: seq, checkpoint: note, withBody: !withoutBody).encoded, as: UTF8.self))
        }
    }
}

/// Writes receipts as DIR/<seq>.receipt.json (canonical JSON and a newline), each through a
/// temporary file and a rename, so a reader never sees half a receipt.
enum ReceiptFiles {
    /// Creates DIR if needed and checks it is a writable directory, before anything is appended.
    static func prepare(_ dir: String) throws {
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw CLIError.io("cannot create the receipts directory \(dir): \(error.localizedDescription)")
            }
        } else if !isDir.boolValue {
            throw CLIError.usage("--receipts \(dir) is not a directory")
        }
        guard access(dir, W_OK) == 0 else { throw CLIError.io("the receipts directory \(dir) is not writable") }
    }

    static func write(_ receipt: Receipt, seq: Int64, dir: String) throws {
        let path = "\(dir)/\(seq).receipt.json"
        let temp = "\(dir)/.\(seq).receipt.json.\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(receipt.encoded + [0x0A])) else {
            throw CLIError.io("cannot write \(temp)")
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw CLIError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
