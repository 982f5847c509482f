import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The full audit of a ledger file against a pinned log key: contiguous seqs, every chain link,
/// leaf hash, body digest, canonical form, signature against the key history at that seq, every
/// stored Merkle hash, and every stored checkpoint's signature and root. Streams in pages of
/// `pageSize` entries (constant memory), checking each page on every core while the next is read.
public struct LedgerAudit {
    public let store: LedgerStore
    public let logKey: NoteVerifierKey
    public var pageSize = 1024

    public init(store: LedgerStore, logKey: NoteVerifierKey) {
        self.store = store
        self.logKey = logKey
    }

    /// Returns the report of a clean ledger or throws the first `IntegrityFailure`.
    /// `progress` is called after each page with (entries checked, entries in the ledger).
    ///
    /// With `resume` (a state saved by an earlier run, labelled `resumeLabel` in messages), it first
    /// checks in O(log n) that the ledger still holds the state's tree, then checks only the
    /// entries after it: O(new entries). Each of `given` (label, signed note) must then be a
    /// checkpoint of this ledger's tree, else the failure carries split-view evidence.
    public func run(resume: AuditResumeState? = nil, resumeLabel: String = "state",
                    given: [(label: String, note: [UInt8])] = [],
                    progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        try store.snapshot { reader in
            try run(on: reader, resume: resume, resumeLabel: resumeLabel, given: given, progress: progress)
        }
    }

    /// The same audit over `reader`, which may be a write transaction not yet committed: a mirror
    /// audits each batch it copied before committing it.
    public func run(on reader: SnapshotReader, resume: AuditResumeState? = nil, resumeLabel: String = "state",
                    given: [(label: String, note: [UInt8])] = [],
                    progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        var state: AuditState
        if let resume {
            state = try AuditState(resuming: resume, logKey: logKey)
            try state.checkMeta(try reader.meta())
            try state.requireStillContains(resume, label: resumeLabel, reader: reader)
        } else {
            state = AuditState(logKey: logKey)
            try state.checkMeta(try reader.meta())
            try state.loadCheckpoints(reader.checkpoints(from: 0, to: 0))
            try state.settleCheckpoints()
        }
        state.links.tablesPresent = try reader.hasLinkTables()
        if state.links.tablesPresent, state.startSize > 0 {
            // Corrections and responses before the resume point were audited in an earlier
            // run; replay their rows so new ones are judged against the whole history.
            for row in try reader.links(before: state.startSize) {
                guard let kind = LinkKind(rawValue: row.kind) else {
                    throw IntegrityFailure(.entry(seq: row.seq), "the links row names an unknown kind '\(row.kind)'")
                }
                state.links.record(seq: row.seq, signer: row.signer, target: row.target, kind: kind)
            }
            state.links.zeroRows = try reader.zeroClaimCount(before: state.startSize)
        }
        let total = try reader.size()
        // A pipeline: the cores check the next two pages while this thread reads the one after
        // them from SQLite and replays page N (chain, tree, key history) in order. Two checks
        // in flight keep both cores busy across page boundaries. Signatures are checked
        // against the key history as of an earlier page; an entry whose signer's key changed
        // since is checked again against its key at that seq.
        func check(_ rows: [StoredEntry], _ history: KeyHistory) -> Background<[Result<CheckedEntry, IntegrityFailure>]> {
            Background { parallelMap(rows) { EntryCheck.run($0, history: history) } }
        }
        var inFlight: [(rows: [StoredEntry], checking: Background<[Result<CheckedEntry, IntegrityFailure>]>)] = []
        var nextSeq = state.size
        func readAndStart() throws {
            let rows = try reader.entries(from: nextSeq, limit: pageSize)
            guard let last = rows.last else { return }
            nextSeq = last.seq + 1
            inFlight.append((rows, check(rows, state.history)))
        }
        try readAndStart()
        try readAndStart()
        while !inFlight.isEmpty {
            let (rows, checking) = inFlight.removeFirst()
            let checked = checking.wait()
            try readAndStart()
            try checkPage(rows, checked: checked, reader: reader, state: &state)
            progress?(state.size, max(total, state.size))
        }
        var report = try state.finish(reader: reader)
        let top = SignedCheckpoint(checkpoint: report.resumeState.checkpoint, note: report.latestCheckpoint)
        for (label, note) in given {
            let signed: SignedCheckpoint
            do { signed = try SignedCheckpoint(opening: note, logKey: logKey) } catch {
                throw IntegrityFailure(.given(label), "not a checkpoint signed by the pinned log key \(logKey.text): \(error)")
            }
            try TreeContainment.require(signed, within: top, logKey: logKey, location: .given(label),
                                        what: "the given checkpoint", reader: reader)
            report.containsGiven.append(signed.checkpoint)
        }
        return report
    }

    private func checkPage(_ rows: [StoredEntry], checked: [Result<CheckedEntry, IntegrityFailure>],
                           reader: SnapshotReader, state: inout AuditState) throws {
        guard let first = rows.first, let last = rows.last else { return }
        let firstHashID = StoredHashIndex.firstIndex(ofLeaf: first.seq)
        state.storedHashes = try reader.hashes(from: firstHashID, to: StoredHashIndex.firstIndex(ofLeaf: last.seq + 1))
        state.storedHashCursor = 0
        state.expectedHashID = StoredHashIndex.count(forSize: state.size)
        var failures: [IntegrityFailure] = []
        do {
            try state.loadCheckpoints(reader.checkpoints(from: state.size + 1, to: last.seq + 1))
            for result in checked {
                try state.accept(try result.get(), reader: reader)
            }
        } catch let f as IntegrityFailure {
            failures.append(f)
        }
        let jobs = state.signatureJobs
        state.signatureJobs.removeAll(keepingCapacity: true)
        // Signature failures first: at one seq, the bad signature is the cause of what follows.
        failures.insert(contentsOf: parallelMap(jobs) { $0.run() }.compactMap { $0 }, at: 0)
        // Report whichever failure comes first in the log.
        if let first = failures.min(by: { $0.location.position < $1.location.position }) { throw first }
    }
}
