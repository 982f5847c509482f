import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// A witness's own small SQLite file: which logs it follows (origin and pinned log key) and every
/// checkpoint it cosigned, append-only. Checking and recording a cosignature happen in one
/// `BEGIN IMMEDIATE` transaction, so two cosign runs cannot both extend the same old tree.
public final class WitnessStore: @unchecked Sendable {
    static let formatVersion = "disclosure-witness-sqlite/1"

    public let path: String
    public let name: String
    let queue: DatabaseQueue

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                -- The logs this witness follows: origin and the C2SP verifier key it pins.
                CREATE TABLE logs (origin TEXT PRIMARY KEY NOT NULL, log_key TEXT NOT NULL);
                -- Every checkpoint this witness cosigned: its size, root and the note it received.
                CREATE TABLE cosigned (
                    origin    TEXT NOT NULL,
                    size      INTEGER NOT NULL,
                    root      BLOB NOT NULL,
                    note      TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    PRIMARY KEY (origin, size)
                );
                """)
            for table in ["meta", "logs", "cosigned"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure witness: \(table) is append-only'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure witness: \(table) is append-only'); END;
                    """)
            }
        }
        return migrator
    }

    /// Creates the witness file for the witness `name`.
    public static func create(at path: String, name: String) throws -> WitnessStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw StorageError.alreadyExists(path: path) }
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: LedgerStore.configuration(readonly: false))
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', ?), ('name', ?)", arguments: [formatVersion, name])
            }
            try queue.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return try WitnessStore(path: path)
    }

    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StorageError.notALedger(path: path, reason: "no witness file there; run `ledger witness init NAME` first")
        }
        self.path = path
        do {
            queue = try DatabaseQueue(path: path, configuration: LedgerStore.configuration(readonly: false))
            let meta = try queue.read { db in try LedgerStore.readMeta(db, path: path) }
            guard meta["format"] == WitnessStore.formatVersion, let name = meta["name"] else {
                throw StorageError.notALedger(path: path, reason: "not a witness file (format \(meta["format"] ?? "missing"))")
            }
            self.name = name
        } catch let e as DatabaseError {
            throw StorageError.notALedger(path: path, reason: e.message ?? e.description)
        }
    }

    /// Follows a log from now on, pinning its key; refuses a second key for a known origin.
    public func follow(_ logKey: NoteVerifierKey) throws {
        try queue.write { db in
            if let known = try String.fetchOne(db, sql: "SELECT log_key FROM logs WHERE origin = ?", arguments: [logKey.name]) {
                guard known == logKey.text else {
                    throw StorageError.unauthorized(item: logKey.name, reason: "this witness already follows that origin under key \(known)")
                }
                return
            }
            try db.execute(sql: "INSERT INTO logs(origin, log_key) VALUES (?, ?)", arguments: [logKey.name, logKey.text])
        }
    }

    /// The last checkpoint cosigned for `origin`, if any.
    public func latest(origin: String) throws -> WitnessPolicy.Latest? {
        try queue.read { db in try Self.latest(db, origin: origin) }
    }

    static func latest(_ db: Database, origin: String) throws -> WitnessPolicy.Latest? {
        guard let note = try String.fetchOne(db, sql: "SELECT note FROM cosigned WHERE origin = ? ORDER BY size DESC LIMIT 1",
                                             arguments: [origin]) else { return nil }
        let signed = try SignedNote.parse(note)
        return WitnessPolicy.Latest(checkpoint: try Checkpoint.parse(text: signed.text), note: note)
    }

    /// Checks `note` (signed by a followed log, consistent with the last checkpoint cosigned for
    /// its origin) and cosigns it; returns the note with the cosignature line added. Nothing is
    /// recorded unless every check passes.
    public func cosign(_ note: [UInt8], proof: ConsistencyProof?, cosigner: Cosigner, timestamp: UInt64) throws -> String {
        let origin = try Checkpoint.parse(text: try SignedNote.parse(note).text).origin
        let (line, signed) = try cosignRecording(note, origin: origin, cosigner: cosigner, timestamp: timestamp) { logKey, latest in
            guard let logKey else { throw WitnessError.unknownLog(origin: origin) }
            let (checkpoint, signed) = try Checkpoint.open(note, logKey: logKey)
            try WitnessPolicy.check(checkpoint, newNote: String(decoding: note, as: UTF8.self), after: latest, proof: proof)
            return (checkpoint, signed)
        }
        let others = signed.signatures.filter { !($0.name == line.name && $0.keyID == line.keyID) }
        return SignedNote(text: signed.text, signatures: others + [line]).encoded
    }
}
