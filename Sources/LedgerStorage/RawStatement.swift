import Foundation
import GRDB
import GRDBSQLite

/// One of GRDB's prepared statements driven with SQLite's C API, for the hot paths where building
/// GRDB arguments and decoding GRDB rows cost real time (perf of a 200,000-entry mirror and audit:
/// the three inserts of every append, the entries and hashes of every audit page). Everything
/// else goes through GRDB. Errors are GRDB `DatabaseError`s, so callers handle them as usual.
struct RawStatement {
    private let db: Database
    private let statement: GRDB.Statement
    private var handle: SQLiteStatement { statement.sqliteStatement }

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// The statement with `values` bound to its first parameters, in order: the ranges and
    /// limits of the readers' queries.
    init(_ db: Database, _ sql: String, bound values: Int64...) throws {
        try self.init(db, sql)
        for (i, value) in values.enumerated() { bind(Int32(i + 1), value) }
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bind(_ index: Int32, text bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            // An empty array may have no address; SQLite needs one to bind '' rather than NULL.
            let base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            _ = sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, text: String?) {
        guard var utf8 = text else {
            sqlite3_bind_null(handle, index)
            return
        }
        utf8.withUTF8 { buffer in
            let base = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(("" as StaticString).utf8Start)
            _ = sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(buffer.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, blob bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), sqliteTransient)
        }
    }

    /// Runs a statement that returns no rows.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Calls `row` for each row, reading columns with `int64`, `bytes` and `text`.
    func forEachRow(_ row: () throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try row()
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column's bytes (a TEXT's UTF-8 or a BLOB's); nil for NULL.
    func bytes(_ column: Int32) -> [UInt8]? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        // sqlite3_column_blob before sqlite3_column_bytes, as SQLite's documentation asks.
        let start = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let start, count > 0 else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    }

    /// The column as text (invalid UTF-8 repaired, as GRDB does); nil for NULL.
    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        let start = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let start, count > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    }

    /// The column as text, for a column the schema holds NOT NULL: NULL is corruption, named
    /// as `Row.column` names it; other types read as SQLite converts them, as GRDB reads them.
    func requiredText(_ column: Int32) throws -> String {
        guard let text = text(column) else {
            throw StorageError.corrupt("a stored value has the wrong type (NULL in column \(column) of `\(statement.sql)`)")
        }
        return text
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// Whether the column holds an INTEGER (a column declared ANY may hold any type).
    func isInteger(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_INTEGER }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) },
                      sql: statement.sql)
    }
}

/// SQLite copies a value bound with this destructor before the bind call returns.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
