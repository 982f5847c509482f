import Foundation
import GRDB
import GRDBSQLite
import LedgerCore
import LedgerCrypto

/// The inserts every append makes (`entries`, `bodies`, `hashes`), bound with SQLite's C API on
/// GRDB's prepared statements: building GRDB `StatementArguments` for three inserts an entry
/// cost about a tenth of a mirror's writing thread (perf, 200,000-entry copy). Errors come back as
/// GRDB `DatabaseError`s, so callers handle constraint failures as before.
struct EntryRows {
    private let db: Database
    private let entry: GRDB.Statement
    private let body: GRDB.Statement
    private let hash: GRDB.Statement

    init(_ db: Database) throws {
        self.db = db
        entry = try db.cachedStatement(sql: """
            INSERT INTO entries(seq, leaf, kind, signer, body_sha256, time, platform, category, effective_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        body = try db.cachedStatement(sql: "INSERT INTO bodies(seq, body) VALUES (?, ?)")
        hash = try db.cachedStatement(sql: "INSERT INTO hashes(id, hash) VALUES (?, ?)")
    }

    func insertEntry(seq: Int64, leaf: [UInt8], kind: String, signer: String, bodySHA256: Digest, time: String,
                     platform: String?, category: String?, effectiveDate: String?) throws {
        let s = entry.sqliteStatement
        sqlite3_bind_int64(s, 1, seq)
        bindText(s, 2, leaf)
        bindText(s, 3, kind)
        bindText(s, 4, signer)
        bindBlob(s, 5, bodySHA256.bytes)
        bindText(s, 6, time)
        bindText(s, 7, platform)
        bindText(s, 8, category)
        bindText(s, 9, effectiveDate)
        try step(entry)
    }

    func insertBody(seq: Int64, canonical: [UInt8]) throws {
        let s = body.sqliteStatement
        sqlite3_bind_int64(s, 1, seq)
        bindText(s, 2, canonical)
        try step(body)
    }

    func insertHash(id: Int64, _ digest: Digest) throws {
        let s = hash.sqliteStatement
        sqlite3_bind_int64(s, 1, id)
        bindBlob(s, 2, digest.bytes)
        try step(hash)
    }

    private func step(_ statement: GRDB.Statement) throws {
        let code = sqlite3_step(statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        guard code == SQLITE_DONE else {
            let message = sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    private func bindText(_ s: SQLiteStatement, _ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            // A zero-length array may have no base address; SQLite needs a non-null one for ''.
            let base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            _ = sqlite3_bind_text(s, index, base.assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
        }
    }

    private func bindText(_ s: SQLiteStatement, _ index: Int32, _ text: String?) {
        guard var utf8 = text else {
            sqlite3_bind_null(s, index)
            return
        }
        utf8.withUTF8 { buffer in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            _ = sqlite3_bind_text(s, index, base.assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
        }
    }

    private func bindBlob(_ s: SQLiteStatement, _ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = sqlite3_bind_blob(s, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
        }
    }
}

/// SQLite copies a value bound with this destructor before the bind call returns.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
