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
    public func run(progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        try store.snapshot { reader in
            var state = AuditState(logKey: logKey)
            try state.checkMeta(try reader.meta())
            state.links.tablesPresent = try reader.hasLinkTables()
            let total = try reader.size()
            try state.loadCheckpoints(reader.checkpoints(from: 0, to: 0))
            try state.settleCheckpoints()
            // A three-stage pipeline: while the cores check page N+1, this thread reads page
            // N+2 from SQLite and then replays page N (chain, tree, key history) in order.
            // Signatures are checked against the key history as of the previous page; an entry
            // whose signer's key changed since is checked again against its key at that seq.
            func check(_ rows: [StoredEntry], _ history: KeyHistory) -> Background<[Result<CheckedEntry, IntegrityFailure>]> {
                Background { parallelMap(rows) { EntryCheck.run($0, history: history) } }
            }
            var page = try reader.entries(from: 0, limit: pageSize)
            var checking = check(page, state.history)
            while let last = page.last {
                let next = try reader.entries(from: last.seq + 1, limit: pageSize)
                let checked = checking.wait()
                checking = check(next, state.history)
                try checkPage(page, checked: checked, reader: reader, state: &state)
                page = next
                progress?(state.size, max(total, state.size))
            }
            _ = checking.wait()
            return try state.finish(reader: reader)
        }
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
