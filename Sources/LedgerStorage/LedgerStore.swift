import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// One ledger: a SQLite file in WAL mode. Opening checks it is ours; writes go through `append`
/// (LedgerStore+Append.swift), reads through the methods here.
public final class LedgerStore: @unchecked Sendable {
    public let path: String
    public let origin: String
    /// The log's key as a C2SP verifier key; its name is the origin.
    public let logKey: NoteVerifierKey
    /// Made by `ledger mirror`: a verified copy of another log, without its private key.
    public let isMirror: Bool
    /// The writer; for a store opened read-only, the one connection.
    let queue: DatabaseQueue
    /// Read-only connections that reads take in turn (`reading`), so a service's requests read
    /// side by side with each other and with the writer (SQLite WAL). None for a command's
    /// store, which reads on `queue`.
    ///
    /// Not GRDB's `DatabasePool`: opening one sets `synchronous = NORMAL` and commits a dummy
    /// transaction whenever the write-ahead log is empty, so merely opening a ledger (even for
    /// a command that is then refused) would write to it and weaken each append's durability.
    private let readers: [DatabaseQueue]
    private let readerLock = NSLock()
    private var readerCursor = 0

    /// The page cache of a connection that appends (KiB).
    static let appenderCacheKiB = 32768

    static func configuration(readonly: Bool, mapped: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        // WAL is set once, at creation, and persists in the file. GRDB's `.wal` option would also
        // write a dummy table on every open, and a refused command must leave the file untouched.
        config.journalMode = .default
        // Two appenders serialise on BEGIN IMMEDIATE; the second waits rather than failing.
        config.busyMode = .timeout(60)
        config.prepareDatabase { db in
            // Each committed append survives power loss, not just a process crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Appends touch the right edge of every table plus two small indexes; a 32 MiB page
            // cache keeps those in memory. Audits read sequentially and keep SQLite's default.
            if !readonly { try db.execute(sql: "PRAGMA cache_size = -\(appenderCacheKiB)") }
            // Query commands (compare, history) make thousands of index seeks in one short
            // process: reading pages through a memory map avoids a system call and a copy each.
            if mapped {
                try db.execute(sql: "PRAGMA mmap_size = 1073741824")
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        return config
    }

    /// Creates a new ledger file with its first checkpoint (the empty tree), signed by the log key.
    public static func create(at path: String, origin: String, logSigner: NoteSigner) throws -> LedgerStore {
        guard logSigner.name == origin else { throw StorageError.corrupt("log key name \(logSigner.name) is not the origin \(origin)") }
        let note = try logSigner.sign(Checkpoint(origin: origin, size: 0, root: MerkleHash.emptyRoot).text)
        return try create(at: path, origin: origin, logKey: logSigner.verifierKey, firstCheckpoint: note)
    }

    /// Creates a ledger file for the log `logKey` with no private key at hand (a mirror), starting
    /// with the log's own signed empty-tree checkpoint if it has one.
    static func create(at path: String, origin: String, logKey: NoteVerifierKey, firstCheckpoint note: String?,
                       mirror: Bool = false) throws -> LedgerStore {
        guard !FileManager.default.fileExists(atPath: path) else { throw StorageError.alreadyExists(path: path) }
        let dir = (path as NSString).deletingLastPathComponent
        // 0755 whatever the umask: readable by auditors, writable by the ledger's owner only.
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755]) }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: false))
            try queue.writeWithoutTransaction { db in
                guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                    throw StorageError.notALedger(path: path, reason: "SQLite could not switch it to WAL mode")
                }
            }
            try Schema.migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', ?), ('origin', ?), ('log_key', ?)",
                               arguments: [Schema.formatVersion, origin, logKey.text])
                if let note { try db.execute(sql: "INSERT INTO checkpoints(size, note) VALUES (0, ?)", arguments: [note]) }
                // A copy made by `ledger mirror` holds no log key: `ledger serve` serves it read-only.
                if mirror { try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('mirror', 'yes')") }
            }
            try queue.close()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
        return try LedgerStore(path: path)
    }

    /// Opens an existing ledger; refuses a file that is not one. `mapped` reads it through a
    /// memory map (for read-only query commands); `readers` opens that many read-only
    /// connections beside the writer (for the service; see `readers`).
    public init(path: String, readonly: Bool = false, mapped: Bool = false, readers: Int = 0) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StorageError.missing(path: path) }
        self.path = path
        let meta: [String: String]
        do {
            let configuration = LedgerStore.configuration(readonly: readonly, mapped: mapped)
            (queue, meta) = try readonly ? LedgerStore.openForReading(path: path, configuration: configuration)
                                         : LedgerStore.open(path: path, configuration: configuration)
            guard meta["format"] == Schema.formatVersion else {
                throw StorageError.notALedger(path: path, reason: "format is \(meta["format"] ?? "missing"), expected \(Schema.formatVersion)")
            }
            guard let origin = meta["origin"], let key = meta["log_key"] else {
                throw StorageError.notALedger(path: path, reason: "meta has no origin or log key")
            }
            self.origin = origin
            do { self.logKey = try NoteVerifierKey(parsing: key) } catch {
                throw StorageError.corrupt("meta.log_key is not a C2SP verifier key (\(error))")
            }
            isMirror = meta["mirror"] == "yes"
            // Writers bring an older file up to the current tables (additions only, see Schema),
            // and leave a newer file alone: its derived tables would miss this writer's rows.
            if !readonly {
                let unknown = try queue.read { db in
                    try Schema.migrator.appliedIdentifiers(db).subtracting(Schema.migrator.migrations).sorted()
                }
                guard unknown.isEmpty else { throw StorageError.newerFormat(path: path, migrations: unknown) }
                if try !queue.read({ try Schema.migrator.hasCompletedMigrations($0) }) {
                    try Schema.migrator.migrate(queue)
                }
            }
            // After the checks and migrations above: readers see the file as writers left it.
            let readerConfiguration = LedgerStore.configuration(readonly: true, mapped: mapped)
            let opened = queue.path
            self.readers = try (0..<max(0, readers)).map { _ in try DatabaseQueue(path: opened, configuration: readerConfiguration) }
        } catch let e as StorageError {
            throw e
        } catch let e as DatabaseError {
            throw StorageError.notALedger(path: path, reason: e.message ?? e.description)
        }
    }

    public func close() throws {
        for reader in readers { try reader.close() }
        try queue.close()
    }

    /// The connection a read runs on: the next reader in turn, or `queue` when there are none.
    var reading: DatabaseQueue {
        guard !readers.isEmpty else { return queue }
        return readerLock.withLock {
            readerCursor = (readerCursor + 1) % readers.count
            return readers[readerCursor]
        }
    }

    private static func open(path: String, configuration: Configuration) throws -> (DatabaseQueue, [String: String]) {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return (queue, try queue.read { try readMeta($0, path: path) })
    }

    /// Opens for reading only, also where the file cannot be written: a WAL file's readers need
    /// its `-shm` index, which SQLite cannot create in a read-only directory or on read-only
    /// media (someone else's copy that an auditor checks). With no write-ahead log pending, the
    /// file alone is the whole ledger, and SQLite's `immutable` mode reads it without the index.
    /// A pending log that cannot be read is refused rather than silently skipped.
    private static func openForReading(path: String, configuration: Configuration) throws -> (DatabaseQueue, [String: String]) {
        do {
            return try open(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? nil
            guard (wal ?? 0) == 0 else {
                throw StorageError.notALedger(path: path, reason: "its write-ahead log \(path)-wal holds entries not yet in the main file, and SQLite cannot read it without write access to \((path as NSString).deletingLastPathComponent); copy the three files somewhere writable")
            }
            return try open(path: immutableURI(path), configuration: configuration)
        }
    }

    /// `file:` URI of `path` with `immutable=1`; `?`, `#` and `%` in the path percent-encoded.
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var escaped = ""
        for c in absolute.unicodeScalars {
            switch c {
            case "?": escaped += "%3f"
            case "#": escaped += "%23"
            case "%": escaped += "%25"
            default: escaped.unicodeScalars.append(c)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }

    /// The `meta` rows as a dictionary (a key twice, possible only in a file built by hand, is refused).
    static func readMeta(_ db: Database, path: String) throws -> [String: String] {
        var meta: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") {
            let key: String = try row.column(0)
            guard meta[key] == nil else { throw StorageError.notALedger(path: path, reason: "meta holds key '\(key)' twice") }
            meta[key] = try row.column(1)
        }
        return meta
    }

    /// Runs `body` in one read transaction: a consistent snapshot even while others append.
    public func read<T>(_ body: (Database) throws -> T) throws -> T { try reading.read(body) }

    /// The number of entries.
    public func size() throws -> Int64 {
        try reading.read { db in try Self.size(db) }
    }

    /// MAX(seq) + 1. A seq of 2^53 or more (only in a file edited by hand) is refused: no entry
    /// can carry it, and the Merkle index arithmetic is not made for it.
    static func size(_ db: Database) throws -> Int64 {
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM entries") else { return 0 }
        guard last < StoredHashIndex.maxTreeSize else { throw StorageError.corrupt("an entry has seq \(last), which no ledger reaches") }
        return last + 1
    }

    /// The latest stored checkpoint: its size and the log-signed note (without cosignatures).
    public func latestCheckpointRow() throws -> (size: Int64, note: String) {
        try reading.read { db in try Self.latestCheckpointRow(db) }
    }

    /// Every ledger has one from its creation (the empty tree's); none means a damaged file.
    static func latestCheckpointRow(_ db: Database) throws -> (size: Int64, note: String) {
        guard let row = try SnapshotReader(db: db).latestCheckpoint() else { throw StorageError.corrupt("no checkpoint is stored") }
        return row
    }

    /// The leaf bytes and body (nil when withheld) of one entry.
    /// One statement on one row: no transaction, and a prepared statement kept on the
    /// connection (the service reads many).
    public func entry(seq: Int64) throws -> StoredEntry {
        try servingRead { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: StoredEntry.select + " WHERE e.seq = ?"), arguments: [seq]) else {
                throw StorageError.noSuchEntry(seq: seq)
            }
            return try StoredEntry(row: row)
        }
    }

    /// Calls `each` for entries with `from ≤ seq ≤ to` in seq order, optionally of one platform.
    public func forEachEntry(from: Int64 = 0, to: Int64 = .max, platform: String? = nil,
                             _ each: (StoredEntry) throws -> Void) throws {
        try reading.read { db in
            var sql = StoredEntry.select + " WHERE e.seq BETWEEN ? AND ?"
            var args: StatementArguments = [from, to]
            if let platform {
                sql += " AND e.platform = ?"
                _ = args.append(contentsOf: [platform])
            }
            let cursor = try Row.fetchCursor(db, sql: sql + " ORDER BY e.seq", arguments: args)
            while let row = try cursor.next() { try each(StoredEntry(row: row)) }
        }
    }

    /// The key history replayed from the ledger's signer entries (before entry `seq`: as it
    /// stood for that entry). Reads every signer entry, a handful in any ledger.
    public func keyHistory(before seq: Int64 = .max) throws -> KeyHistory {
        try servingRead { db in try Self.keyHistory(db, logKey: logKey.publicKey, before: seq) }
    }

    /// The key history replayed from the signer entries before `seq` (all of them by default).
    static func keyHistory(_ db: Database, logKey: Ed25519PublicKey, before seq: Int64 = .max) throws -> KeyHistory {
        var history = KeyHistory(logKey: logKey)
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.seq, b.body FROM entries e JOIN bodies b ON b.seq = e.seq
            WHERE e.kind <> 'statement' AND e.kind = 'signer' AND e.seq < ? ORDER BY e.seq
            """, arguments: [seq])
        for row in rows {
            let body = try Body(stored: Array((try row.column(1) as String).utf8))
            guard case .signer(let event) = body.document else { throw StorageError.corrupt("signer entry \(try row.column(0) as Int64) has a non-signer body") }
            try history.apply(event, at: try row.column(0))
        }
        return history
    }

    /// The seq of the entry whose statement has this digest, if any.
    static func statementSeq(_ db: Database, bodySHA256: Digest) throws -> Int64? {
        let query = try RawStatement(db, "SELECT seq FROM entries WHERE kind = 'statement' AND body_sha256 = ?1")
        query.bind(1, blob: bodySHA256.bytes)
        var seq: Int64?
        try query.forEachRow { seq = query.int64(0) }
        return seq
    }

    /// Which of these statement digests are already in the ledger, and where.
    public func existingStatements(_ digests: [Digest]) throws -> [Digest: Int64] {
        try reading.read { db in
            var found: [Digest: Int64] = [:]
            for d in digests { if let seq = try Self.statementSeq(db, bodySHA256: d) { found[d] = seq } }
            return found
        }
    }

    /// Root of the tree of `size` entries, from stored hashes.
    public func root(size: Int64) throws -> Digest {
        try reading.read { db in try SubtreeHash.root(size: size, reader: StoredHashes(db: db)) }
    }
}

/// One entry as stored: its leaf bytes and its body (nil if withheld).
public struct StoredEntry: Sendable {
    static let select = """
        SELECT e.seq, e.leaf, b.body, e.kind, e.signer, e.body_sha256, e.time, e.platform, e.category, e.effective_date
        FROM entries e LEFT JOIN bodies b ON b.seq = e.seq
        """

    public let seq: Int64
    public let leaf: [UInt8]
    public let body: [UInt8]?
    /// The denormalised query columns, which ledger-verify checks against leaf and body.
    public let kind: String
    public let signer: String
    public let bodySHA256: [UInt8]
    public let time: String
    public let platform: String?
    public let category: String?
    public let effectiveDate: String?

    public init(seq: Int64, leaf: [UInt8], body: [UInt8]?, kind: String, signer: String, bodySHA256: [UInt8], time: String,
                platform: String?, category: String?, effectiveDate: String?) {
        self.seq = seq
        self.leaf = leaf
        self.body = body
        self.kind = kind
        self.signer = signer
        self.bodySHA256 = bodySHA256
        self.time = time
        self.platform = platform
        self.category = category
        self.effectiveDate = effectiveDate
    }

    /// Reads the text columns' bytes without making Strings of them first (audits read every row).
    init(row: Row) throws {
        seq = try row.column(0)
        leaf = try row.withUnsafeData(atIndex: 1) { [UInt8]($0 ?? Data()) }
        body = try row.withUnsafeData(atIndex: 2) { $0.map { [UInt8]($0) } }
        kind = try row.column(3)
        signer = try row.column(4)
        bodySHA256 = [UInt8](try row.column(5) as Data)
        time = try row.column(6)
        platform = try row.column(7)
        category = try row.column(8)
        effectiveDate = try row.column(9)
    }

    /// The current row of `query` (a `select` run with the C API, for audits). NULL where the
    /// schema says NOT NULL (a file edited by hand) reads as empty: the audit then reports the
    /// entry as altered.
    init(columnsOf query: RawStatement) {
        self.init(seq: query.int64(0), leaf: query.bytes(1) ?? [], body: query.bytes(2), kind: query.text(3) ?? "",
                  signer: query.text(4) ?? "", bodySHA256: query.bytes(5) ?? [], time: query.text(6) ?? "",
                  platform: query.text(7), category: query.text(8), effectiveDate: query.text(9))
    }
}

/// Stored subtree hashes read from the `hashes` table.
public struct StoredHashes: HashReader {
    let db: Database

    public init(db: Database) { self.db = db }

    public func readHashes(_ indexes: [Int64]) throws -> [Digest] {
        let statement = try db.cachedStatement(sql: "SELECT hash FROM hashes WHERE id = ?")
        return try indexes.map { index in
            guard let data = try Data.fetchOne(statement, arguments: [index]), let d = Digest(bytes: data) else {
                throw MerkleError.missingHash(index: index)
            }
            return d
        }
    }
}
