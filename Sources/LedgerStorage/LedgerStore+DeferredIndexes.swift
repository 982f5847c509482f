import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// A mirror's first copy and a large import build two indexes once, near their end, instead of
/// entry by entry: their keys (statement digests, platforms) are random, so each insert lands on
/// a random page of a growing B-tree, which costs a million-entry copy about a tenth of its time
/// and a million-statement import about a quarter. While they are deferred, a copy refuses
/// replayed statements with a `StatementReplayGuard` in memory (docs/FORMAT.md §24); an import
/// has checked its statements against the ledger before, and keeps every other appender out
/// (`ImportIndexDeferral`, docs/FORMAT.md §13).
extension LedgerStore {
    /// The deferred indexes, by name, with the exact statements that create them.
    static let deferrableIndexes = [("entries_statement_body", Schema.statementBodyIndex),
                                    ("entries_platform", Schema.platformIndex)]

    /// True if either deferrable index is missing (a first copy under way, or killed).
    public func lookupIndexesDeferred() throws -> Bool {
        try reading.read { db in try Self.missingIndexes(db).isEmpty == false }
    }

    /// Drops the deferrable indexes and returns the guard that stands in for the unique one,
    /// holding the statement digests the copy already has.
    public func deferLookupIndexes(expecting statements: Int) throws -> StatementReplayGuard {
        try queue.write { db in try Self.dropDeferrableIndexes(db) }
        let guardSet = StatementReplayGuard()
        // Sized once: growing a set of a million digests rehashes it twenty times.
        guardSet.prefixes.reserveCapacity(statements)
        try reading.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT body_sha256 FROM entries WHERE kind = 'statement'")
            while let row = try rows.next() {
                let bytes: [UInt8] = (try row.column(0) as Data?).map { [UInt8]($0) } ?? []
                if let digest = Digest(bytes: bytes) { _ = guardSet.insert(digest) }
            }
        }
        return guardSet
    }

    /// Creates whichever deferrable index is missing, with the statement a new ledger uses, so
    /// the copy's schema is the source's.
    public func restoreLookupIndexes() throws {
        try queue.write { db in try Self.createMissingIndexes(db) }
    }

    /// The page cache while an index is built (KiB). SQLite sorts an index's keys in memory up
    /// to the page cache's size before it spills to temporary files: with the 32 MiB of an
    /// appender, building them at the end of a 10^6-statement import took its peak from 146 to
    /// 176 MiB.
    static let indexBuildCacheKiB = 8192

    /// Builds whichever deferrable index is missing, in the caller's transaction.
    static func createMissingIndexes(_ db: Database) throws {
        let missing = try missingIndexes(db)
        guard !missing.isEmpty else { return }
        let cache = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
        try db.execute(sql: "PRAGMA cache_size = -\(indexBuildCacheKiB)")
        defer { try? db.execute(sql: "PRAGMA cache_size = \(cache)") }
        for (name, sql) in missing {
            do { try db.execute(sql: sql) } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                throw StorageError.corrupt("building \(name): \(e.message ?? "\(e)") (a statement is stored twice)")
            }
        }
    }

    /// Drops the deferrable indexes for an import whose statements were checked against the
    /// ledger at size `checkedAt` (none of them in it, none twice), if the ledger is still that
    /// size and no other import holds them deferred; nil otherwise (the import then appends
    /// with the indexes). Order: the lock is taken before the indexes are dropped, and released
    /// only after they are built again (`ImportIndexDeferral.restore`), so while they are
    /// missing a live importer always holds it.
    public func deferLookupIndexes(forImportCheckedAt checkedAt: Int64) throws -> ImportIndexDeferral? {
        guard let lock = try ImportLock.take(ledgerPath: path) else { return nil }
        let dropped = try queue.writeWithoutTransaction { db -> Bool in
            var dropped = false
            try db.inTransaction(.immediate) {
                // Anything appended since the check could be one of the import's statements,
                // which only the unique index would then refuse.
                guard try Self.size(db) == checkedAt, try Self.missingIndexes(db).isEmpty else { return .rollback }
                try Self.dropDeferrableIndexes(db)
                dropped = true
                return .commit
            }
            // With those indexes gone an import writes the right edges of its tables and FTS5's
            // new segments: 8 MiB of cache did as well as 32 (10^6 statements in 73-82 s against
            // 77-78 s) with a peak 12-30 MB lower.
            if dropped { try db.execute(sql: "PRAGMA cache_size = -\(Self.deferredImportCacheKiB)") }
            return dropped
        }
        return dropped ? ImportIndexDeferral(store: self, lock: lock) : nil
    }

    /// The page cache of the importer's connection while the indexes are deferred (KiB).
    static let deferredImportCacheKiB = 8192

    /// Builds the indexes an import deferred and gives its connection the appender's cache again.
    fileprivate func endImportDeferral() throws {
        try restoreLookupIndexes()
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -\(Self.appenderCacheKiB)") }
    }

    /// Inside an appender's write transaction: returns if the deferrable indexes exist or
    /// `deferral` (the caller's own import) dropped them. Otherwise, if the import that dropped
    /// them is still running, refuses with `StorageError.importInProgress`; if it is gone
    /// (killed), builds them now, in this transaction. Reads the schema once.
    static func requireLookupIndexes(_ db: Database, ledgerPath: String, deferral: ImportIndexDeferral?) throws {
        guard deferral == nil, try !missingIndexes(db).isEmpty else { return }
        guard let lock = try ImportLock.take(ledgerPath: ledgerPath) else { throw StorageError.importInProgress }
        defer { lock.release() }
        try createMissingIndexes(db)
    }

    /// Builds the deferrable indexes if an import that dropped them was killed (nobody holds its
    /// lock), as an appender would (`requireLookupIndexes`); does nothing while it runs, or on a
    /// mirror's copy, whose own rounds build them. For a process that is about to read or import
    /// many statements. Takes the write lock only when they are missing.
    public func restoreIndexesOfKilledImport() throws {
        guard !isMirror, try lookupIndexesDeferred() else { return }
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try Self.requireLookupIndexes(db, ledgerPath: path, deferral: nil)
                    return .commit
                }
            }
        } catch StorageError.importInProgress {}
    }

    /// Drops the deferrable indexes (those that exist), in the caller's transaction.
    private static func dropDeferrableIndexes(_ db: Database) throws {
        for (name, _) in deferrableIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
    }

    /// Run by every append transaction: reads the two schema rows by name, not every index's.
    private static func missingIndexes(_ db: Database) throws -> [(String, String)] {
        let present = Set(try String.fetchAll(db, sql: presentIndexesSQL))
        return deferrableIndexes.filter { !present.contains($0.0) }
    }

    /// The deferrable indexes that exist, by name; written once rather than per transaction.
    private static let presentIndexesSQL = "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ("
        + deferrableIndexes.map { "'\($0.0)'" }.joined(separator: ", ") + ")"
}

