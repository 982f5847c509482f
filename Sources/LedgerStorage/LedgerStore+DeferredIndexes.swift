import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// A mirror's first copy builds two indexes once, near its end, instead of entry by entry: their
/// keys (statement digests, platforms) are random, so each insert lands on a random page of a
/// growing B-tree, which costs a million-entry copy about a tenth of its time. While they are
/// deferred, a `StatementReplayGuard` in memory refuses replayed statements in their place, so a
/// copy never holds what the source's own appender refuses (docs/FORMAT.md §24).
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
        try queue.write { db in
            for (name, _) in Self.deferrableIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        }
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

    static func createMissingIndexes(_ db: Database) throws {
        for (_, sql) in try missingIndexes(db) { try db.execute(sql: sql) }
    }

    private static func missingIndexes(_ db: Database) throws -> [(String, String)] {
        let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        return deferrableIndexes.filter { !present.contains($0.0) }
    }
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
