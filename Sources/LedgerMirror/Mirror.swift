import Foundation
import LedgerConcurrency
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
    /// `ledger mirror --batch`'s default (MirrorTuning).
    public static let defaultBatchSize = MirrorTuning.batchSize
    public var batchSize: Int64 = MirrorTuning.batchSize
    /// Entries per write transaction at least (whole batches; the last one of a round, and in a
    /// first copy the one before its indexes are built, may be shorter).
    public var commitSize: Int64 = MirrorTuning.commitSize
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
        // A key that does not open the source's latest checkpoint is a wrong --log-key (the
        // caller's mistake), told apart here from a source that misbehaves later.
        let latest = try client.checkpoint()
        do { _ = try Checkpoint.open(latest, logKey: pinned) } catch {
            let signedBy = (try? SignedNote.parse(String(decoding: latest, as: UTF8.self)).signatures.map(\.name)) ?? []
            throw MirrorError.usage("the source's checkpoint does not verify under the pinned key \(pinned.text)"
                                    + (signedBy.isEmpty ? "" : " (it is signed by: \(signedBy.joined(separator: ", ")))")
                                    + "; pass the source's own key, as `ledger log-key` prints it at the source")
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
            var round = try sync()
            if round.to == round.target { round.cosignatures = keepCosignatures(round.note) }
            return round
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

    /// What a round copies: the source's signed checkpoint, and the size this copy verified.
    struct Extension {
        let remote: Checkpoint
        let remoteNote: String
        let start: Int64
    }

    /// A round in four stages: check that the source's checkpoint extends what this copy
    /// verified; fetch batches ahead; check them on every core; commit them, each audited in
    /// the transaction that writes it (`commit`, MirrorCommit.swift). A first copy defers its
    /// look-up indexes around the last two (`withLookupIndexes`).
    private func sync() throws -> MirrorRound {
        let ext = try checkExtension()
        guard ext.remote.size > ext.start else {
            return MirrorRound(from: ext.start, to: ext.start, target: ext.remote.size, root: ext.remote.root, note: ext.remoteNote, batches: 0)
        }
        let bulk = ext.remote.size - ext.start > MirrorTuning.bulkBatches * batchSize
        if bulk { try store.tuneForBulkWrites() }
        return try withLookupIndexes(deferredIf: bulk, start: ext.start, target: ext.remote.size) { replayGuard in
            let resume = try resumeState(at: ext.start)
            let batches = CheckedBatches(
                fetching: .fetching(BatchSource(client: client, batchSize: batchSize, origin: ext.remote.origin,
                                                fetcher: BatchFetcher(client: client, treeSize: ext.remote.size)),
                                    from: ext.start, treeSize: ext.remote.size, treeRoot: ext.remote.root, maxBatches: maxBatches ?? .max),
                history: try resume?.keyHistory ?? store.keyHistory())
            defer { batches.stop() }
            return try commit(ext, batches, resume: resume, replayGuard: replayGuard)
        }
    }

    /// Stage 1: the source's latest checkpoint must open under the pinned key and extend the tree
    /// this copy verified: no smaller, the same root at the same size, else a consistency proof
    /// from this size to the source's that leads from our root to its. Reads one checkpoint and
    /// at most one proof; throws a `Refusal` carrying what shows a fork or rollback.
    func checkExtension() throws -> Extension {
        let remoteBytes = try client.checkpoint()
        let remoteNote = String(decoding: remoteBytes, as: UTF8.self)
        let remote: Checkpoint
        do { remote = try Checkpoint.open(remoteBytes, logKey: logKey).checkpoint } catch {
            throw Refusal(error: .badSignature(reason: "\(error)"), remoteNote: remoteNote, proof: nil)
        }
        let local = try store.latestCheckpointRow()
        let localRoot = try Checkpoint.parse(text: try SignedNote.parse(local.note).text).root
        let start = local.size
        guard remote.size >= start else {
            throw Refusal(error: .rollback(localSize: start, remoteSize: remote.size), remoteNote: remoteNote, proof: nil)
        }
        if remote.size == start, remote.root != localRoot {
            throw Refusal(error: .fork(reason: "both trees have \(start) entries, with roots \(localRoot.base64) here and \(remote.root.base64) at the source"),
                          remoteNote: remoteNote, proof: nil)
        }
        if start > 0, remote.size > start {
            let (text, document) = try client.consistencyProof(from: start, to: remote.size, origin: remote.origin)
            let p = document.proof
            guard p.oldSize == start, p.newSize == remote.size, document.oldRoot == localRoot,
                  document.newRoot == remote.root, document.verify(oldRoot: localRoot, newRoot: remote.root) else {
                throw Refusal(error: .fork(reason: "the source's consistency proof from \(start) to \(remote.size) does not lead from the root verified here (\(localRoot.base64)) to its signed root (\(remote.root.base64))"),
                              remoteNote: remoteNote, proof: text)
            }
        }
        return Extension(remote: remote, remoteNote: remoteNote, start: start)
    }

    /// Runs a round's copy. A first copy (or one killed during its first copy) of a bulk round
    /// drops the look-up indexes; `body` gets the guard that refuses replayed statements
    /// meanwhile and builds them near the round's end. Whatever is still missing when the round
    /// ends, however it ends, is built here (docs/FORMAT.md §24).
    private func withLookupIndexes<T>(deferredIf bulk: Bool, start: Int64, target: Int64,
                                      _ body: (StatementReplayGuard?) throws -> T) throws -> T {
        let deferred = try store.lookupIndexesDeferred()
        guard bulk, start == 0 || deferred, target <= MirrorTuning.maxDeferredCopy else {
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

    /// Stores the cosignatures on the source's checkpoint `note` (now this copy's latest) by the
    /// witnesses this copy trusts (`ledger mirror --witness`, `ledger cosignature trust`), each
    /// verified; lines by others are ignored. A witness's cosignature is its own statement, not
    /// the log's, so a bad one is reported, not refused as the source's misbehaviour.
    func keepCosignatures(_ note: String) -> CosignatureOutcome {
        guard let signed = try? SignedNote.parse(note),
              signed.signatures.contains(where: { !($0.name == logKey.name && $0.keyID == logKey.keyID) }) else { return .init() }
        do {
            return CosignatureOutcome(kept: try store.addCosignatures(Array(note.utf8)).stored)
        } catch StorageError.unauthorized(item: "checkpoint", _) {
            return .init()   // no line by a trusted witness
        } catch {
            return CosignatureOutcome(problem: "\(error)")
        }
    }

    /// The audit state of the last committed batch, if it ended where this copy ends. A copy
    /// without one (a ledger file copied by hand, or a mirror's first batch) is audited in full
    /// first, so every batch resumes from a verified state.
    func resumeState(at size: Int64) throws -> AuditResumeState? {
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
        // Only the source's misbehaviour is evidence; an unreachable source or a local failure is not.
        guard e.kind == .integrity else { return }
        let localNote = try? store.latestCheckpointRow().note
        // A watching mirror meets the same refusal every round: keep it once.
        if let last = try store.mirrorEvidence().last, last.kind == e.evidenceKind, last.detail == e.description,
           last.remoteNote == remoteNote, last.localNote == localNote { return }
        try store.recordMirrorEvidence(MirrorEvidence(time: Timestamp.now().description, source: client.base, kind: e.evidenceKind,
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
    /// The source's checkpoint at `target`, as served (with any cosignatures).
    public let note: String
    public let batches: Int
    /// What became of the cosignatures on `note`, once the copy reached it.
    public var cosignatures = CosignatureOutcome()
}

/// The cosignatures a round kept: the trusted witnesses' names, or why they were not kept.
public struct CosignatureOutcome: Sendable {
    public var kept: [String] = []
    public var problem: String?
}

/// One committed batch: the entries now in the copy.
public struct MirrorBatch: Sendable {
    public let from: Int64
    public let entries: [MirroredEntry]
}
