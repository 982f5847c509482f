import ArgumentParser
import Foundation
import LedgerAppend
import LedgerCommandSupport
import LedgerConcurrency
import LedgerCore
import LedgerCrypto
import LedgerStorage

struct AppendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append",
        abstract: "Sign statements (and responses) with a registered key and append them.",
        discussion: """
            Each FILE holds one JSON statement (disclosure-statement/v2 or v1) or response \
            (disclosure-response/v1, an endorsement or dispute of an earlier statement); with no FILE, standard input is read as JSON Lines \
            (one statement per line) for bulk import, read --batch-size at a time so memory does not grow with \
            it. First every statement is validated and checked for replays, and the first bad one is refused \
            before anything is written (those that pass wait in a temporary file); then they are signed and \
            appended with a signed checkpoint after every --batch-size, four batches per transaction. Prints \
            "SEQ LEAF_HASH" per statement.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The signer's private key (PKCS#8 PEM, mode 0600).")
    var key: String

    // Each commit rewrites every index page it touched, and digests land on random pages of the
    // replay index, so bulk imports commit in large batches (5,000: 78% of the Ed25519 limit in
    // the benchmark, against 55% with 1,000).
    @Option(help: "Statements per transaction (and per checkpoint).")
    var batchSize = 5000

    @Option(help: "Write a receipt per appended statement as DIR/<seq>.receipt.json (against its transaction's checkpoint).")
    var receipts: String?

    @Option(help: "Build the look-up indexes once at the end, rather than statement by statement, when at least this many statements are appended and they at least double the ledger; other appenders wait meanwhile (0: never).")
    var deferIndexesFrom = BulkImport.deferIndexesFrom

    @Flag(help: "Skip the statements already in the ledger (and repeats within the input) instead of refusing them: run an interrupted import again to finish it.")
    var skipExisting = false

    @Flag(help: "Print SEQ LEAF_HASH for each appended statement also on a terminal (always printed into a pipe or file).")
    var verbose = false

    @Argument(help: "Statement files; none to read JSON Lines from standard input.")
    var files: [String] = []

    func run() throws {
        try runReportingErrors {
            guard batchSize >= 1 else { throw CLIError.usage("--batch-size must be at least 1") }
            guard deferIndexesFrom >= 0 else { throw CLIError.usage("--defer-indexes-from must be 0 (never) or more") }
            let signingKey = try KeyFiles.readPrivate(key)
            let (store, logKey) = try KeyFiles.openForWriting(global)
            let input = try AppendInput(files: files)
            let signer = try KeyFiles.signer(of: signingKey, at: key, in: store, logKeyAllowed: true)
            let started = Date()
            let bulk = BulkImport(batchSize: batchSize, skipExisting: skipExisting, signer: signer, store: store,
                                  scratch: try ImportScratch(lineSource: "stdin"))
            let checked = try bulk.check(input)
            guard checked.read > 0 else { throw CLIError.input("no statements given (pass files, or JSON Lines on standard input)") }
            guard checked.kept > 0 else {
                printError("nothing to append: all \(checked.skipped) statements are already in the ledger")
                return
            }
            if let receipts { try ReceiptFiles.prepare(receipts) }

            var out = Output()
            var firstSeq: Int64?, lastSeq: Int64?, done: Int64 = 0
            // Per-entry lines are for programs; a person at a terminal gets the progress and the summary.
            let perEntry = verbose || isatty(STDOUT_FILENO) == 0
            // On a terminal, a bulk import says how far it got (the receipts go to stdout).
            let progress = checked.kept > batchSize ? ProgressLine(verb: "appending", noun: "statements") : nil
            try bulk.append(key: signingKey, logKey: logKey, checked: checked, deferIndexesFrom: deferIndexesFrom) { appended in
                firstSeq = firstSeq ?? appended.first?.seq
                lastSeq = appended.last?.seq ?? lastSeq
                if perEntry {
                    for entry in appended { out.line("\(entry.seq) \(entry.leafHash.hex)") }
                }
                do { try out.flush() } catch {
                    // Committed: say so, or a rerun would meet its own statements as replays.
                    throw CLIError.io("\(error); seqs \(appended.first?.seq ?? 0) to \(appended.last?.seq ?? 0) are appended and committed (`ledger list` shows them)")
                }
                if let receipts, let last = appended.last {
                    try writeReceipts(appended.map(\.seq), checkpointSize: last.seq + 1, store: store, dir: receipts)
                }
                done += Int64(appended.count)
                progress?.show(done, Int64(checked.kept))
            }
            progress?.clear()
            // Said on a terminal, and whenever statements were skipped: what a resumed import did.
            if isatty(STDERR_FILENO) == 1 || checked.skipped > 0 {
                printError(String(format: "appended %lld statements, seq %lld-%lld, in %.1f s", done, firstSeq ?? 0, lastSeq ?? 0,
                                  Date().timeIntervalSince(started)) + (checked.skipped > 0 ? "; skipped \(checked.skipped) already in the ledger" : ""))
            }
        }
    }
}

extension AppendCommand {
    /// Receipts against the checkpoint the batch's transaction wrote. The entries are committed
    /// by now, so a failure says how to get the receipts later.
    func writeReceipts(_ seqs: [Int64], checkpointSize: Int64, store: LedgerStore, dir: String) throws {
        do {
            for (seq, receipt) in zip(seqs, try store.receipts(seqs: seqs, checkpointSize: checkpointSize)) {
                try ReceiptFiles.write(receipt, seq: seq, dir: dir)
            }
        } catch {
            throw CLIError.io("seqs \(seqs.first ?? 0) to \(seqs.last ?? 0) are appended, but their receipts could not be written (\(error)); run `ledger receipt SEQ`")
        }
    }
}
