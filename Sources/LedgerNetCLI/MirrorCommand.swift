import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerMirror
import LedgerStorage

/// `ledger mirror URL`: keeps a verified copy of a remote ledger in `--ledger`, and watches it.
struct MirrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: NetworkCommandInfo.mirror.name,
        abstract: NetworkCommandInfo.mirror.abstract,
        discussion: """
            Each round fetches the source's checkpoint, checks it is signed by the pinned log key and \
            consistent with the last one this copy verified, then copies the new entries in batches \
            that end at checkpoints the source signed, auditing each batch before committing it. A \
            fork, rollback, bad signature or bad entry commits nothing of the batch that shows it \
            (batches verified before it are kept), is kept as evidence in the copy's \
            mirror_evidence table and printed as an ALERT. Exit status: 0 up to date, 1 the \
            source misbehaved, 2 the source was unreachable or the command was misused. With --watch \
            it keeps going, alerting on each refusal.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The source's address, e.g. http://127.0.0.1:8080")
    var url: String

    @Option(name: .customLong("log-key"), help: "The source's log verifier key (or a file with it); required when the copy is created.")
    var logKey: String?

    @Flag(help: "Keep mirroring every --interval seconds.")
    var watch = false

    @Option(help: "Seconds between rounds with --watch.")
    var interval: Double = 30

    @Option(help: "Stop after this many rounds with --watch (0: never).")
    var rounds = 0

    @Option(parsing: .upToNextOption, help: "Print each new statement about these platforms as it arrives.")
    var notify: [String] = []

    @Option(help: "Most entries per verified batch (batches end at the source's checkpoints).")
    var batch: Int64 = Mirror.defaultBatchSize

    @Option(help: "Stop a round after this many batches (spread a first copy of a large log over several runs).")
    var maxBatches: Int?

    @Flag(help: "Print a line per verified batch.")
    var progress = false

    @Option(name: .customLong("witness"), help: "A witness key (name+id+base64) to trust in the copy: its cosignatures on the source's checkpoints are verified and kept, for `ledger-verify --witness --quorum`; repeat for each.")
    var witnesses: [String] = []

    func run() throws {
        var failure: MirrorError?
        do {
            guard interval > 0, rounds >= 0, (1...1_000_000).contains(batch), (maxBatches ?? 1) >= 1 else {
                throw CLIError.usage("--interval must be positive, --rounds at least 0, --batch 1 to 1000000, --max-batches at least 1")
            }
            guard notify.allSatisfy(Slug.isValid) else { throw CLIError.usage("--notify takes platform names (a-z, 0-9, '.', '-', '_')") }
            let pinned = try logKey.map(Self.verifierKey)
            let witnessKeys = try witnesses.map(CosignerKey.parsingOption)
            let mirror = try Mirror.open(path: global.ledger, client: try SourceClient.connect(base: url), pinned: pinned)
            for key in witnessKeys { try mirror.store.trustWitness(key) }
            mirror.batchSize = batch
            mirror.maxBatches = maxBatches
            let platforms = Set(notify)
            let progress = self.progress
            mirror.onBatch = { batch in
                if progress { say("verified and stored entries \(batch.from) ..< \(batch.from + Int64(batch.entries.count))") }
                if !platforms.isEmpty { for line in Self.notices(batch, platforms: platforms) { say(line) } }
            }
            var round = 0
            repeat {
                round += 1
                do {
                    let r = try mirror.syncOnce()
                    if r.to == r.from {
                        say("up to date at \(r.to) entries; root \(r.root.base64)")
                    } else if r.to < r.target {
                        say("mirrored \(r.to - r.from) new entries (\(r.from) → \(r.to)) in \(r.batches) verified batches; the source has \(r.target): run again to go on")
                    } else {
                        say("mirrored \(r.to - r.from) new entries (\(r.from) → \(r.to)) in \(r.batches) verified batches; root \(r.root.base64)")
                    }
                    if !r.cosignatures.kept.isEmpty { say("kept the cosignatures of \(r.cosignatures.kept.joined(separator: ", ")) on checkpoint \(r.to)") }
                    if let problem = r.cosignatures.problem { printError("ledger: the cosignatures on the source's checkpoint were not kept: \(problem)") }
                    failure = nil
                } catch let e as MirrorError {
                    // ALERT is for what the source did wrong; being unreachable is not evidence of it.
                    if e.kind == .integrity { alert(e, store: mirror.store) } else { printError("ledger: \(e)") }
                    failure = e
                }
                if watch, rounds == 0 || round < rounds { Thread.sleep(forTimeInterval: interval) }
            } while watch && (rounds == 0 || round < rounds)
        } catch {
            printError("ledger: \(error)")
            throw ExitCode(ExitStatus.verifier(error))
        }
        // The last round decides (a --watch without --rounds never gets here).
        if let failure { throw ExitCode(ExitStatus.verifier(failure)) }
    }

    /// The alert: what happened, and where the evidence is.
    private func alert(_ e: MirrorError, store: LedgerStore) {
        printError("ALERT: \(e)")
        guard let evidence = try? store.mirrorEvidence().last, evidence.kind == e.evidenceKind else { return }
        printError("evidence kept in \(global.ledger), table mirror_evidence, id \(evidence.id)")
        if let note = evidence.localNote { printError("checkpoint verified here:\n\(note)") }
        if let note = evidence.remoteNote { printError("checkpoint served by the source:\n\(note)") }
        if let proof = evidence.proof { printError("proof served by the source:\n\(proof)") }
    }

    /// One line per new statement about a watched platform.
    static func notices(_ batch: MirrorBatch, platforms: Set<String>) -> [String] {
        batch.entries.compactMap { m in
            guard let platform = m.platform, platforms.contains(platform), let bytes = m.body,
                  let s = try? Body(stored: bytes).statement else { return nil }
            var line = "NEW \(s.platform) seq \(m.entry.seq): \(s.category.rawValue), published \(s.published), signed by \(m.entry.signer)"
            if let link = s.supersedes { line += ", \(link.kind.rawValue) of seq \(link.seq)" }
            line += ": \"\(s.quote.replacingOccurrences(of: "\n", with: " "))\""
            if let url = s.source.url { line += " <\(url)>" }
            return line
        }
    }

    /// A verifier-key string, or a file holding one.
    static func verifierKey(_ source: String) throws -> NoteVerifierKey {
        var text = source
        if let data = FileManager.default.contents(atPath: source) {
            text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        do { return try NoteVerifierKey(parsing: text) } catch {
            throw CLIError.usage("--log-key \(source): not a verifier key (name+id+base64) nor a file with one; pass the source's `ledger log-key`")
        }
    }
}
