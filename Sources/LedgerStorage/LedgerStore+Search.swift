import Foundation
import GRDB
import LedgerCore

/// Full-text search over statements (migration `v9-search`, docs/FORMAT.md §13): an SQLite FTS5
/// table `search` whose rowid is the statement's seq and whose columns are its `SearchRow`.
/// Derived from the signed bodies, written in the append's transaction, removed with a
/// withheld body, and held to the bodies by the audit.
enum SearchIndex {
    /// `_` is a word character (slugs are single tokens), diacritics are folded (`Fälle` finds
    /// `falle`), case is folded.
    static let create = """
        CREATE VIRTUAL TABLE search USING fts5(platform, category, recipients, text,
            tokenize = "unicode61 remove_diacritics 2 tokenchars '_'");
        """

    /// One row, bound with SQLite's C API (`RawStatement`): every appended statement writes one.
    static func insert(_ db: Database, seq: Int64, _ row: SearchRow) throws {
        let insert = try RawStatement(db, "INSERT INTO search(rowid, platform, category, recipients, text) VALUES (?1, ?2, ?3, ?4, ?5)")
        insert.bind(1, seq)
        insert.bind(2, text: row.platform)
        insert.bind(3, text: row.category)
        insert.bind(4, text: row.recipients)
        insert.bind(5, text: row.text)
        try insert.execute()
    }

    /// Removes a withheld statement's words: its text must not be found once its body is gone.
    static func delete(_ db: Database, seq: Int64) throws {
        guard try db.tableExists("search") else { return }
        try db.execute(sql: "DELETE FROM search WHERE rowid = ?", arguments: [seq])
    }

    /// Fills the table from every stored statement body, in seq order (the migration).
    static func fill(_ db: Database) throws {
        try DerivedRows.forEachStoredStatement(db) { seq, s in try insert(db, seq: seq, SearchRow(s)) }
    }
}

/// What a search asks for: every word in a statement's quote or summary, and each filter given.
public struct SearchTerms: Sendable, Equatable {
    /// At most 16 words of at most 64 characters each.
    public static let maxWords = 16
    public static let maxWordLength = 64

    public let words: [String]
    public let platform: String?
    public let category: String?
    /// A recipient: statements naming it or a narrower one.
    public let recipient: String?

    public init(words: [String], platform: String? = nil, category: String? = nil, recipient: String? = nil) {
        self.words = words
        self.platform = platform
        self.category = category
        self.recipient = recipient
    }

    public var isEmpty: Bool { words.isEmpty && platform == nil && category == nil && recipient == nil }

    /// The FTS5 query: each word a quoted string (so no word is read as query syntax), each
    /// filter a column's token, all of them required.
    var match: String {
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var parts = words.map { "text : " + quoted($0) }
        if let platform { parts.append("platform : " + quoted(SearchRow.token(platform))) }
        if let category { parts.append("category : " + quoted(SearchRow.token(category))) }
        if let recipient { parts.append("recipients : " + quoted(SearchRow.token(recipient))) }
        return parts.joined(separator: " AND ")
    }
}

extension LedgerStore {
    /// The seqs of statements matching `terms`, newest first, below `before` if given: at most
    /// `limit`. The index walks its lists in descending seq and stops at `limit`, so a page
    /// costs about the same whatever the ledger's size; withheld statements are not in it.
    public func searchStatements(_ terms: SearchTerms, before: Int64?, limit: Int) throws -> [Int64] {
        guard !terms.isEmpty else { return [] }
        return try reading.read { db in
            guard try db.tableExists("search") else { throw StorageError.needsUpgrade(path: path, missing: "the search index") }
            return try Int64.fetchAll(db.cachedStatement(sql: "SELECT rowid FROM search WHERE search MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?"),
                                      arguments: [terms.match, before ?? Int64.max, limit])
        }
    }
}
