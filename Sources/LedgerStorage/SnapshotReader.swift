import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// Reads one consistent snapshot of a ledger in pages, for audits that stream the whole file in
/// constant memory. Every method reads exactly what is stored, without interpretation: the
/// auditor decides what is wrong.
public struct SnapshotReader {
    let db: Database

    /// MAX(seq) + 1: the entry count if no entry is missing. Saturates at Int64.max (a seq no
    /// ledger reaches, in a file edited by hand): the audit reports the gap before it.
    public func size() throws -> Int64 {
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM entries") else { return 0 }
        return last == Int64.max ? last : last + 1
    }

    /// Up to `limit` entries with seq ≥ `from`, in seq order (gaps are the caller's to notice).
    /// Read with the C API: an audit reads every row, and GRDB's row decoding cost it about 1 %.
    public func entries(from: Int64, limit: Int) throws -> [StoredEntry] {
        let query = try RawStatement(db, StoredEntry.select + " WHERE e.seq >= ? ORDER BY e.seq LIMIT ?", bound: from, Int64(limit))
        var out: [StoredEntry] = []
        out.reserveCapacity(limit)
        try query.forEachRow { out.append(StoredEntry(columnsOf: query)) }
        return out
    }

    public func entry(seq: Int64) throws -> StoredEntry? {
        try Row.fetchOne(db.cachedStatement(sql: StoredEntry.select + " WHERE e.seq = ?"), arguments: [seq]).map { try StoredEntry(row: $0) }
    }

    /// Stored hashes with `from ≤ id < to`, as (id, bytes), in id order (read with the C API:
    /// an audit reads about two per entry).
    public func hashes(from: Int64, to: Int64) throws -> [(id: Int64, hash: [UInt8])] {
        let query = try RawStatement(db, "SELECT id, hash FROM hashes WHERE id >= ? AND id < ? ORDER BY id", bound: from, to)
        var out: [(id: Int64, hash: [UInt8])] = []
        out.reserveCapacity(Int(max(0, min(to - from, 1 << 16))))
        try query.forEachRow { out.append((query.int64(0), query.bytes(1) ?? [])) }
        return out
    }

