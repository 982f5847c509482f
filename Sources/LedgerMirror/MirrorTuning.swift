/// The mirror's tuning, in one place (each figure in docs/PERFORMANCE.md).
enum MirrorTuning {
    /// Entries per batch at most (`Mirror.batchSize`, `ledger mirror --batch-size`).
    static let batchSize: Int64 = 8192
    /// Entries per write transaction at least (`Mirror.commitSize`).
    static let commitSize: Int64 = 65_536
    /// A round of more than this many batches is a bulk copy: bulk-write settings, and a first
    /// copy defers its look-up indexes.
    static let bulkBatches: Int64 = 4
    /// Copies up to this size defer their look-up indexes (the guard then holds up to 128 MiB of digests).
    static let maxDeferredCopy: Int64 = 4 << 20
    /// How far from the round's end a first copy builds its deferred indexes. Meanwhile the
    /// check stage checks the rest of the round on the other core, all of it held in memory:
    /// two batches (four held 25 MiB more at the end of a 1,000,000-entry copy, 262 against
    /// 237 MiB, for no gain in rate that showed above this machine's noise).
    static func indexWindow(_ batchSize: Int64) -> Int64 { 2 * batchSize }
    /// Fetched batches waiting for the checks at most.
    static let fetchedAhead = 2
    /// Checked batches waiting for the writer at most. A commit (and the WAL checkpoint after
    /// it) stalls the writer for about one batch's checking time; with room for only one, the
    /// cores that check sat idle through it.
    static let checkedAhead = 2
}
