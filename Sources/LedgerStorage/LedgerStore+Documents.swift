import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// Archived pages (`document` entries, FORMAT.md §5c), found through their `documents` rows.
extension LedgerStore {
    /// The latest archived page whose content has this SHA-256 (what a statement's
    /// `source.sha256` names), with its seq; nil when there is none, or the file predates
    /// archived pages. Reads one index row and one body.
    public func archivedPage(contentSHA256: Digest) throws -> (seq: Int64, document: ArchivedDocument)? {
        try reading.read { db in
            guard try db.tableExists("documents"),
                  let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM documents WHERE content_sha256 = ?"),
                                               arguments: [Data(contentSHA256.bytes)]),
                  let text = try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM bodies WHERE seq = ?"), arguments: [seq])
            else { return nil }
            guard case .archive(let d) = try Body(stored: Array(text.utf8)).document else {
                throw StorageError.corrupt("the documents row of seq \(seq) names an entry that is no archived page")
            }
            return (seq, d)
        }
    }

    /// Archived pages from seq `from` on, in seq order, of `platform` if given: at most `limit`
    /// rows, none of their bodies read (a page of `ledger source list`). `newestFirst`: the
    /// highest seqs first (a feed), `from` ignored.
    public func archivedPages(platform: String?, from: Int64, limit: Int, newestFirst: Bool = false) throws -> [DocumentRow] {
        try reading.read { db in
            guard try db.tableExists("documents") else { return [] }
            var sql = "SELECT \(DocumentRow.columns) FROM documents WHERE seq >= ?"
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
    /// The newest archived version of `url` (by fetch time, then seq) among `platform`'s pages,
    /// with its seq; nil if none. One index seek and one body.
    public func latestArchivedPage(platform: String, url: String) throws -> (seq: Int64, document: ArchivedDocument)? {
        try reading.read { db in
            guard try db.tableExists("documents"),
                  let seq = try Int64.fetchOne(db.cachedStatement(sql: """
                      SELECT seq FROM documents WHERE platform = ? AND url = ? ORDER BY retrieved_at DESC, seq DESC LIMIT 1
                      """), arguments: [platform, url]),
                  let text = try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM bodies WHERE seq = ?"), arguments: [seq])
            else { return nil }
            guard case .archive(let d) = try Body(stored: Array(text.utf8)).document else {
                throw StorageError.corrupt("the documents row of seq \(seq) names an entry that is no archived page")
            }
            return (seq, d)
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
