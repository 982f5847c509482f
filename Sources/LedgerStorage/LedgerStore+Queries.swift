import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// One statement entry with what the links say about it: the rows `compare` and `history` read.
public struct ClaimRow: Sendable {
    public let seq: Int64
    public let signer: String
    public let time: String
    public let platform: String
    public let category: String
    public let effectiveDate: String
    /// The canonical body; nil when withheld, or when the row was read without it
    /// (`ClaimQueries.timeline` with `full` false, which also leaves the response counts 0).
    public let body: [UInt8]?
    /// The body was withheld by a signed notice (read without the body: the notice's `withheld`
    /// row is stored; a mirror stores it when it copies the notice).
    public let withheld: Bool
    /// The amendment or retraction that replaces this entry, if any.
    public let supersededBy: (seq: Int64, kind: String)?
    /// This entry's own link, if it is a correction.
    public let corrects: (target: Int64, kind: String)?
    public let endorsements: Int
    public let disputes: Int

    static let select = select(full: true)

    /// The row's columns, with the body and the response counts or (`full` false, the rows a
    /// history page is planned on) without them. Without, whether it was withheld comes from
    /// the small `withheld` table, not from looking the body up: that would read a `bodies` leaf
    /// page per row (a third of a history page's reads at 5,000 statements).
    static func select(full: Bool) -> String {
        """
        SELECT e.seq, e.signer, e.time, e.platform, e.category, e.effective_date, \(full ? "b.body" : "NULL"), s.seq, s.kind, o.target, o.kind,
          \(full ? "(SELECT COUNT(*) FROM links r WHERE r.target = e.seq AND r.kind = 'endorsement')" : "0"),
          \(full ? "(SELECT COUNT(*) FROM links r WHERE r.target = e.seq AND r.kind = 'dispute')" : "0"),
          \(full ? "b.seq IS NULL" : "EXISTS (SELECT 1 FROM withheld w WHERE w.seq = e.seq)")
        FROM entries e
        \(full ? "LEFT JOIN bodies b ON b.seq = e.seq" : "")
        LEFT JOIN links s ON s.target = e.seq AND s.kind IN ('amendment', 'retraction')
        LEFT JOIN links o ON o.seq = e.seq
        """
    }

    /// A statement is live when nothing supersedes it and it is not itself a retraction
    /// (`LinkKind.isLive`, in SQL).
    static let live = """
        NOT EXISTS (SELECT 1 FROM links l WHERE l.target = e.seq AND l.kind IN ('amendment', 'retraction'))
        AND NOT EXISTS (SELECT 1 FROM links l WHERE l.seq = e.seq AND l.kind = 'retraction')
        """

    /// The columns of `select` read with SQLite's C API: a history reads thousands of rows, and
    /// GRDB's row decoding cost about 8 ms of a 5,000-row one (97 -> 89 ms end to end).
    init(columnsOf query: RawStatement) {
        seq = query.int64(0)
        signer = query.text(1) ?? ""
        time = query.text(2) ?? ""
        platform = query.text(3) ?? ""
        category = query.text(4) ?? ""
        effectiveDate = query.text(5) ?? ""
        body = query.bytes(6)
        supersededBy = query.isNull(7) ? nil : (query.int64(7), query.text(8) ?? "")
        corrects = query.isNull(9) ? nil : (query.int64(9), query.text(10) ?? "")
        endorsements = Int(query.int64(11))
        disputes = Int(query.int64(12))
        withheld = query.int64(13) != 0
    }

    /// In the current view: nothing supersedes it and it is no retraction (`Claim.isLive`).
    public var isLive: Bool { LinkKind.isLive(superseded: supersededBy != nil, ownLink: corrects.flatMap { LinkKind(rawValue: $0.kind) }) }

    /// Where it sits in its platform's timeline.
    public var cursor: TimelineCursor { TimelineCursor(effectiveDate: effectiveDate, seq: seq) }
}

extension LedgerStore {
    /// Fails with an actionable message on a file made before the links tables existed.
    static func requireLinks(_ db: Database, path: String) throws {
        guard try db.tableExists("links"), try db.tableExists("zero_claims") else { throw StorageError.needsUpgrade(path: path, missing: "the links tables") }
    }

    /// Runs `body` in one read transaction on a ledger that has the links tables.
    public func readClaims<T>(_ body: (ClaimQueries) throws -> T) throws -> T {
        try reading.read { db in
            try Self.requireLinks(db, path: path)
            return try body(ClaimQueries(db: db))
        }
    }
}

/// Indexed look-ups over one snapshot for `compare` and `history`.
public struct ClaimQueries {
    let db: Database

    /// Every platform with a statement, in order: one index seek per platform (a skip scan).
    public func platforms() throws -> [String] {
        try String.fetchAll(db, sql: """
            WITH RECURSIVE p(name) AS (
              SELECT (SELECT MIN(platform) FROM entries WHERE platform IS NOT NULL)
              UNION ALL
              SELECT (SELECT MIN(platform) FROM entries WHERE platform > p.name) FROM p WHERE p.name IS NOT NULL)
            SELECT name FROM p WHERE name IS NOT NULL
            """)
    }

