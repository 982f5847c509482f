import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// What a bulk import keeps between checking its input and appending it (BulkImport): the
/// digest of every submission seen, to find a repeat within the input however far apart the
/// two are, and the canonical bytes of each submission to append, in input order with its
/// origin. Kept in a private temporary SQLite database (an on-disk file SQLite deletes when it
/// is closed) whose page cache is bounded, so the import's memory stays the same whatever the
/// input's size; the disk holds the kept bodies plus about 50 bytes per submission. Nothing
/// here is evidence: it is gone when the import ends.
public final class ImportScratch: @unchecked Sendable {
    private let queue: DatabaseQueue
    /// The source of the inputs numbered by line (`stdin`): an origin is stored as its line
    /// number, and given back with this name.
    private let lineSource: String

    /// Opens an empty scratch database; `cacheKiB` bounds its memory.
    public init(lineSource: String, cacheKiB: Int = 8192) throws {
        self.lineSource = lineSource
        var config = Configuration()
        config.prepareDatabase { db in
            // Scratch: losing it in a crash loses nothing (the import starts again).
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        do {
            // An empty path: SQLite's private temporary on-disk database.
            queue = try DatabaseQueue(path: "", configuration: config)
            try queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE seen(digest BLOB PRIMARY KEY, origin ANY NOT NULL) WITHOUT ROWID;
                    CREATE TABLE kept(position INTEGER PRIMARY KEY, origin ANY NOT NULL, body BLOB NOT NULL);
                    """)
            }
        } catch let e as DatabaseError {
            throw StorageError.scratch("cannot create the import's scratch database: \(e)")
        }
    }

    /// Records each of `items` as seen, in order, and gives for each the origin of an earlier
    /// item (in this call or an earlier one) with the same digest, or nil if it is the first.
    /// One index look-up per item; bound with SQLite's C API (`RawStatement`), as every
    /// statement of an import passes here.
    public func recordSeen(_ items: [(digest: Digest, origin: EntryOrigin)]) throws -> [EntryOrigin?] {
        try sqlite {
            try queue.write { db in
                let insert = try RawStatement(db, "INSERT OR IGNORE INTO seen(digest, origin) VALUES (?1, ?2)")
                let select = try RawStatement(db, "SELECT origin FROM seen WHERE digest = ?1")
                return try items.map { item in
                    insert.bind(1, blob: item.digest.bytes)
                    bind(item.origin, to: insert, at: 2)
                    try insert.execute()
                    guard db.changesCount == 0 else { return nil }
                    select.bind(1, blob: item.digest.bytes)
                    var earlier: EntryOrigin?
                    try select.forEachRow { earlier = origin(in: select, column: 0) }
                    return earlier
                }
            }
        }
    }

    /// Keeps `bodies` (canonical bytes) to append later, after those kept before. Appends to
    /// the end of one table: no look-up.
    public func keep(_ bodies: [(origin: EntryOrigin, canonical: [UInt8])]) throws {
        guard !bodies.isEmpty else { return }
        try sqlite {
            try queue.write { db in
                let insert = try RawStatement(db, "INSERT INTO kept(origin, body) VALUES (?1, ?2)")
                for b in bodies {
                    bind(b.origin, to: insert, at: 1)
                    insert.bind(2, blob: b.canonical)
                    try insert.execute()
                }
            }
        }
    }

    /// At most `limit` kept bodies after `position` (0 for the first), in the order kept, with
    /// the position to ask from next. One range scan.
    public func kept(after position: Int64, limit: Int) throws -> (bodies: [(origin: EntryOrigin, canonical: [UInt8])], next: Int64) {
        try sqlite {
            try queue.read { db in
                var next = position
                var bodies: [(origin: EntryOrigin, canonical: [UInt8])] = []
                let query = try RawStatement(db, "SELECT position, origin, body FROM kept WHERE position > ?1 ORDER BY position LIMIT ?2",
                                             bound: position, Int64(limit))
                try query.forEachRow {
                    next = query.int64(0)
                    bodies.append((origin(in: query, column: 1), query.bytes(2) ?? []))
                }
                return (bodies, next)
            }
        }
    }

    /// Binds `origin` to parameter `index` as the scratch stores it: a line as its number (a
    /// few bytes), anything else as its text.
    private func bind(_ origin: EntryOrigin, to statement: RawStatement, at index: Int32) {
        switch origin {
        case .line(let n, let source) where source == lineSource: statement.bind(index, Int64(n))
        case .file(let path): statement.bind(index, text: "f" + path)
        default: statement.bind(index, text: "o" + origin.description)
        }
    }

    /// The origin `bind` stored in `column` of the row `query` is on.
    private func origin(in query: RawStatement, column: Int32) -> EntryOrigin {
        if query.isInteger(column) { return .line(Int(query.int64(column)), of: lineSource) }
        let text = query.text(column) ?? ""
        return text.hasPrefix("f") ? .file(String(text.dropFirst())) : .generated(String(text.dropFirst()))
    }

    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabaseError {
            throw StorageError.scratch("the import's scratch database: \(e)")
        }
    }
}
