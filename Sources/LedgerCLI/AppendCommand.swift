import ArgumentParser
import Foundation
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
            let (store, logKey) = try LedgerSetup.openForWriting(global)
            let inputs = try files.isEmpty ? StatementInput.jsonLines(from: try readStandardInput(), name: "stdin")
                                           : files.map { StatementInput(label: $0, bytes: try readFile($0)) }
            guard !inputs.isEmpty else { throw CLIError.input("no statements given (pass files, or JSON Lines on standard input)") }
            let parsed = try StatementInput.parseAll(inputs)

            guard let signer = try store.keyHistory().signerName(for: signingKey.publicKey) else {
                throw CLIError.input("\(key) is not the key of a registered signer; register it with `ledger signer add NAME KEY.pub` (a revoked key cannot sign)")
            }
            let started = Date()
            let (bodies, skipped) = try Self.withoutReplays(parsed, existing: try store.existingStatements(parsed.map(\.body.sha256)), skip: skipExisting)
            guard !bodies.isEmpty else {
                printError("nothing to append: all \(skipped) statements are already in the ledger")
                return
            }
            // Corrections and responses are checked against the ledger before anything is written
            // (and again inside each transaction).
            for (label, body) in bodies where body.link != nil {
                do { try store.checkLink(body, signer: signer) } catch let e as LedgerCore.ValidationError { throw CLIError.input("\(label): \(e)") }
            }

            if let receipts { try ReceiptFiles.prepare(receipts) }

            // Pipelined: the cores sign batch k+1 while this thread writes batch k to SQLite.
            var out = Output()
            func sign(_ range: Range<Int>) -> Background<[Result<PendingEntry, Error>]> {
                let batch = Array(bodies[range])
                return Background {
                    parallelMap(batch) { item in Result { try PendingEntry.sign(item.body, label: item.label, signer: signer, key: signingKey) } }
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

    /// The inputs minus statements already in the ledger (`existing`, by digest) and repeats
    /// within the input: skipped and counted with `skip`, else the first one refused.
    static func withoutReplays(_ inputs: [(label: String, body: Body)], existing: [Digest: Int64],
                               skip: Bool) throws -> (fresh: [(label: String, body: Body)], skipped: Int) {
        var seen: [Digest: String] = [:]
        var fresh: [(label: String, body: Body)] = []
        var skipped = 0
        for (label, body) in inputs {
            if let seq = existing[body.sha256] {
                guard skip else { throw StorageError.replay(item: label, seq: seq) }
                skipped += 1
            } else if let other = seen[body.sha256] {
                guard skip else { throw StorageError.duplicateInBatch(item: label, other: other) }
                skipped += 1
            } else {
                seen[body.sha256] = label
                fresh.append((label, body))
            }
        }
        return (fresh, skipped)
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

/// One statement document to append, with where it came from.
struct StatementInput: Sendable {
    let label: String
    let bytes: [UInt8]

    /// Splits JSON Lines input; blank lines are skipped, line numbers kept for errors.
    static func jsonLines(from data: Data, name: String) -> [StatementInput] {
        JSONLines.split([UInt8](data)).map { StatementInput(label: "\(name) line \($0.number)", bytes: Array($0.bytes)) }
    }

    /// Parses and validates every input (on all cores); the first error, in input order, is thrown.
    static func parseAll(_ inputs: [StatementInput]) throws -> [(label: String, body: Body)] {
        let parsed = parallelMap(inputs) { input in Result { try Body(parsing: input.bytes) } }
        return try zip(inputs, parsed).map { input, result in
            do {
                let body = try result.get()
                guard body.kind == .statement || body.kind == .response else {
                    throw CLIError.input("a \(body.kind.rawValue) document cannot be appended as a statement (use `ledger signer` or `ledger withhold`)")
                }
                try Templates.refusePlaceholders(body)
                return (input.label, body)
            } catch {
                throw CLIError.input("\(input.label): \(error)")
            }
        }
    }
}
