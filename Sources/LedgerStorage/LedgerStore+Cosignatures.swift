import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

extension LedgerStore {
    /// Accepts cosignatures from `witness` from now on.
    public func trustWitness(_ witness: CosignerKey) throws {
        try queue.write { db in
            if let known = try String.fetchOne(db, sql: "SELECT witness_key FROM witnesses WHERE name = ?", arguments: [witness.name]) {
                guard known == witness.text else {
                    throw StorageError.unauthorized(item: witness.name, reason: "a witness of that name is already trusted with key \(known)")
                }
                return
            }
            try db.execute(sql: "INSERT INTO witnesses(name, witness_key) VALUES (?, ?)", arguments: [witness.name, witness.text])
        }
    }

    /// What `addCosignatures` would store, checked without writing: open the ledger read-only for
    /// this first, so that a refused cosignature leaves the file byte for byte as it was.
    public func checkCosignatures(_ note: [UInt8]) throws -> (stored: [String], ignored: [String]) {
        let found = try reading.read { db in try cosignatureLines(db, note) }
        return (found.lines.map(\.witness), found.ignored)
    }

    /// Stores the cosignatures of trusted witnesses found on `note`, which must be one of this
    /// log's stored checkpoints (same text). Every trusted witness's line must verify, or nothing
    /// is stored. Returns the names stored and the names of signers that are not trusted witnesses.
    public func addCosignatures(_ note: [UInt8]) throws -> (stored: [String], ignored: [String]) {
        try queue.write { db in
            let found = try cosignatureLines(db, note)
            for (witness, line) in found.lines {
                try db.execute(sql: "INSERT OR IGNORE INTO cosignatures(size, witness, line) VALUES (?, ?, ?)",
                               arguments: [found.size, witness, line])
            }
            return (found.lines.map(\.witness), found.ignored)
        }
    }

    private func cosignatureLines(_ db: Database, _ note: [UInt8]) throws -> (size: Int64, lines: [(witness: String, line: String)], ignored: [String]) {
        let (checkpoint, signed) = try Checkpoint.open(note, logKey: logKey)
        guard let storedNote = try String.fetchOne(db, sql: "SELECT note FROM checkpoints WHERE size = ?", arguments: [checkpoint.size]),
              try SignedNote.parse(storedNote).text == signed.text else {
            throw StorageError.unauthorized(item: "checkpoint", reason: "this log stored no checkpoint with that text at size \(checkpoint.size)")
        }
        // No witnesses table: no witness was ever trusted (`ledger cosignature trust` creates it).
        let witnesses = try db.tableExists("witnesses")
            ? try Row.fetchAll(db, sql: "SELECT witness_key FROM witnesses").map { try CosignerKey(parsing: try $0.column(0)) } : []
        var lines: [(witness: String, line: String)] = [], ignored: [String] = []
        for line in signed.signatures where !(line.name == logKey.name && line.keyID == logKey.keyID) {
            guard let witness = witnesses.first(where: { $0.name == line.name && $0.keyID == line.keyID }) else {
                ignored.append(line.name)
                continue
            }
            _ = try witness.verifyCosignature(on: SignedNote(text: signed.text, signatures: [line]))
            lines.append((witness.name, line.line))
        }
        guard !lines.isEmpty else {
            throw StorageError.unauthorized(item: "checkpoint", reason: "no cosignature by a trusted witness on it"
                + (ignored.isEmpty ? "" : " (untrusted: \(ignored.joined(separator: ", ")))") + "; see `ledger cosignature trust`")
        }
        return (checkpoint.size, lines, ignored)
    }

    /// The largest checkpoint size `witness` (a name) has a stored cosignature for; nil if none.
    /// A witness cosigns in order, so this is where a request to it starts from. One index read.
    public func lastCosignedSize(witness: String) throws -> Int64? {
        try reading.read { db in
            guard try db.tableExists("cosignatures") else { return nil }
            return try Int64.fetchOne(db, sql: "SELECT MAX(size) FROM cosignatures WHERE witness = ?", arguments: [witness])
        }
    }

    /// The latest checkpoint with every stored cosignature line appended (as C2SP clients expect).
    public func latestCosignedCheckpoint() throws -> String {
        try reading.read { db in
            let latest = try Self.latestCheckpointRow(db)
            return try Self.withCosignatures(db, size: latest.size, note: latest.note)
        }
    }

    /// The stored checkpoint of `size` with its stored cosignature lines, if that checkpoint exists.
    public func cosignedCheckpoint(size: Int64) throws -> String? {
        try reading.read { db in
            guard let note = try String.fetchOne(db, sql: "SELECT note FROM checkpoints WHERE size = ?", arguments: [size]) else { return nil }
            return try Self.withCosignatures(db, size: size, note: note)
        }
    }

    /// `note` followed by the cosignature lines stored for checkpoint `size` (none if the ledger
    /// predates the cosignatures table).
    static func withCosignatures(_ db: Database, size: Int64, note: String) throws -> String {
        guard try db.tableExists("cosignatures") else { return note }
        let lines = try String.fetchAll(db, sql: "SELECT line FROM cosignatures WHERE size = ? ORDER BY witness", arguments: [size])
        return note + lines.joined()
    }
}
