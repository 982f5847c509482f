import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// Archived pages (`document` entries, FORMAT.md §5c), found through their `documents` rows.
extension LedgerStore {
    /// For each of `digests` (what statements' `source.sha256` name), the row of the newest
    /// archived page whose content has that SHA-256; digests no page has are left out. One read
    /// transaction of one index seek per digest, no body read: an import checks every statement
    /// this way.
    public func archivedPageRows(contentSHA256s digests: [Digest]) throws -> [Digest: DocumentRow] {
        try reading.read { db in
            guard try db.tableExists("documents") else { return [:] }
            let statement = try db.cachedStatement(sql: "SELECT \(try DocumentRow.selectable(db)) FROM documents WHERE content_sha256 = ? ORDER BY seq DESC LIMIT 1")
            var out: [Digest: DocumentRow] = [:]
            for d in Set(digests) {
                if let row = try Row.fetchOne(statement, arguments: [Data(d.bytes)]) { out[d] = try DocumentRow(row: row) }
            }
            return out
        }
    }

    /// The archived page at `seq`; nil when its body is withheld. Refuses an entry of another
    /// kind (`StorageError.notAnArchivedPage`). Reads one entry and its body.
    public func archivedPage(seq: Int64) throws -> ArchivedDocument? {
        try reading.read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT e.kind, b.body FROM entries e LEFT JOIN bodies b ON b.seq = e.seq WHERE e.seq = ?"),
                                             arguments: [seq]) else { throw StorageError.noSuchEntry(seq: seq) }
            let kind: String = try row.column(0)
            guard kind == EntryKind.document.rawValue else { throw StorageError.notAnArchivedPage(seq: seq, kind: kind) }
            guard let text = try row.column(1) as String? else { return nil }
            guard case .archive(let d) = try Body(stored: Array(text.utf8)).document else {
                throw StorageError.corrupt("the document entry at seq \(seq) holds no archived page")
            }
            return d
        }
    }

    /// Archived pages from seq `from` on, in seq order, of `platform` if given: at most `limit`
    /// rows, none of their bodies read (a page of `ledger source list`). `newestFirst`: the
    /// highest seqs first (a feed), `from` ignored.
    public func archivedPages(platform: String?, from: Int64, limit: Int, newestFirst: Bool = false) throws -> [DocumentRow] {
        try reading.read { db in
            guard try db.tableExists("documents") else { return [] }
            var sql = "SELECT \(try DocumentRow.selectable(db)) FROM documents WHERE seq >= ?"
            var arguments: StatementArguments = [newestFirst ? 0 : from]
            if let platform {
                sql += " AND platform = ?"
                _ = arguments.append(contentsOf: [platform])
            }
            return try Row.fetchAll(db, sql: sql + (newestFirst ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?"),
                                    arguments: arguments + [limit]).map(DocumentRow.init(row:))
        }
    }
}

/// An address `ledger track run` fetches, with what its pages are.
public struct TrackedPage: Sendable, Equatable {
    public let url: String
    public let platform: String
    public let documentType: ArchivedDocument.DocumentType
    public let addedAt: String
}

extension LedgerStore {
    /// The row of the newest fetched version of `url` (by fetch time, then seq) among
    /// `platform`'s pages; nil if none. Transcriptions of copies are not versions of the page.
    /// One index seek: what tracking compares a fetch with and what a claim's quote is held
    /// against.
    public func latestArchivedPageRow(platform: String, url: String) throws -> DocumentRow? {
        try reading.read { db in
            guard try db.tableExists("documents") else { return nil }
            let columns = try DocumentRow.selectable(db)
            let fetchedOnly = columns == DocumentRow.columns ? "AND capture = 'fetched'" : ""
            return try Row.fetchOne(db.cachedStatement(sql: """
                SELECT \(columns) FROM documents WHERE platform = ? AND url = ? \(fetchedOnly)
                ORDER BY retrieved_at DESC, seq DESC LIMIT 1
                """), arguments: [platform, url]).map(DocumentRow.init(row:))
        }
    }

    /// Adds `url` to the pages `ledger track run` fetches (or changes what it is).
    public func track(url: String, platform: String, type: ArchivedDocument.DocumentType, at time: Timestamp) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO tracked_pages(url, platform, document_type, added_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(url) DO UPDATE SET platform = excluded.platform, document_type = excluded.document_type
                """, arguments: [url, platform, type.rawValue, time.secondsText])
        }
    }

    /// Stops fetching `url`; false if it was not tracked. Its archived versions stay.
    public func untrack(url: String) throws -> Bool {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM tracked_pages WHERE url = ?", arguments: [url])
            return db.changesCount > 0
        }
    }

    /// The tracked addresses, in the order they were added (at most a few thousand: configuration).
    public func trackedPages() throws -> [TrackedPage] {
        try reading.read { db in
            guard try db.tableExists("tracked_pages") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT url, platform, document_type, added_at FROM tracked_pages ORDER BY added_at, url").map { row in
                let typeText: String = try row.column(2)
                guard let type = ArchivedDocument.DocumentType(rawValue: typeText) else {
                    throw StorageError.corrupt("tracked_pages names an unknown document type '\(typeText)'")
                }
                return TrackedPage(url: try row.column(0), platform: try row.column(1), documentType: type, addedAt: try row.column(3))
            }
        }
    }
}
