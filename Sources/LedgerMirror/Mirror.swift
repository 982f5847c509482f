import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// `ledger mirror`: keeps a verified copy of a remote ledger. Each round fetches the source's
/// checkpoint, checks it is signed by the pinned log key and extends the tree this copy already
/// verified (a consistency proof from the source), then copies the new entries in batches that
/// end at checkpoints the source signed, auditing each batch inside the transaction that writes
/// it. A refusal (fork, rollback, bad signature, bad entry) commits nothing and is kept as
/// evidence in the copy's `mirror_evidence` table.
public final class Mirror {
    public let client: SourceClient
    public let store: LedgerStore
    public var logKey: NoteVerifierKey { store.logKey }
    /// Entries per batch at most, unless the source signed no checkpoint inside that span.
    public var batchSize: Int64 = 16_384
    /// Stop a round after this many batches (a first copy of a large log spread over runs).
    public var maxBatches: Int?
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
            try record(e, remoteNote: nil, proof: nil)
            throw e
        } catch let r as Refusal {
            try record(r.error, remoteNote: r.remoteNote, proof: r.proof)
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
        var fetcher = BatchFetcher(client: client, treeSize: remote.size)
        var size = start
        var batches = 0
        while size < remote.size, batches < maxBatches ?? .max {
            do {
                size = try copyBatch(from: size, treeSize: remote.size, fetcher: &fetcher)
            } catch let e as MirrorError {
                throw Refusal(error: e, remoteNote: remoteNote, proof: nil)
            }
            batches += 1
        }
        return MirrorRound(from: start, to: size, target: remote.size, root: remote.root, batches: batches)
    }

    /// Copies, audits and commits entries from `from` to the end of the next batch; the new size.
    private func copyBatch(from: Int64, treeSize: Int64, fetcher: inout BatchFetcher) throws -> Int64 {
        var end = try batchEnd(from: from, treeSize: treeSize)
        var entries = try fetch(from: from, to: end.size, fetcher: &fetcher)
        // A body the source withholds needs the withhold notice, which comes later in the log:
        // extend the batch to a checkpoint that includes it.
        while end.size < treeSize, !unexplainedWithholdings(entries).isEmpty {
            let next = try nextCheckpoint(after: end.size, treeSize: treeSize)
            entries += try fetch(from: end.size, to: next.size, fetcher: &fetcher)
            end = next
        }
        let resume = try resumeState(at: from)
        let audit = LedgerAudit(store: store, logKey: logKey)
        do {
            try store.appendMirrored(entries, checkpoint: end, source: client.base) { reader in
                try audit.run(on: reader, resume: resume, resumeLabel: "the mirror's last verified batch").resumeState.encoded
            }
        } catch let f as IntegrityFailure {
            throw MirrorError.verification(f.description)
        } catch let e as StorageError {
            throw MirrorError.verification(e.description)
        }
        onBatch?(MirrorBatch(from: from, entries: entries))
        return end.size
    }

    /// The largest checkpoint the source stored within `batchSize` entries of `from`, or if none,
    /// the first one after that.
    private func batchEnd(from: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        let want = min(treeSize, from + batchSize)
        if let c = try client.checkpoints(from: from + 1, to: want, limit: 1, descending: true).first {
            guard c.size > from, c.size <= want else {
                throw MirrorError.badResponse(url: client.base + "/v1/checkpoints", reason: "asked for sizes \(from + 1)...\(want), got \(c.size)")
            }
            return c
        }
        return try nextCheckpoint(after: want, treeSize: treeSize)
    }

    private func nextCheckpoint(after size: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        guard let c = try client.checkpoints(from: size + 1, to: treeSize, limit: 1).first, c.size > size, c.size <= treeSize else {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints",
                                          reason: "no stored checkpoint between \(size + 1) and \(treeSize), though it serves one of size \(treeSize)")
        }
        return c
    }

    /// Leaves and bodies of `from ..< to`, decoded on every core. Anything that does not decode
    /// is refused here; everything else is left to the audit.
    private func fetch(from: Int64, to: Int64, fetcher: inout BatchFetcher) throws -> [MirroredEntry] {
        let leaves = try fetcher.leaves(from: from, to: to)
        let bodies = try fetcher.bodies(from: from, to: to)
        let decoded = parallelMap(Array(zip(leaves, bodies).enumerated())) { item -> Result<MirroredEntry, MirrorError> in
            let seq = from + Int64(item.offset)
            let (leaf, bodyBytes) = item.element
            let entry: Entry
            do { entry = try Entry.decodeCanonical(leaf) ?? Entry(leaf: leaf) } catch {
                return .failure(.verification("entry \(seq): leaf: \(error)"))
            }
            guard entry.seq == seq else { return .failure(.verification("entry \(seq): the leaf served here says seq \(entry.seq)")) }
            var body: Body?
            if let bodyBytes {
                do { body = try Body(stored: bodyBytes) } catch { return .failure(.verification("entry \(seq): body: \(error)")) }
                guard body?.sha256 == entry.bodySHA256 else {
                    return .failure(.verification("entry \(seq): the body served does not match the leaf's body_sha256"))
                }
            }
            return .success(MirroredEntry(leaf: leaf, entry: entry, body: body))
        }
        return try decoded.map { try $0.get() }
    }

    /// Seqs of bodies missing from `entries` that no withhold notice in `entries` covers.
    private func unexplainedWithholdings(_ entries: [MirroredEntry]) -> Set<Int64> {
        var missing = Set(entries.filter { $0.body == nil }.map(\.entry.seq))
        guard !missing.isEmpty else { return [] }
        for e in entries { if case .withhold(let w)? = e.body?.document { missing.remove(w.seq) } }
        return missing
    }

    /// The audit state of the last committed batch, if it ended where this copy ends; nil means
    /// the first batch audits the whole copy.
    private func resumeState(at size: Int64) throws -> AuditResumeState? {
        guard let progress = try store.mirrorProgress(), progress.size == size else { return nil }
        return try? AuditResumeState(parsing: progress.auditState)
    }

    private func record(_ e: MirrorError, remoteNote: String?, proof: String?) throws {
        guard e.kind != "usage" else { return }
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
