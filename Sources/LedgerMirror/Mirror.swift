import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// `ledger mirror`: keeps a verified copy of a remote ledger. Each round fetches the source's
/// checkpoint, checks it is signed by the pinned log key and extends the tree this copy already
/// verified (a consistency proof from the source), then copies the new entries in batches that
/// end at checkpoints the source signed, auditing each batch inside the transaction that writes
/// it. A refusal (fork, rollback, bad signature, bad entry) commits nothing of the batch that
/// shows it (earlier verified batches stay) and is kept as evidence in `mirror_evidence`.
public final class Mirror {
    public let client: SourceClient
    public let store: LedgerStore
    public var logKey: NoteVerifierKey { store.logKey }
    /// Entries per batch at most, unless the source signed no checkpoint inside that span.
    public var batchSize: Int64 = 8192
    /// Entries per write transaction at least (whole batches; the last one of a round, and in a
    /// first copy the one before its indexes are built, may be shorter).
    public var commitSize: Int64 = 65_536
    /// Stop a round after this many batches (a first copy of a large log spread over runs).
    public var maxBatches: Int?
    /// Copies up to this size defer their look-up indexes (the guard then holds up to 128 MiB of digests).
    static let maxDeferredCopy: Int64 = 4 << 20
    /// How far from the round's end a first copy builds its deferred indexes. Meanwhile the
    /// check stage checks the rest of the round on the other core, all of it held in memory (a
    /// wider window kept both cores busier but held 50 MiB more at 1,000,000 entries, for no
    /// gain that showed above this machine's noise).
    static func indexWindow(_ batchSize: Int64) -> Int64 { 4 * batchSize }
    /// Checked batches waiting for the writer at most. A commit (and the WAL checkpoint after
    /// it) stalls the writer for about one batch's checking time; with room for only one, the
    /// cores that check sat idle through it.
    static let checkedAhead = 2
    /// Called after each committed batch.
    public var onBatch: ((MirrorBatch) -> Void)?

    init(client: SourceClient, store: LedgerStore) {
        self.client = client
        self.store = store
    }

    /// Opens the copy at `path`, creating it if missing (then `pinned` is required). A `pinned`
    /// key must be the copy's own log key.
    public static func open(path: String, client: SourceClient, pinned: NoteVerifierKey?) throws -> Mirror {
        if FileManager.default.fileExists(atPath: path) {
            let store = try LedgerStore(path: path)
            if let pinned, pinned != store.logKey {
                throw MirrorError.usage("\(path) holds the log \(store.logKey.text), not the pinned \(pinned.text); use another --ledger")
            }
            return Mirror(client: client, store: store)
        }
        guard let pinned else {
            throw MirrorError.usage("no copy at \(path) yet: pass --log-key with the source's verifier key (`ledger log-key` at the source) to pin it")
        }
        // The source's empty-tree checkpoint starts the copy, as it started the source.
        var first: String?
        if let row = try client.checkpoints(from: 0, to: 0, limit: 1).first {
            guard let opened = try? Checkpoint.open(Array(row.note.utf8), logKey: pinned).checkpoint,
                  opened.size == 0, opened.root == MerkleHash.emptyRoot else {
                throw MirrorError.badSignature(reason: "the source's checkpoint of size 0 does not open under \(pinned.text) with the empty root")
            }
            first = row.note
        }
        return Mirror(client: client, store: try LedgerStore.createMirror(at: path, logKey: pinned, firstCheckpoint: first))
    }

    /// One round: brings the copy up to the source's latest checkpoint, or throws (after
    /// recording the evidence) the reason it refused.
    @discardableResult
    public func syncOnce() throws -> MirrorRound {
        do {
            return try sync()
        } catch let e as MirrorError {
            recordKeepingTheCause(e, remoteNote: nil, proof: e.proof)
            throw e
        } catch let r as Refusal {
            recordKeepingTheCause(r.error, remoteNote: r.remoteNote, proof: r.proof)
            throw r.error
        }
    }

    /// A refusal with what shows it.
    struct Refusal: Error {
        let error: MirrorError
        let remoteNote: String?
        let proof: String?
    }

