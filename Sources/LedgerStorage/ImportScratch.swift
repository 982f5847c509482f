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
    /// One index look-up per item.
    public func recordSeen(_ items: [(digest: Digest, origin: EntryOrigin)]) throws -> [EntryOrigin?] {
        try sqlite {
            try queue.write { db in
                let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO seen(digest, origin) VALUES (?, ?)")
                let select = try db.cachedStatement(sql: "SELECT origin FROM seen WHERE digest = ?")
                return try items.map { item in
                    let digest = Data(item.digest.bytes)
                    try insert.execute(arguments: [digest, stored(item.origin)])
                    guard db.changesCount == 0 else { return nil }
                    return try DatabaseValue.fetchOne(select, arguments: [digest]).map(origin(from:))
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
                let insert = try db.cachedStatement(sql: "INSERT INTO kept(origin, body) VALUES (?, ?)")
                for b in bodies { try insert.execute(arguments: [stored(b.origin), Data(b.canonical)]) }
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
                let rows = try Row.fetchCursor(db, sql: "SELECT position, origin, body FROM kept WHERE position > ? ORDER BY position LIMIT ?",
                                               arguments: [position, limit])
                while let row = try rows.next() {
                    next = try row.column(0)
                    let body: Data = try row.column(2)
                    let origin: DatabaseValue = row[1]
                    bodies.append((self.origin(from: origin), [UInt8](body)))
                }
                return (bodies, next)
            }
        }
    }

    /// A line as its number (a few bytes), anything else as its text.
    private func stored(_ origin: EntryOrigin) -> DatabaseValue {
        switch origin {
        case .line(let n, let source) where source == lineSource: return Int64(n).databaseValue
        case .file(let path): return ("f" + path).databaseValue
        default: return ("o" + origin.description).databaseValue
        }
    }

    private func origin(from value: DatabaseValue) -> EntryOrigin {
        if let n = Int64.fromDatabaseValue(value) { return .line(Int(n), of: lineSource) }
        let text = String.fromDatabaseValue(value) ?? ""
        return text.hasPrefix("f") ? .file(String(text.dropFirst())) : .generated(String(text.dropFirst()))
    }

    private func sqlite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as DatabaseError {
            throw StorageError.scratch("the import's scratch database: \(e)")
        }
    }
}
