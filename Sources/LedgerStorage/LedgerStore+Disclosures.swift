import Foundation
import GRDB
import LedgerCore

/// Whom each statement says got data (migration `v10-disclosures`, docs/FORMAT.md §13): one row
/// per statement with a positive figure of a measure that counts data handed over, its
/// `Statement.disclosureScopes`. A history page finds the first claim that contradicts each
/// claim of absence by reading these short rows instead of decoding every body. Derived from
/// the signed bodies, written in the append's transaction, removed with a withheld body (what
/// it says is gone with the body), and held to the bodies by the audit.
enum DisclosureIndex {
    static let create = "CREATE TABLE disclosures (seq INTEGER PRIMARY KEY NOT NULL, scopes TEXT NOT NULL)"

    /// One row, bound with SQLite's C API (`RawStatement`): every appended statement writes one.
    static func insert(_ db: Database, seq: Int64, scopes: String, orIgnore: Bool = false) throws {
        let insert = try RawStatement(db, "\(orIgnore ? "INSERT OR IGNORE" : "INSERT") INTO disclosures(seq, scopes) VALUES (?1, ?2)")
        insert.bind(1, seq)
        insert.bind(2, text: scopes)
        try insert.execute()
    }

    /// Removes a withheld statement's row.
    static func delete(_ db: Database, seq: Int64) throws {
        guard try db.tableExists("disclosures") else { return }
        try db.execute(sql: "DELETE FROM disclosures WHERE seq = ?", arguments: [seq])
    }

    /// Fills the table from every stored statement body, in seq order (the migration).
    static func fill(_ db: Database) throws {
        try DerivedRows.forEachStoredStatement(db) { seq, s in
            if let scopes = s.disclosureScopes { try insert(db, seq: seq, scopes: scopes) }
        }
    }
}

extension ClaimQueries {
    /// The `disclosures` rows of the statements about `platform` (of `category`, if given), in
    /// timeline order (effective date, then seq); nil on a file without the table (read-only,
    /// before migration `v10-disclosures`). One walk of the platform index and a primary-key
    /// look-up per statement: no body is read.
    public func disclosures(platform: String, category: String?) throws -> [(seq: Int64, scopes: String)]? {
        guard try db.tableExists("disclosures") else { return nil }
        let sql = """
            SELECT d.seq, d.scopes FROM entries e JOIN disclosures d ON d.seq = e.seq
            WHERE e.platform = ?1 \(category == nil ? "" : "AND e.category = ?2") ORDER BY e.effective_date, e.seq
            """
        let query = try RawStatement(db, sql)
        query.bind(1, text: platform)
        if let category { query.bind(2, text: category) }
        var out: [(seq: Int64, scopes: String)] = []
        try query.forEachRow { out.append((query.int64(0), query.text(1) ?? "")) }
        return out
    }
}

extension SnapshotReader {
    /// The `disclosures` rows of entries `from ≤ seq < to`, by seq, read with the C API.
    public func disclosureRows(from: Int64, to: Int64) throws -> [Int64: String] {
        let query = try RawStatement(db, "SELECT seq, scopes FROM disclosures WHERE seq >= ?1 AND seq < ?2", bound: from, to)
        var out: [Int64: String] = [:]
        try query.forEachRow { out[query.int64(0)] = try query.requiredText(1) }
        return out
    }
}