    private func sync() throws -> MirrorRound {
        let remoteBytes = try client.checkpoint()
        let remoteNote = String(decoding: remoteBytes, as: UTF8.self)
        let remote: Checkpoint
        do { remote = try Checkpoint.open(remoteBytes, logKey: logKey).checkpoint } catch {
            throw Refusal(error: .badSignature(reason: "\(error)"), remoteNote: remoteNote, proof: nil)
        }
        let local = try store.latestCheckpointRow()
        let localCheckpoint = try Checkpoint.parse(text: try SignedNote.parse(local.note).text)
        let start = local.size
        guard remote.size >= start else {
            throw Refusal(error: .rollback(localSize: start, remoteSize: remote.size), remoteNote: remoteNote, proof: nil)
        }
        if remote.size == start {
            guard remote.root == localCheckpoint.root else {
                throw Refusal(error: .fork(reason: "both trees have \(start) entries, with roots \(localCheckpoint.root.base64) here and \(remote.root.base64) at the source"),
                              remoteNote: remoteNote, proof: nil)
            }
            return MirrorRound(from: start, to: start, target: remote.size, root: remote.root, batches: 0)
        }
        if start > 0 {
            let (text, document) = try client.consistencyProof(from: start, to: remote.size)
            let p = document.proof
            guard p.oldSize == start, p.newSize == remote.size, document.oldRoot == localCheckpoint.root,
                  document.newRoot == remote.root, document.verify(oldRoot: localCheckpoint.root, newRoot: remote.root) else {
                throw Refusal(error: .fork(reason: "the source's consistency proof from \(start) to \(remote.size) does not lead from the root verified here (\(localCheckpoint.root.base64)) to its signed root (\(remote.root.base64))"),
                              remoteNote: remoteNote, proof: text)
            }
        }
        let source = BatchSource(client: client, batchSize: batchSize, fetcher: BatchFetcher(client: client, treeSize: remote.size))
        let bulk = remote.size - start > 4 * batchSize
        if bulk { try store.tuneForBulkWrites() }
        return try withLookupIndexes(deferredIf: bulk, start: start, target: remote.size) { replayGuard in
            var resume = try resumeState(at: start)
            var links: LinkHistory?
            let audit = LedgerAudit(store: store, logKey: logKey)
            // Three stages at once: a thread fetches batches ahead, another checks them on every
            // core, and this thread writes and replays the current one in its transaction.
            // Signatures are checked against the key history as of an earlier batch; the replay
            // checks again any whose signer's key changed since.
            let fetching = Ahead<RawBatch>.fetching(source, from: start, treeSize: remote.size, treeRoot: remote.root,
                                                    maxBatches: maxBatches ?? .max)
            let checkHistory = SharedValue(try resume?.keyHistory ?? store.keyHistory())
            let checking = Ahead<(RawBatch, PrecheckedBatch)>(capacity: Self.checkedAhead, name: "mirror-check") {
                guard let raw = try fetching.next() else { return nil }
                return (raw, PrecheckedBatch.check(first: raw.first, leaves: raw.leaves, bodies: raw.bodies, history: checkHistory.value))
            }
            defer {
                fetching.cancel()
                checking.cancelAndWait()
            }
            var exhausted = false
            /// The next checked batch; nil when the round has no more. A failure to fetch a batch
            /// is thrown once the batches before it are written, so they are kept.
            func takeChecked() throws -> (raw: RawBatch, checked: PrecheckedBatch, entries: [MirroredEntry])? {
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
            var size = start
            var batches = 0
            // A first copy builds its deferred indexes a few batches before its end, in a
            // transaction of their own, while the check stage works through the last batches:
            // built after the last batch, they kept one core idle for seconds.
            var indexesPending = replayGuard != nil
            let restoreAt = remote.size - Self.indexWindow(batchSize)
            while !exhausted {
                // One transaction for several batches (each its own savepoint): see writeMirrored.
                do {
                    // Once the indexes are built, the unique one refuses replays; the guard stands in before.
                    try store.writeMirrored(source: client.base, replayGuard: indexesPending ? replayGuard : nil) { writer in
                        if indexesPending, size >= restoreAt {
                            checking.setCapacity(.max)  // what is left, at most indexWindow entries
                            // If the second index fails, the first still commits (writeMirrored
                            // commits what its body did); the round's end builds what is missing.
                            do { try writer.restoreLookupIndexes() } catch { throw MirrorError.local("building the look-up indexes: \(error)") }
                            indexesPending = false
                            return  // committed alone, also while the last batches are checked
                        }
                        var written: Int64 = 0
                        while written < commitSize, !(indexesPending && size >= restoreAt), let (raw, checked, entries) = try takeChecked() {
                            var done = [MirrorBatch(from: raw.first, entries: entries)]
                            try writer.span {
                                try writer.writeRows(entries, checkpoint: raw.end)
                                let state: AuditResumeState
                                if var pending = Self.unexplainedWithholdings(entries, pending: []) {
                                    // A withheld body whose notice comes in a later batch: those
                                    // batches join this span, which is audited from the database.
                                    while !pending.isEmpty {
                                        guard let next = try takeChecked() else {
                                            throw MirrorError.verification("seq \(pending.min() ?? 0): the body is missing and no withhold notice covers it")
                                        }
                                        try writer.writeRows(next.entries, checkpoint: next.raw.end)
                                        pending = Self.unexplainedWithholdings(next.entries, pending: pending) ?? []
                                        done.append(MirrorBatch(from: next.raw.first, entries: next.entries))
                                    }
                                    state = try audit.run(on: writer.reader, resume: resume).resumeState
                                    links = nil
                                } else {
                                    state = try audit.run(on: writer.reader, resume: resume, prechecked: checked, links: &links).resumeState
                                }
                                try writer.recordState(state.encoded)
                                resume = state
                            }
                            if let history = resume?.keyHistory { checkHistory.value = history }
                            for batch in done {
                                size = batch.from + Int64(batch.entries.count)
                                batches += 1
                                written += Int64(batch.entries.count)
                                // Verified and written; committed with the transaction (or, if a later
                                // batch fails, with the batches before it).
                                onBatch?(batch)
                            }
                        }
                    }
                } catch let r as Refusal {
                    throw r
                } catch let e as MirrorError {
                    throw Refusal(error: e, remoteNote: remoteNote, proof: e.proof)
                } catch let f as IntegrityFailure {
                    throw Refusal(error: .verification(f.description), remoteNote: remoteNote, proof: nil)
                } catch let e as StorageError {
                    // A row the source should never have held is its doing; anything else is ours.
                    if case .mirroredEntryRefused = e { throw Refusal(error: .verification(e.description), remoteNote: remoteNote, proof: nil) }
                    throw MirrorError.local(e.description)
                }
            }
            return MirrorRound(from: start, to: size, target: remote.size, root: remote.root, batches: batches)
        }
    }

    /// Runs a round's copy. A first copy (or one killed during its first copy) of a bulk round
    /// drops the look-up indexes; `body` gets the guard that refuses replayed statements
    /// meanwhile and builds them near the round's end. Whatever is still missing when the round
    /// ends, however it ends, is built here (docs/FORMAT.md §24).
    private func withLookupIndexes<T>(deferredIf bulk: Bool, start: Int64, target: Int64,
                                      _ body: (StatementReplayGuard?) throws -> T) throws -> T {
        let deferred = try store.lookupIndexesDeferred()
        guard bulk, start == 0 || deferred, target <= Self.maxDeferredCopy else {
            if deferred { try store.restoreLookupIndexes() }
            return try body(nil)
        }
        let result: T
        do { result = try body(try store.deferLookupIndexes(expecting: Int(target))) } catch {
            try? store.restoreLookupIndexes()
            throw error
        }
        do { try store.restoreLookupIndexes() } catch { throw MirrorError.local("building the look-up indexes: \(error)") }
        return result
    }

    /// The seqs of bodies missing from `entries` or still `pending` that no withhold notice in
    /// `entries` names; nil when there is none.
    static func unexplainedWithholdings(_ entries: [MirroredEntry], pending: Set<Int64>) -> Set<Int64>? {
        var missing = pending.union(entries.filter { $0.body == nil }.map(\.entry.seq))
        guard !missing.isEmpty else { return nil }
        for e in entries { if let w = e.withholds { missing.remove(w.seq) } }
        return missing.isEmpty ? nil : missing
    }

    /// The audit state of the last committed batch, if it ended where this copy ends. A copy
    /// without one (a ledger file copied by hand, or a mirror's first batch) is audited in full
    /// first, so every batch resumes from a verified state.
    private func resumeState(at size: Int64) throws -> AuditResumeState? {
        if let progress = try store.mirrorProgress(), progress.size == size,
           let state = try? AuditResumeState(parsing: progress.auditState) { return state }
        guard size > 0 else { return nil }
        do { return try LedgerAudit(store: store, logKey: logKey).run().resumeState } catch let f as IntegrityFailure {
            throw MirrorError.local("it fails its own audit, fix it first: \(f)")
        }
    }

    /// Stores the evidence; a failure to store it is printed, and the refusal still reported.
    private func recordKeepingTheCause(_ e: MirrorError, remoteNote: String?, proof: String?) {
        do { try record(e, remoteNote: remoteNote, proof: proof) } catch {
            try? FileHandle.standardError.write(contentsOf: Data("ledger: the evidence could not be stored: \(error)\n".utf8))
        }
    }

    private func record(_ e: MirrorError, remoteNote: String?, proof: String?) throws {
        guard e.kind != "usage" && e.kind != "local" else { return }
        let localNote = try? store.latestCheckpoint()
        // A watching mirror meets the same refusal every round: keep it once.
        if let last = try store.mirrorEvidence().last, last.kind == e.kind, last.detail == e.description,
           last.remoteNote == remoteNote, last.localNote == localNote { return }
        try store.recordMirrorEvidence(MirrorEvidence(time: Timestamp.now().description, source: client.base, kind: e.kind,
                                                      detail: e.description, localNote: localNote, remoteNote: remoteNote, proof: proof))
    }
}

/// What one round did.
public struct MirrorRound: Sendable {
    public let from: Int64
    public let to: Int64
    /// The size of the source's checkpoint; `to` is below it only when `maxBatches` stopped the round.
    public let target: Int64
    /// The source's root at `target`.
    public let root: Digest
    public let batches: Int
}

/// One committed batch: the entries now in the copy.
public struct MirrorBatch: Sendable {
    public let from: Int64
    public let entries: [MirroredEntry]
}