    /// The live statements of one cell at its latest effective date on or before `asOf`: the
    /// newest `limit` of them, in seq order, and how many live statements that date has in all.
    /// Reads at most `limit + 1` rows with their bodies, so a cell costs the same however many
    /// claims share its date; counts the date's rows (index and links only) when there are more.
    public func inForce(platform: String, category: String, asOf: String, limit: Int) throws -> (rows: [ClaimRow], total: Int) {
        let query = try RawStatement(db, ClaimRow.select + """
             WHERE e.platform = ?1 AND e.category = ?2 AND \(ClaimRow.live)
               AND e.effective_date = (SELECT e.effective_date FROM entries e
                                       WHERE e.platform = ?1 AND e.category = ?2 AND e.effective_date <= ?3 AND \(ClaimRow.live)
                                       ORDER BY e.effective_date DESC LIMIT 1)
             ORDER BY e.seq DESC LIMIT ?4
            """)
        query.bind(1, text: platform)
        query.bind(2, text: category)
        query.bind(3, text: asOf)
        query.bind(4, Int64(limit) + 1)
        var rows: [ClaimRow] = []
        try query.forEachRow { rows.append(ClaimRow(columnsOf: query)) }
        guard rows.count > limit, let date = rows.first?.effectiveDate else { return (rows.reversed(), rows.count) }
        let count = try RawStatement(db, """
            SELECT COUNT(*) FROM entries e
             WHERE e.platform = ?1 AND e.category = ?2 AND e.effective_date = ?3 AND \(ClaimRow.live)
            """)
        count.bind(1, text: platform)
        count.bind(2, text: category)
        count.bind(3, text: date)
        var total = rows.count
        try count.forEachRow { total = Int(count.int64(0)) }
        return (rows.prefix(limit).reversed(), total)
    }

    /// The statement at `seq`, with its links; nil when that entry is no statement.
    public func claim(seq: Int64) throws -> ClaimRow? {
        let query = try RawStatement(db, ClaimRow.select + " WHERE e.seq = ?1 AND e.kind = 'statement'")
        query.bind(1, seq)
        var row: ClaimRow?
        try query.forEachRow { row = ClaimRow(columnsOf: query) }
        return row
    }

    /// The live statements of one cell published on or before `asOf`, latest first (date, then
    /// seq), at most `limit`: one descending walk of the platform index.
    public func latest(platform: String, category: String, asOf: String, limit: Int) throws -> [ClaimRow] {
        let query = try RawStatement(db, ClaimRow.select + """
             WHERE e.platform = ?1 AND e.category = ?2 AND e.effective_date <= ?3 AND \(ClaimRow.live)
             ORDER BY e.effective_date DESC, e.seq DESC LIMIT ?4
            """)
        query.bind(1, text: platform)
        query.bind(2, text: category)
        query.bind(3, text: asOf)
        query.bind(4, Int64(limit))
        var rows: [ClaimRow] = []
        try query.forEachRow { rows.append(ClaimRow(columnsOf: query)) }
        return rows
    }

    /// The live statements about `platform` effective on or before `asOf` that claim zero
    /// disclosures, latest first, at most `limit` of them, as (seq, effective date, scopes):
    /// `zero_claims` alone answers, without reading entries or bodies.
    public func zeroClaims(platform: String, asOf: String, limit: Int = 16) throws -> [(seq: Int64, effectiveDate: String, scopes: String)] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT z.seq, z.effective_date, z.scopes FROM zero_claims z
            WHERE z.platform = ? AND z.effective_date <= ?
              AND NOT EXISTS (SELECT 1 FROM links l WHERE l.target = z.seq AND l.kind IN ('amendment', 'retraction'))
              AND NOT EXISTS (SELECT 1 FROM links l WHERE l.seq = z.seq AND l.kind = 'retraction')
            ORDER BY z.effective_date DESC, z.seq DESC LIMIT ?
            """), arguments: [platform, asOf, limit]).map { (try $0.column(0), try $0.column(1), try $0.column(2)) }
    }

    /// Every statement about `platform` (optionally of one category), in index order (category,
    /// effective date, seq): sorting rows that carry their bodies would copy every body into a
    /// temporary B-tree, and `History` orders the claims itself. Handed over `chunkSize` rows at
    /// a time as they are read, so the caller can work on one chunk while the next is read.
    /// `full` false reads the rows without bodies and response counts (`ClaimRow.select(full:)`):
    /// what a page of a history is planned on, the platform's index range and each row's entry
    /// and links, no body page.
    public func timeline(platform: String, category: String?, full: Bool = true, chunkSize: Int, _ chunk: ([ClaimRow]) throws -> Void) throws {
        let select = ClaimRow.select(full: full)
        let query: RawStatement
        if let category {
            query = try RawStatement(db, select + " WHERE e.platform = ? AND e.category = ? ORDER BY e.effective_date, e.seq")
            query.bind(2, text: category)
        } else {
            query = try RawStatement(db, select + " WHERE e.platform = ? ORDER BY e.category, e.effective_date, e.seq")
        }
        query.bind(1, text: platform)
        var rows: [ClaimRow] = []
        try query.forEachRow {
            rows.append(ClaimRow(columnsOf: query))
            if rows.count == chunkSize {
                try chunk(rows)
                rows.removeAll(keepingCapacity: true)
            }
        }
        if !rows.isEmpty { try chunk(rows) }
    }

    /// The query plan SQLite picks for `sql`, for tests that must not scan.
    public func plan(_ sql: String) throws -> [String] {
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
    }
}