    public func hashCount() throws -> Int64 { try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM hashes") ?? 0 }

    public func maxHashID() throws -> Int64? { try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM hashes") }

    public func minHashID() throws -> Int64? { try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM hashes") }

    /// The stored hashes at these ids (throws `MerkleError.missingHash` for an absent one).
    public func storedHashes(_ ids: [Int64]) throws -> [Digest] { try StoredHashes(db: db).readHashes(ids) }

    /// MTH of the first `size` entries from the stored hashes, O(log size) rows, unchecked.
    public func root(size: Int64) throws -> Digest { try SubtreeHash.root(size: size, reader: StoredHashes(db: db)) }

    /// The RFC 9162 consistency proof from `oldSize` to `newSize` (0 < oldSize ≤ newSize) from the stored hashes.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> ConsistencyProof {
        try ConsistencyProof.prove(oldSize: oldSize, newSize: newSize, reader: StoredHashes(db: db))
    }

    /// The stored note at exactly `size`, if any.
    public func checkpointNote(size: Int64) throws -> String? {
        try String.fetchOne(db, sql: "SELECT note FROM checkpoints WHERE size = ?", arguments: [size])
    }

    /// The stored checkpoint of the largest size, if any.
    public func latestCheckpoint() throws -> (size: Int64, note: String)? {
        try Row.fetchOne(db, sql: "SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1").map { (try $0.column(0), try $0.column(1)) }
    }

    /// Stored checkpoint notes with `from ≤ size ≤ to`, in size order.
    public func checkpoints(from: Int64, to: Int64) throws -> [(size: Int64, note: String)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT size, note FROM checkpoints WHERE size BETWEEN ? AND ? ORDER BY size"),
                         arguments: [from, to]).map { (try $0.column(0), try $0.column(1)) }
    }

    /// The smallest stored checkpoint size above `size`, if any.
    public func firstCheckpointSize(after size: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(size) FROM checkpoints WHERE size > ?", arguments: [size])
    }

    public func maxCheckpointSize() throws -> Int64? { try Int64.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoints") }

    /// The notice seq recorded for withholding the body `sha256` of entry `seq`.
    public func withholdNoticeSeq(sha256: [UInt8], seq: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT notice_seq FROM withheld WHERE seq = ? AND sha256 = ?", arguments: [seq, Data(sha256)])
    }

    /// The first body row whose seq is not below `size` (a body without an entry), if any.
    public func firstBodyWithoutEntry(size: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(seq) FROM bodies WHERE seq >= ?", arguments: [size])
    }

    /// The seqs the `withheld` table lists, in order; with `noticesFrom`, only those withheld by
    /// notices at that seq or later (what a static copy published before it must now leave out).
    public func withheldSeqs(noticesFrom noticeSeq: Int64 = 0) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT seq FROM withheld WHERE notice_seq >= ? ORDER BY seq", arguments: [noticeSeq])
    }

    /// Whether the file has the `links` and `zero_claims` tables (migration v2).
    public func hasLinkTables() throws -> Bool { try db.tableExists("links") && db.tableExists("zero_claims") }

    // The derived rows the audit holds to the signed bodies are read with the C API, whole:
    // GRDB reads text up to its first NUL byte, so a row given a tail after a NUL compared
    // equal to the body it derives from while a query read the tail.

    /// The `links` rows of entries `from ≤ seq < to`, by seq (one range read for a page of the audit).
    public func links(from: Int64, to: Int64) throws -> [Int64: (target: Int64, kind: String, signer: String)] {
        var out: [Int64: (target: Int64, kind: String, signer: String)] = [:]
        let query = try RawStatement(db, "SELECT seq, target, kind, signer FROM links WHERE seq >= ?1 AND seq < ?2", bound: from, to)
        try query.forEachRow { out[query.int64(0)] = (query.int64(1), try query.requiredText(2), try query.requiredText(3)) }
        return out
    }

    /// The `zero_claims` rows of entries `from ≤ seq < to`, by seq.
    public func zeroClaims(from: Int64, to: Int64) throws -> [Int64: (platform: String, effectiveDate: String, scopes: String)] {
        var out: [Int64: (platform: String, effectiveDate: String, scopes: String)] = [:]
        let query = try RawStatement(db, "SELECT seq, platform, effective_date, scopes FROM zero_claims WHERE seq >= ?1 AND seq < ?2",
                                     bound: from, to)
        try query.forEachRow { out[query.int64(0)] = (try query.requiredText(1), try query.requiredText(2), try query.requiredText(3)) }
        return out
    }

    /// Every `links` row of an entry before `seq`, in seq order.
    public func links(before seq: Int64) throws -> [(seq: Int64, target: Int64, kind: String, signer: String)] {
        var out: [(seq: Int64, target: Int64, kind: String, signer: String)] = []
        let query = try RawStatement(db, "SELECT seq, target, kind, signer FROM links WHERE seq < ?1 ORDER BY seq", bound: seq)
        try query.forEachRow { out.append((query.int64(0), query.int64(1), try query.requiredText(2), try query.requiredText(3))) }
        return out
    }

    /// The `documents` rows of entries `from ≤ seq < to`, by seq.
    public func documents(from: Int64, to: Int64) throws -> [Int64: DocumentRow] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT \(try DocumentRow.selectable(db)) FROM documents WHERE seq >= ? AND seq < ?"),
                                       arguments: [from, to])
        var out: [Int64: DocumentRow] = [:]
        while let row = try rows.next() {
            let d = try DocumentRow(row: row)
            out[d.seq] = d
        }
        return out
    }

    /// The `search` rows of statements `from ≤ seq < to`, by seq (a rowid range of the index),
    /// read with the C API: an audit reads one per statement.
    public func searchRows(from: Int64, to: Int64) throws -> [Int64: SearchRow] {
        let query = try RawStatement(db, "SELECT rowid, platform, category, recipients, text FROM search WHERE rowid >= ?1 AND rowid < ?2",
                                     bound: from, to)
        var out: [Int64: SearchRow] = [:]
        try query.forEachRow {
            out[query.int64(0)] = SearchRow(platform: try query.requiredText(1), category: try query.requiredText(2),
                                            recipients: try query.requiredText(3), text: try query.requiredText(4))
        }
        return out
    }

    /// True once the file has `table` (a migration's: `links`, `documents`, `search`…).
    public func hasTable(_ table: String) throws -> Bool { try db.tableExists(table) }

    /// The rows of `table` (one of the derived tables, whose rowid is the seq of the entry they
    /// derive from), of entries from `from` and before `before` where given: one count over a
    /// range of the rowid b-tree, costing the rows counted, not the table.
    public func rowCount(_ table: String, from: Int64? = nil, before: Int64? = nil) throws -> Int64 {
        let bounds = [from.map { ("rowid >= ?", $0) }, before.map { ("rowid < ?", $0) }].compactMap { $0 }
        let filter = bounds.isEmpty ? "" : " WHERE " + bounds.map(\.0).joined(separator: " AND ")
        return try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)" + filter, arguments: StatementArguments(bounds.map(\.1))) ?? 0
    }

    /// (origin, log key text) as the file's meta table states them.
    public func meta() throws -> [String: String] {
        try LedgerStore.readMeta(db, path: "the ledger")
    }
}

extension LedgerStore {
    /// Runs `body` over one read snapshot.
    public func snapshot<T>(_ body: (SnapshotReader) throws -> T) throws -> T {
        try reading.read { db in try body(SnapshotReader(db: db)) }
    }
}
