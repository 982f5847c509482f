import Foundation
import LedgerConcurrency
import LedgerCore
import LedgerStorage
import LedgerVerifier

/// Stages 2 and 3 of a round: batches fetched on a thread of their own, then checked on every
/// core on another, each stage up to its `MirrorTuning` capacity ahead of the next. Signatures
/// are checked against the key history as of an earlier batch (`history`, updated by the
/// commit stage); the replay checks again any whose signer's key changed since.
final class CheckedBatches: @unchecked Sendable {
    typealias Checked = (raw: RawBatch, checked: PrecheckedBatch, entries: [MirroredEntry])
    private let fetching: Ahead<RawBatch>
    private let checking: Ahead<(RawBatch, PrecheckedBatch)>
    let history: SharedValue<KeyHistory>
    /// True once the round has no more batches (or a fetch failed). Read and set by the commit
    /// stage's thread only.
    private(set) var exhausted = false

    init(fetching: Ahead<RawBatch>, history: KeyHistory) {
        self.fetching = fetching
        let shared = SharedValue(history)
        self.history = shared
        checking = Ahead(capacity: MirrorTuning.checkedAhead, name: "mirror-check") {
            guard let raw = try fetching.next() else { return nil }
            return (raw, PrecheckedBatch.check(first: raw.first, leaves: raw.leaves, bodies: raw.bodies, history: shared.value))
        }
    }

    /// The next checked batch; nil when the round has no more. A failure to fetch a batch is
    /// thrown once the batches before it are taken, so they are kept; a batch that fails its
    /// checks is thrown as a verification failure.
    func next() throws -> Checked? {
        guard !exhausted else { return nil }
        let item: (RawBatch, PrecheckedBatch)?
        do { item = try checking.next() } catch {
            exhausted = true
            throw error
        }
        guard let (raw, checked) = item else {
            exhausted = true
            return nil
        }
        guard let entries = checked.entries else {
            throw MirrorError.verification(checked.firstFailure?.description ?? "an entry fails its checks")
        }
        return (raw, checked, entries)
    }

    /// Lets the check stage run to the round's end (while the deferred indexes are built).
    func checkTheRest() { checking.setCapacity(.max) }

    /// Ends both stages (also when the round ends early).
    func stop() {
        fetching.cancel()
        checking.cancelAndWait()
    }
}

extension Mirror {
    /// Stage 4: writes the checked batches in transactions of at least `commitSize` entries,
    /// each batch in a savepoint with the audit that resumes from the previous batch's state
    /// (kept in `mirror_state`), so what commits is verified and a refusal commits nothing of
    /// the batch that shows it. A withheld body whose notice comes in a later batch joins those
    /// batches into one span, audited from the database. A first copy builds its deferred
    /// indexes `MirrorTuning.indexWindow` entries before the end, in a transaction of its own,
    /// while the last batches are still checked (built after the last one, they kept one core
    /// idle for seconds).
    func commit(_ ext: Extension, _ batches: CheckedBatches, resume start: AuditResumeState?,
                replayGuard: StatementReplayGuard?) throws -> MirrorRound {
        var resume = start
        var links: LinkHistory?
        let audit = LedgerAudit(store: store, logKey: logKey)
        var size = ext.start
        var count = 0
        var indexesPending = replayGuard != nil
        let restoreAt = ext.remote.size - MirrorTuning.indexWindow(batchSize)
        while !batches.exhausted {
            do {
                // Once the indexes are built, the unique one refuses replays; the guard stands in before.
                try store.writeMirrored(source: client.base, replayGuard: indexesPending ? replayGuard : nil) { writer in
                    // Row counts verified in an earlier transaction are counted again in full.
                    links = links?.enteringTransaction
                    if indexesPending, size >= restoreAt {
                        batches.checkTheRest()  // what is left, at most indexWindow entries
                        // If the second index fails, the first still commits (writeMirrored
                        // commits what its body did); the round's end builds what is missing.
                        do { try writer.restoreLookupIndexes() } catch { throw MirrorError.local("building the look-up indexes: \(error)") }
                        indexesPending = false
                        return  // committed alone, also while the last batches are checked
                    }
                    var written: Int64 = 0
                    while written < commitSize, !(indexesPending && size >= restoreAt), let next = try batches.next() {
                        var done = [MirrorBatch(from: next.raw.first, entries: next.entries)]
                        try writer.span {
                            try writer.writeRows(next.entries, checkpoint: next.raw.end)
                            let state: AuditResumeState
                            if var pending = Self.unexplainedWithholdings(next.entries, pending: []) {
                                while !pending.isEmpty {
                                    guard let later = try batches.next() else {
                                        throw MirrorError.verification("seq \(pending.min() ?? 0): the body is missing and no withhold notice covers it")
                                    }
                                    try writer.writeRows(later.entries, checkpoint: later.raw.end)
                                    pending = Self.unexplainedWithholdings(later.entries, pending: pending) ?? []
                                    done.append(MirrorBatch(from: later.raw.first, entries: later.entries))
                                }
                                state = try audit.run(on: writer.reader, resume: resume).resumeState
                                links = nil
                            } else {
                                state = try audit.run(on: writer.reader, resume: resume, prechecked: next.checked, links: &links).resumeState
                            }
                            try writer.recordState(state.encoded)
                            resume = state
                        }
                        if let history = resume?.keyHistory { batches.history.value = history }
                        for batch in done {
                            size = batch.from + Int64(batch.entries.count)
                            count += 1
                            written += Int64(batch.entries.count)
                            // Verified and written; committed with the transaction (or, if a later
                            // batch fails, with the batches before it).
                            onBatch?(batch)
                        }
                    }
                }
            } catch {
                throw Self.refusal(error, remoteNote: ext.remoteNote)
            }
        }
        return MirrorRound(from: ext.start, to: size, target: ext.remote.size, root: ext.remote.root, note: ext.remoteNote, batches: count)
    }

    /// What a failure while committing means: the source's doing (a refusal, kept as evidence
    /// with the source's note) or this copy's (`MirrorError.local`).
    static func refusal(_ error: any Error, remoteNote: String) -> any Error {
        switch error {
        case let r as Refusal: return r
        case let e as MirrorError: return Refusal(error: e, remoteNote: remoteNote, proof: e.proof)
        case let f as IntegrityFailure: return Refusal(error: .verification(f.description), remoteNote: remoteNote, proof: nil)
        case let e as StorageError:
            // A row the source should never have held is its doing; anything else is ours.
            if case .mirroredEntryRefused = e { return Refusal(error: .verification(e.description), remoteNote: remoteNote, proof: nil) }
            return MirrorError.local(e.description)
        default: return error
        }
    }

    /// The seqs of bodies missing from `entries` or still `pending` that no withhold notice in
    /// `entries` names; nil when there is none.
    static func unexplainedWithholdings(_ entries: [MirroredEntry], pending: Set<Int64>) -> Set<Int64>? {
        var missing = pending.union(entries.filter { $0.body == nil }.map(\.entry.seq))
        guard !missing.isEmpty else { return nil }
        for e in entries { if let w = e.withholds { missing.remove(w.seq) } }
        return missing.isEmpty ? nil : missing
    }
}
