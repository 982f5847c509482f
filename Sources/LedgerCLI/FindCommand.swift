import ArgumentParser
import LedgerCommandSupport
import LedgerCore
import LedgerQuery
import LedgerStorage

/// `ledger find FILE...`: is this statement in the ledger? One index look-up per file, by the
/// SHA-256 of its canonical body (any spelling of the same JSON finds the same entry).
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Say whether each statement file is in the ledger, and at which seq.",
        discussion: "Exit status 0 when every file is in the ledger, 1 when one is not (or is not a valid statement).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Statement files (disclosure-statement/v2 or v1).")
    var files: [String]

    @Option(help: "Write a receipt (the entry, a signed checkpoint and its inclusion proof) per statement found, as DIR/<seq>.receipt.json.")
    var receipts: String?

    @Flag(help: "JSON Lines: per file, {\"file\", \"body_sha256\", \"entry\"}, the entry as GET /v1/entries/SEQ gives it (null when not in the ledger).")
    var json = false

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            if let receipts { try ReceiptFiles.prepare(receipts) }
            var out = Output()
            var missing = 0
            for file in files {
                let body = try Body(parsing: try readFile(file))
                guard body.kind == .statement else { throw CLIError.input("\(file): not a statement (\(body.kind.rawValue))") }
                let entry = try store.existingStatements([body.sha256])[body.sha256].map { try store.entry(seq: $0) }
                if json {
                    out.line(CanonicalJSON.string(.object(["file": .string(file), "body_sha256": .string(body.sha256.hex),
                                                           "entry": entry.map(EntryJSON.entry) ?? .null])))
                }
                if let e = entry {
                    if !json { out.line("\(file): in the ledger at seq \(e.seq), signed by \(e.signer) at \(e.time); leaf hash \(MerkleHash.leaf(e.leaf).hex)") }
                    if let receipts {
                        try ReceiptFiles.write(try store.receipt(seq: e.seq, checkpoint: nil), seq: e.seq, dir: receipts)
                        if !json { out.line("  receipt: \(receipts)/\(e.seq).receipt.json (check it with ledger-verify receipt)") }
                    }
                } else {
                    if !json { out.line("\(file): not in the ledger (sha256 \(body.sha256.hex))") }
                    missing += 1
                }
            }
            try out.flush()
            if missing > 0 { throw ExitCode(1) }
        }
    }
}
