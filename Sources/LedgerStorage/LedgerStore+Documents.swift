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
