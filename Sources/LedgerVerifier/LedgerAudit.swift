import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The full audit of a ledger file against a pinned log key: contiguous seqs, every chain link,
/// leaf hash, body digest, canonical form, signature against the key history at that seq, every
/// stored Merkle hash, and every stored checkpoint's signature and root. Streams in pages of
/// `pageSize` entries (constant memory) and checks each page on every core.
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
            let total = try reader.size()
            try state.loadCheckpoints(reader.checkpoints(from: 0, to: 0))
            try state.settleCheckpoints()
            var next: Int64 = 0
            while true {
                let rows = try reader.entries(from: next, limit: pageSize)
                guard let last = rows.last else { break }
                try checkPage(rows, reader: reader, state: &state)
                next = last.seq + 1
                progress?(state.size, max(total, state.size))
            }
            return try state.finish(reader: reader)
        }
    }

    private func checkPage(_ rows: [StoredEntry], reader: SnapshotReader, state: inout AuditState) throws {
        guard let first = rows.first, let last = rows.last else { return }
        let checked = parallelMap(rows) { EntryCheck.run($0) }
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
