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
/// what it committed and `skipExisting` finishes it. Memory: three batches (one being read, one
/// signed, one written) and SQLite's bounded caches.
public struct BulkImport: Sendable {
    public let batchSize: Int
    /// Batches per transaction in `append`: four of 5,000 took a 10^6-statement import from
    /// 74-80 s to 64 s (docs/PERFORMANCE.md), as fewer commits rewrite the random index pages.
    static let batchesPerTransaction = 4
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

    /// What `check` found: submissions read, and how many are kept to be appended.
    public struct Checked: Sendable, Equatable {
        public var read = 0
        public var kept = 0
        public var skipped: Int { read - kept }
    }

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
        var checked = Checked()
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
    public func append(key: Ed25519PrivateKey, logKey: Ed25519PrivateKey, committed: ([Appended]) throws -> Void) throws {
        let (size, signer, scratch) = (batchSize, signer, scratch)
        let position = SharedValue<Int64>(0)
        let signed = Ahead<[PendingEntry]>(capacity: 1, name: "import-sign") {
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
            let batches = try store.append(logKey: logKey, maxBatches: Self.batchesPerTransaction) {
                guard let batch = try signed.next() else { exhausted = true; return nil }
                return batch
            }
            for appended in batches { try committed(appended) }
        }
    }
}
