import Foundation
import GRDB
import LedgerCore

/// What a source ledger hands to mirrors besides tiles (`GET /v1/bodies`, `GET /v1/checkpoints`):
/// the statement bodies, which tiles do not carry, and the checkpoints it signed along the way,
/// so that a mirror can commit at the same sizes and hold only signed, verified prefixes.
extension LedgerStore {
    /// The stored bodies of entries `from ..< from + count`, in seq order; nil for a withheld body.
    /// Refuses a range past the latest checkpoint (a mirror must not see entries no checkpoint covers).
    public func bodies(from: Int64, count: Int) throws -> [[UInt8]?] {
        try servingRead { db in
            let covered = try Int64.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoints") ?? 0
            guard from >= 0, count >= 0, from <= covered - Int64(count) else {
                throw StorageError.beyondLedger(size: from + Int64(count), ledgerSize: covered)
            }
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT e.seq, b.body FROM entries e LEFT JOIN bodies b ON b.seq = e.seq
                WHERE e.seq >= ? AND e.seq < ? ORDER BY e.seq
                """), arguments: [from, from + Int64(count)])
            var out: [[UInt8]?] = []
            out.reserveCapacity(count)
            while let row = try cursor.next() {
                guard try row.column(0) as Int64 == from + Int64(out.count) else { throw StorageError.corrupt("entry \(from + Int64(out.count)) is missing") }
                out.append(try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } })
            }
            guard out.count == count else { throw StorageError.corrupt("entry \(from + Int64(out.count)) is missing") }
            return out
        }
    }

    /// Stored checkpoints (log-signed notes, without cosignatures) with `from ≤ size ≤ to`, at most
    /// `limit`, in ascending size order or, with `descending`, largest first.
    public func checkpoints(from: Int64, to: Int64, limit: Int, descending: Bool = false) throws -> [(size: Int64, note: String)] {
        try servingRead { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT size, note FROM checkpoints WHERE size BETWEEN ? AND ? ORDER BY size \(descending ? "DESC" : "ASC") LIMIT ?
                """), arguments: [from, to, limit]).map { (try $0.column(0), try $0.column(1)) }
        }
    }
}
