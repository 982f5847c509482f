import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// A stored RFC 3161 time-stamp reply and the checkpoint note it covers.
public struct StoredTimestamp: Sendable {
    public let size: Int64
    public let tsa: String
    public let reply: [UInt8]
    /// The log-signed checkpoint note of `size`, whose SHA-256 the token's imprint must be.
    public let note: String
}

extension LedgerStore {
    /// Stores a time-stamp reply for the checkpoint of `size`, after checking that it grants a
    /// token over that checkpoint note. A second token for the same size is refused.
    public func addTimestamp(size: Int64, tsa: String, reply: [UInt8]) throws -> TimestampToken.Granted {
        try queue.write { db in
            guard let note = try String.fetchOne(db, sql: "SELECT note FROM checkpoints WHERE size = ?", arguments: [size]) else {
                throw StorageError.noSuchEntry(seq: size)
            }
            let granted = try TimestampToken.inspect(reply: reply, digest: SHA256.hash(Array(note.utf8)))
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM timestamps WHERE size = ?)", arguments: [size]) == false else {
                throw StorageError.unauthorized(item: "checkpoint \(size)", reason: "it already has a time-stamp token")
            }
            try db.execute(sql: "INSERT INTO timestamps(size, tsa, reply) VALUES (?, ?, ?)", arguments: [size, tsa, Data(reply)])
            return granted
        }
    }

    /// Every stored time-stamp reply with its checkpoint note, by size (none before v4-timestamps).
    public func timestamps() throws -> [StoredTimestamp] {
        try reading.read { db in
            guard try db.tableExists("timestamps") else { return [] }
            return try Row.fetchAll(db, sql: """
                SELECT t.size, t.tsa, t.reply, c.note FROM timestamps t LEFT JOIN checkpoints c ON c.size = t.size ORDER BY t.size
                """).map { row in
                StoredTimestamp(size: try row.column(0), tsa: try row.column(1), reply: [UInt8](try row.column(2) as Data), note: try row.column(3) ?? "")
            }
        }
    }
}
