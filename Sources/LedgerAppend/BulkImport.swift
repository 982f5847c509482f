import LedgerConcurrency
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Where a bulk import reads its input: a batch of documents at a time, in order, each with its
/// origin; empty at the end. Used from one thread at a time.
public protocol ImportInput: AnyObject, Sendable {
    func next(_ count: Int) throws -> [(origin: EntryOrigin, bytes: [UInt8])]
}

/// `ledger append` of any number of statements in memory that does not grow with them, in two
/// steps. `check` reads the input a batch at a time, parses and checks every submission as the
/// appender would, and refuses the first bad one before anything is written; what passes is
/// kept, canonical, in an `ImportScratch` on disk. `append` then signs and appends those in
/// transactions of `batchSize`, each with its own checkpoint, so an interrupted import keeps
/// what it committed and `skipExisting` finishes it. Memory: four batches (one being signed, two
/// signed and waiting, one written) and SQLite's bounded caches.
public struct BulkImport: Sendable {
    public let batchSize: Int
    /// Batches per transaction in `append`: four of 5,000 took a 10^6-statement import from
    /// 74-80 s to 64 s (docs/PERFORMANCE.md), as fewer commits rewrite the random index pages.
    static let batchesPerTransaction = 4
    /// Signed batches kept ready for the writer: with two rather than one, 14 alternated imports
    /// of 100,000 statements used 180-186 % of the cores against 172-180 % and took a median
    /// 7.47 s against 8.12 s, peak 111 against 105 MiB (136 MiB at 10^6; docs/PERFORMANCE.md).
    static let signedAhead = 2
    public let skipExisting: Bool
    public let signer: String
    public let store: LedgerStore
    public let scratch: ImportScratch

    public init(batchSize: Int, skipExisting: Bool, signer: String, store: LedgerStore, scratch: ImportScratch) {
        self.batchSize = batchSize
        self.skipExisting = skipExisting
        self.signer = signer
        self.store = store
        self.scratch = scratch
    }

    /// What `check` found: submissions read, how many are kept to be appended, and the ledger's
    /// size when the check began (what the kept ones were checked against).
    public struct Checked: Sendable, Equatable {
        public var read = 0
        public var kept = 0
        public var ledgerSize: Int64 = 0
        public var skipped: Int { read - kept }
    }

    /// From how many kept statements `append` builds the look-up indexes once at its end rather
    /// than entry by entry (`--defer-indexes-from`), provided they at least double the ledger:
    /// a 10^6-statement import took 99.7 s with them and 77-78 s without, building them
    /// included (docs/PERFORMANCE.md); building them reads the whole ledger, so a small import
    /// into a large ledger keeps them.
    public static let deferIndexesFrom = 50_000

    /// Reads all of `input`, checking each submission: its parse (`Submission`), replays of the
    /// ledger and repeats within the input (`AppendPrecheck.withoutReplays`: refused, or
    /// skipped with `skipExisting`), its link and its quote; keeps those that pass. Writes
    /// nothing to the ledger. The next batch is parsed on the other cores while one is checked.
    public func check(_ input: ImportInput) throws -> Checked {
        let size = batchSize
        let parsed = Ahead<[Submission]>(capacity: 1, name: "import-check") {
            let raw = try input.next(size)
            return raw.isEmpty ? nil : try Submission.parseAll(raw)
        }
        defer { parsed.cancelAndWait() }
        // An import killed while it had the indexes deferred left them missing: the look-ups
        // below need them.
        try store.restoreIndexesOfKilledImport()
        var checked = Checked(ledgerSize: try store.size())
        while let batch = try parsed.next() {
            let existing = try store.existingStatements(batch.map(\.body.sha256))
            let unseen = batch.filter { existing[$0.body.sha256] == nil }
            var repeats = try scratch.recordSeen(unseen.map { ($0.body.sha256, $0.origin) }).makeIterator()
            let kept = try AppendPrecheck.withoutReplays(batch, existing: existing, skip: skipExisting) { _ in repeats.next() ?? nil }
                .map { batch[$0] }
            try AppendPrecheck.checkLinks(kept, signer: signer, store: store)
            try AppendPrecheck.checkQuotes(kept, store: store)
            try scratch.keep(kept.map { ($0.origin, $0.body.canonical) })
            checked.read += batch.count
            checked.kept += kept.count
        }
        return checked
    }

    /// Appends what `check` kept, in order: signed with `key` on the other cores while the
    /// batch before is written, each batch in its own transaction with a checkpoint signed by
    /// `logKey`, then passed to `committed` (to print, write receipts, show progress). The
    /// appender checks each entry again, so a statement another appender added since `check`
    /// is refused as a replay.
    ///
    /// With `checked.kept` at least `deferIndexesFrom` (0: never) and at least the ledger's size,
    /// the look-up indexes are dropped first (if nothing was appended since `check`) and built
    /// again at the end, also when the import fails; meanwhile other appenders are refused.
    public func append(key: Ed25519PrivateKey, logKey: Ed25519PrivateKey, checked: Checked, deferIndexesFrom: Int = deferIndexesFrom,
                       committed: ([Appended]) throws -> Void) throws {
        let deferral = deferIndexesFrom > 0 && checked.kept >= deferIndexesFrom && Int64(checked.kept) >= checked.ledgerSize
            ? try store.deferLookupIndexes(forImportCheckedAt: checked.ledgerSize) : nil
        do {
            try append(key: key, logKey: logKey, deferral: deferral, committed: committed)
        } catch {
            // The import's error is the one to report; the indexes, if they cannot be built
            // now, are built by the next appender.
            try? deferral?.restore()
            throw error
        }
        try deferral?.restore()
    }

    private func append(key: Ed25519PrivateKey, logKey: Ed25519PrivateKey, deferral: ImportIndexDeferral?,
                        committed: ([Appended]) throws -> Void) throws {
        let (size, signer, scratch) = (batchSize, signer, scratch)
        let position = SharedValue<Int64>(0)
        // Two signed batches ahead, so the cores go on signing while the writer commits (its
        // fsync and WAL checkpoint): at one, both sat idle through every commit.
        let signed = Ahead<[PendingEntry]>(capacity: Self.signedAhead, name: "import-sign") {
            let (kept, next) = try scratch.kept(after: position.value, limit: size)
            guard !kept.isEmpty else { return nil }
            position.value = next
            // Canonical bytes checked once already: read as stored, without re-encoding.
            return try parallelMap(kept) { item in
                Result { try PendingEntry.sign(try Body(stored: item.canonical), origin: item.origin, signer: signer, key: key) }
            }.map { try $0.get() }
        }
        defer { signed.cancelAndWait() }
        var exhausted = false
        while !exhausted {
            let batches = try store.append(logKey: logKey, maxBatches: Self.batchesPerTransaction, deferral: deferral) {
                guard let batch = try signed.next() else { exhausted = true; return nil }
                return batch
            }
            for appended in batches { try committed(appended) }
        }
    }
}