/// The statement digests of a copy whose unique index is deferred, by their first 16 bytes:
/// what the index would refuse, a match here flags, and the writer settles it on the table.
/// Making two digests share 16 bytes takes about 2^64 hashes, so a source cannot force those
/// look-ups. 16 bytes a statement (about 32 MiB of table for 1,000,000; whole digests took 64).
public final class StatementReplayGuard {
    struct Prefix: Hashable {
        let high: UInt64, low: UInt64
    }

    var prefixes = Set<Prefix>()

    /// Records `digest`; false if a statement with the same first 16 bytes was recorded before.
    func insert(_ digest: Digest) -> Bool { prefixes.insert(Self.prefix(digest)).inserted }

    static func prefix(_ digest: Digest) -> Prefix {
        digest.withUnsafeBytes { Prefix(high: $0.loadUnaligned(as: UInt64.self), low: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
    }
}

/// The deferrable indexes dropped by one import (`deferLookupIndexes(forImportCheckedAt:)`):
/// passed to each of its appends, which may write without them, and restored once at its end.
public final class ImportIndexDeferral: @unchecked Sendable {
    private let store: LedgerStore
    private var lock: ImportLock?

    fileprivate init(store: LedgerStore, lock: ImportLock) {
        self.store = store
        self.lock = lock
    }

    /// Builds the indexes again (a unique index that finds a statement twice fails, and says
    /// so: the ledger is then damaged) and releases the lock. Once; later calls do nothing.
    /// Reads every entry once: about 2 s for 1,000,000.
    public func restore() throws {
        guard let held = lock else { return }
        defer {
            held.release()
            lock = nil
        }
        try store.endImportDeferral()
    }
}

/// An exclusive `flock` on `<ledger>-import`, held by the import that deferred the indexes for
/// as long as they are missing. The kernel releases it when the process ends, however it ends,
/// so another process that can take it knows no import is running. The file stays (empty):
/// removing it could let two processes lock two different files of the same name. Released by
/// `release()` or, on any path that throws before it, when the last reference goes.
final class ImportLock {
    private var descriptor: Int32?

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    /// The lock, or nil if another process holds it. Creates the file (0644) if needed.
    static func take(ledgerPath: String) throws -> ImportLock? {
        let fd = open(ledgerPath + "-import", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StorageError.lockFile(path: ledgerPath + "-import", reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return ImportLock(descriptor: fd)
    }

    /// Once; later calls do nothing.
    func release() {
        guard let fd = descriptor else { return }
        flock(fd, LOCK_UN)
        close(fd)
        descriptor = nil
    }
}
