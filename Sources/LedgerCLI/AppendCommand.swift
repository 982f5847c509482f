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
            (one statement per line) for bulk import. Every statement is validated and checked for \
            replays before anything is written; then they are appended in transactions of \
            --batch-size, each with its own signed checkpoint. Prints "SEQ LEAF_HASH" per statement.
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

    @Flag(help: "Skip the statements already in the ledger (and repeats within the input) instead of refusing them: run an interrupted import again to finish it.")
    var skipExisting = false

    @Flag(help: "Print SEQ LEAF_HASH for each appended statement also on a terminal (always printed into a pipe or file).")
    var verbose = false

    @Argument(help: "Statement files; none to read JSON Lines from standard input.")
    var files: [String] = []

    func run() throws {
        try runReportingErrors {
            guard batchSize >= 1 else { throw CLIError.usage("--batch-size must be at least 1") }
            let signingKey = try KeyFiles.readPrivate(key)
            let (store, logKey) = try KeyFiles.openForWriting(global)
            let inputs = try files.isEmpty ? Submission.jsonLines([UInt8](try readStandardInput()), source: "stdin")
                                           : files.map { (EntryOrigin.file($0), try readFile($0)) }
            guard !inputs.isEmpty else { throw CLIError.input("no statements given (pass files, or JSON Lines on standard input)") }
            let parsed = try Submission.parseAll(inputs)

            let signer = try KeyFiles.signer(of: signingKey, at: key, in: store, logKeyAllowed: true)
            let started = Date()
            let (bodies, skipped) = try AppendPrecheck.withoutReplays(parsed, in: store, skip: skipExisting)
            guard !bodies.isEmpty else {
                printError("nothing to append: all \(skipped) statements are already in the ledger")
                return
            }
            try AppendPrecheck.checkLinks(bodies, signer: signer, store: store)
            try AppendPrecheck.checkQuotes(bodies, store: store)

            if let receipts { try ReceiptFiles.prepare(receipts) }

            // Pipelined: the cores sign batch k+1 while this thread writes batch k to SQLite.
            var out = Output()
            func sign(_ range: Range<Int>) -> Background<[Result<PendingEntry, Error>]> {
                let batch = Array(bodies[range])
                return Background {
                    parallelMap(batch) { item in Result { try PendingEntry.sign(item.body, origin: item.origin, signer: signer, key: signingKey) } }
                }
            }
            func batch(_ start: Int) -> Range<Int> { start..<start + min(batchSize, bodies.count - start) }
            var range = batch(0)
            var signing = sign(range)
            var firstSeq: Int64?, lastSeq: Int64?
            // Per-entry lines are for programs; a person at a terminal gets the progress and the summary.
            let perEntry = verbose || isatty(STDOUT_FILENO) == 0
            // On a terminal, a bulk import says how far it got (the receipts go to stdout).
            let progress = bodies.count > batchSize ? ProgressLine(verb: "appending", noun: "statements") : nil
            while !range.isEmpty {
                let pending = try signing.wait().map { try $0.get() }
                let next = batch(range.upperBound)
                if !next.isEmpty { signing = sign(next) }
                let appended = try store.append(pending, logKey: logKey)
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
                progress?.show(Int64(range.upperBound), Int64(bodies.count))
                range = next
            }
            progress?.clear()
            // Said on a terminal, and whenever statements were skipped: what a resumed import did.
            if isatty(STDERR_FILENO) == 1 || skipped > 0 {
                printError(String(format: "appended %d statements, seq %lld-%lld, in %.1f s", bodies.count, firstSeq ?? 0, lastSeq ?? 0,
                                  Date().timeIntervalSince(started)) + (skipped > 0 ? "; skipped \(skipped) already in the ledger" : ""))
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
