import LedgerConcurrency
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
        var state = try start(on: reader, resume: resume, resumeLabel: resumeLabel)
        let total = try reader.size()
        // A pipeline: the cores check the next two pages while this thread reads the one after
        // them from SQLite and replays page N (chain, tree, key history) in order. Two checks
        // in flight keep both cores busy across page boundaries. Signatures are checked
        // against the key history as of an earlier page; an entry whose signer's key changed
        // since is checked again against its key at that seq.
        func check(_ rows: [StoredEntry], _ history: KeyHistory) -> Background<[Result<CheckedEntry, IntegrityFailure>]> {
            Background { parallelMap(rows) { EntryCheck.run($0, history: history) } }
        }
        var inFlight: [(first: Int64, rows: [StoredEntry], checking: Background<[Result<CheckedEntry, IntegrityFailure>]>)] = []
        var nextSeq = state.size
        var gapFound = false
        func readAndStart() throws {
            guard !gapFound else { return }
            var rows = try reader.entries(from: nextSeq, limit: pageSize)
            guard !rows.isEmpty else { return }
            // Seqs run on from nextSeq. The first row that does not is kept, for the replay to
            // report the gap at its place in the log, and nothing after it is read: its seq
            // (up to Int64.max in a forged file) must not enter the page arithmetic.
            if let gap = rows.indices.first(where: { rows[$0].seq != nextSeq + Int64($0) }) {
                rows.removeSubrange((gap + 1)...)
                gapFound = true
            }
            let first = nextSeq
            nextSeq += Int64(rows.count)
            inFlight.append((first, rows, check(rows, state.history)))
        }
        try readAndStart()
        try readAndStart()
        while !inFlight.isEmpty {
            let (first, _, checking) = inFlight.removeFirst()
            let checked = checking.wait()
            try readAndStart()
            try checkPage(first: first, checked: checked[...], reader: reader, state: &state)
            progress?(state.size, max(total, state.size))
        }
        return try finish(&state, reader: reader, given: given)
    }

    /// The audit of a mirror's batch: `prechecked` (checked while it was fetched) replayed in
    /// order against the rows written for it, the entries before it resumed from `resume`, and
    /// every whole-ledger check of `finish`. The entries table is not read back: the rows were
    /// written from these very checked entries; `ledger-verify` reads them as any ledger.
    ///
    /// `links` carries the corrections and responses replayed by the previous batch of the same
    /// round, so each batch does not read every earlier `links` row again; it is updated.
    public func run(on reader: SnapshotReader, resume: AuditResumeState?, prechecked: PrecheckedBatch,
                    links: inout LinkHistory?) throws -> VerificationReport {
        var state = try start(on: reader, resume: resume, resumeLabel: "the mirror's last verified batch", links: links)
        links = nil
        state.links.rowsWrittenFromChecks = true
        guard prechecked.first == state.size else {
            throw IntegrityFailure(.entry(seq: prechecked.first), "the batch starts at \(prechecked.first), but the audit is at \(state.size)")
        }
        guard try reader.size() == state.size + Int64(prechecked.count) else {
            throw IntegrityFailure(.ledger, "the copy holds other entries than the batch checked")
        }
        var offset = 0
        while offset < prechecked.count {
            let page = prechecked.checked[offset..<min(offset + pageSize, prechecked.count)]
            try checkPage(first: prechecked.first + Int64(offset), checked: page, reader: reader, state: &state)
            offset += page.count
        }
        let report = try finish(&state, reader: reader, given: [])
        links = LinkHistory(size: state.size, replay: state.links)
        return report
    }

    private func start(on reader: SnapshotReader, resume: AuditResumeState?, resumeLabel: String,
                       links carried: LinkHistory? = nil) throws -> AuditState {
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
        state.links.documentsPresent = try reader.hasTable("documents")
        state.links.searchPresent = try reader.hasTable("search")
        state.links.disclosuresPresent = try reader.hasTable("disclosures")
        if let carried, carried.size == state.startSize, state.links.tablesPresent {
            state.links = carried.replay
        } else if state.links.tablesPresent, state.startSize > 0 {
            // Corrections and responses before the resume point were audited in an earlier
            // run; replay their rows so new ones are judged against the whole history.
            for row in try reader.links(before: state.startSize) {
                guard let kind = LinkKind(rawValue: row.kind) else {
                    throw IntegrityFailure(.entry(seq: row.seq), "the links row names an unknown kind '\(row.kind)'")
                }
                state.links.record(seq: row.seq, signer: row.signer, target: row.target, kind: kind)
            }
            state.links.zeroRows = try reader.rowCount("zero_claims", before: state.startSize)
        }
        if state.startSize > 0, !(carried.map { $0.size == state.startSize } ?? false) {
            if state.links.documentsPresent { state.links.documentRows = try reader.rowCount("documents", before: state.startSize) }
            if state.links.searchPresent { state.links.searchRows = try reader.rowCount("search", before: state.startSize) }
            if state.links.disclosuresPresent { state.links.disclosureRows = try reader.rowCount("disclosures", before: state.startSize) }
        }
        return state
    }

    private func finish(_ state: inout AuditState, reader: SnapshotReader, given: [(label: String, note: [UInt8])]) throws -> VerificationReport {
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

    /// Replays one page of checked entries, `first` the seq of its first.
    private func checkPage(first: Int64, checked: ArraySlice<Result<CheckedEntry, IntegrityFailure>>,
                           reader: SnapshotReader, state: inout AuditState) throws {
        guard !checked.isEmpty else { return }
        let lastSeq = first + Int64(checked.count) - 1
        let firstHashID = StoredHashIndex.firstIndex(ofLeaf: first)
        state.storedHashes = try reader.hashes(from: firstHashID, to: StoredHashIndex.firstIndex(ofLeaf: lastSeq + 1))
        state.storedHashCursor = 0
        state.expectedHashID = StoredHashIndex.count(forSize: state.size)
        try state.links.loadPage(from: first, to: lastSeq + 1, reader: reader)
        var failures: [IntegrityFailure] = []
        do {
            try state.loadCheckpoints(reader.checkpoints(from: state.size + 1, to: lastSeq + 1))
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

/// The corrections and responses an audit replayed up to `size`: what a mirror's next batch
/// resumes from instead of reading every earlier `links` row again. Within one write
/// transaction it also carries the derived tables' verified row counts, so the next batch
/// counts only its own rows; `enteringTransaction` drops them, as another writer may have
/// written between two transactions.
public struct LinkHistory {
    let size: Int64
    var replay: LinkReplay

    /// This history for a batch in a new write transaction: the next `finish` counts whole tables.
    public var enteringTransaction: LinkHistory {
        var copy = self
        copy.replay.counted = nil
        return copy
    }
}
