import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// Read queries for the HTTP service (`LedgerServer`): filtered listings, proofs against any
/// size the ledger has reached, tiles and per-platform summaries.
extension LedgerStore {
    /// Runs reads without an enclosing transaction: each statement sees its own consistent
    /// snapshot, which is enough here because every query is either a single statement or reads
    /// rows that never change once committed (leaves, hashes, checkpoints) below a size read
    /// first. It spares a BEGIN and a COMMIT per request.
    func servingRead<T>(_ body: (Database) throws -> T) throws -> T {
        try reading.inDatabase(body)
    }

    /// How a proof reads its hashes. With the service's `cache`, most come from memory and the
    /// one or two left are read without a transaction (`servingRead`); without one, the dozens
    /// of hash reads share one read transaction, which costs less than a snapshot per
    /// statement (10^6 entries: 0.06 against 0.20 ms per proof, ledger-proof-bench).
    func proofRead<T>(cache: HashCache?, _ body: (Database) throws -> T) throws -> T {
        try cache == nil ? reading.read(body) : servingRead(body)
    }

    /// The size of the latest stored checkpoint (normally the number of entries).
    public func latestCheckpointSize() throws -> Int64 {
        try servingRead { db in try Int64.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoints") ?? 0 }
    }

    /// An RFC 9162 §2.1.3 inclusion proof of entry `seq` in the tree of `size` leaves (nil: the
    /// latest checkpoint's size), with that tree's root, the leaf hash and the checkpoint stored
    /// for that size (with its cosignatures); refuses a size beyond the ledger's and a seq
    /// outside the tree. Reads at most 2 log2(size) + 2 hashes, none that `cache` holds.
    public func inclusionProof(seq: Int64, size: Int64?, cache: HashCache? = nil) throws
        -> (proof: InclusionProof, root: Digest, leafHash: Digest, checkpoint: String?) {
        try proofRead(cache: cache) { db in
            // The checkpoint's size first: its entries were committed with it, so `current` covers it.
            let size = try size ?? Int64.fetchOne(db, sql: "SELECT MAX(size) FROM checkpoints") ?? 0
            let reader = CachedHashes(db: db, cache: cache)
            let proof = try Self.inclusionProof(db, seq: seq, size: size, hashes: reader)
            let leafHash = try reader.readHashes([StoredHashIndex.firstIndex(ofLeaf: seq)])[0]
            let note = try String.fetchOne(db.cachedStatement(sql: "SELECT note FROM checkpoints WHERE size = ?"), arguments: [size])
            return (proof, try SubtreeHash.root(size: size, reader: reader), leafHash,
                    try note.map { try Self.withCachedCosignatures(db, size: size, note: $0) })
        }
    }

    /// `withCosignatures` through a prepared statement kept on the connection.
    static func withCachedCosignatures(_ db: Database, size: Int64, note: String) throws -> String {
        guard try db.tableExists("cosignatures") else { return note }
        let lines = try String.fetchAll(db.cachedStatement(sql: "SELECT line FROM cosignatures WHERE size = ? ORDER BY witness"), arguments: [size])
        return note + lines.joined()
    }

    /// For an append's checks (advisory: the appender checks again in its transaction), in one
    /// read snapshot: the seq of the latest signer event (the key history changes only with it)
    /// and the seq of each digest's statement (nil where it is new), in the order given.
    public func appendPrecheck(bodySHA256s: [Digest]) throws -> (latestSignerEvent: Int64?, existingStatements: [Int64?]) {
        try servingRead { db in
            let signer = try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM entries WHERE kind <> 'statement' AND kind = 'signer'"))
            return (signer, try bodySHA256s.map { try Self.statementSeq(db, bodySHA256: $0) })
        }
    }

    /// Entries matching `query`, in its order, at most `query.limit`: one page, whatever the
    /// ledger's size (the limit is the caller's page size). Platform (with category and dates)
    /// and signer use indexes; a date range alone walks the entries in seq order.
    public func entries(matching query: EntryQuery) throws -> [StoredEntry] {
        try servingRead { db in
            var sql = StoredEntry.select + " WHERE e.seq BETWEEN ? AND ?"
            var args: StatementArguments = [query.from, query.to]
            if let p = query.platform { sql += " AND e.platform = ?"; _ = args.append(contentsOf: [p]) }
            if let c = query.category { sql += " AND e.category = ?"; _ = args.append(contentsOf: [c]) }
            if let s = query.signer { sql += " AND e.signer = ?"; _ = args.append(contentsOf: [s]) }
            if let k = query.kind { sql += " AND e.kind = ?"; _ = args.append(contentsOf: [k]) }
            if let d = query.bodySHA256 { sql += " AND e.body_sha256 = ?"; _ = args.append(contentsOf: [Data(d.bytes)]) }
            if let f = query.fromDate { sql += " AND e.effective_date >= ?"; _ = args.append(contentsOf: [f]) }
            if let t = query.toDate { sql += " AND e.effective_date <= ?"; _ = args.append(contentsOf: [t]) }
            switch query.order {
            case .seq: sql += " ORDER BY e.seq LIMIT ?"
            case .newestFirst: sql += " ORDER BY e.seq DESC LIMIT ?"
            case .latestEffectiveFirst(let before):
                if let before {
                    sql += " AND (e.effective_date, e.seq) < (?, ?)"
                    _ = args.append(contentsOf: [before.effectiveDate, before.seq])
                }
                sql += " ORDER BY e.effective_date DESC, e.seq DESC LIMIT ?"
            case .effectiveOldestFirst(let offset):
                sql += " ORDER BY e.effective_date, e.seq LIMIT ? OFFSET \(max(0, offset))"
            }
            _ = args.append(contentsOf: [query.limit])
            return try Row.fetchAll(db, sql: sql, arguments: args).map(StoredEntry.init(row:))
        }
    }

    /// The number of statements about `platform` (in `category`, if given), counted on the index.
    public func statementCount(platform: String, category: String? = nil) throws -> Int64 {
        try servingRead { db in
            guard let category else {
                return try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE platform = ?", arguments: [platform]) ?? 0
            }
            return try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE platform = ? AND category = ?", arguments: [platform, category]) ?? 0
        }
    }

    /// The years in which `platform`'s statements were published, oldest first, each with how
    /// many: what its page links its year pages by. Reads the platform's index rows, no bodies.
    public func statementYears(platform: String) throws -> [(year: Int, count: Int)] {
        try servingRead { db in
            try Row.fetchAll(db, sql: """
                SELECT CAST(substr(effective_date, 1, 4) AS INTEGER), COUNT(*) FROM entries
                 WHERE platform = ? GROUP BY 1 ORDER BY 1
                """, arguments: [platform]).map { (year: $0[0], count: $0[1]) }
        }
    }

    /// One line per platform: how many statements, which categories, the latest seq.
    public func platformSummaries() throws -> [PlatformSummary] {
        try servingRead { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT platform, category, COUNT(*), MAX(seq) FROM entries
                WHERE platform IS NOT NULL GROUP BY platform, category ORDER BY platform, category
                """)
            var out: [PlatformSummary] = []
            for row in rows {
                let platform: String = try row.column(0), category: String = try row.column(1), count: Int64 = try row.column(2), latest: Int64 = try row.column(3)
                if out.last?.platform == platform {
                    let last = out.removeLast()
                    out.append(PlatformSummary(platform: platform, statements: last.statements + count,
                                               categories: last.categories + [category], latestSeq: max(last.latestSeq, latest)))
                } else {
                    out.append(PlatformSummary(platform: platform, statements: count, categories: [category], latestSeq: latest))
                }
            }
            return out
        }
    }

    /// The stored hashes at these tree positions (complete subtrees), in order.
    public func subtreeHashes(_ positions: [(level: Int, n: Int64)], withinSize size: Int64) throws -> [Digest] {
        try servingRead { db in
            let current = try Self.size(db)
            guard size <= current else { throw StorageError.beyondLedger(size: size, ledgerSize: current) }
            return try StoredHashes(db: db).readHashes(positions.map { StoredHashIndex.index(level: $0.level, n: $0.n) })
        }
    }

    /// The leaf bytes of entries `from ..< from + count`; refuses a range past the last entry.
    public func leaves(from: Int64, count: Int) throws -> [[UInt8]] {
        try servingRead { db in
            let current = try Self.size(db)
            guard from >= 0, count >= 0, from + Int64(count) <= current else {
                throw StorageError.beyondLedger(size: from + Int64(count), ledgerSize: current)
            }
            let cursor = try Row.fetchCursor(db, sql: "SELECT leaf FROM entries WHERE seq >= ? AND seq < ? ORDER BY seq",
                                             arguments: [from, from + Int64(count)])
            var out: [[UInt8]] = []
            out.reserveCapacity(count)
            while let row = try cursor.next() { out.append(try row.withUnsafeData(atIndex: 0) { [UInt8]($0 ?? Data()) }) }
            return out
        }
    }
}

/// A filtered listing of entries (`GET /v1/entries`, `ledger list`).
public struct EntryQuery: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    public var platform: String?
    public var category: String?
    public var signer: String?
    public var kind: String?
    public var bodySHA256: Digest?
    /// Statements published (stored `effective_date`) on or after / on or before these dates.
    public var fromDate: String?
    public var toDate: String?
    public var limit: Int
    public var order: Order

    /// How a page is ordered, and where the next one starts.
    public enum Order: Sendable, Equatable {
        /// Oldest appended first; the next page starts at `from`.
        case seq
        /// Highest seq first (a feed's newest entries); the next page ends at `to`.
        case newestFirst
        /// Latest effective date first, then highest seq (a platform's page); the next page
        /// starts before the cursor of the last entry shown.
        case latestEffectiveFirst(before: TimelineCursor?)
        /// Earliest effective date first, then lowest seq, past the first `offset` (a year
        /// page of a platform beyond the history limit: `fromDate` and `toDate` bound the year).
        case effectiveOldestFirst(offset: Int)
    }

    public init(from: Int64 = 0, to: Int64 = .max, platform: String? = nil, category: String? = nil, signer: String? = nil,
                kind: String? = nil, bodySHA256: Digest? = nil, fromDate: String? = nil, toDate: String? = nil,
                limit: Int = 100, order: Order = .seq) {
        self.order = order
        self.fromDate = fromDate
        self.toDate = toDate
        self.from = from
        self.to = to
        self.platform = platform
        self.category = category
        self.signer = signer
        self.kind = kind
        self.bodySHA256 = bodySHA256
        self.limit = limit
    }
}

extension TimelineCursor {
    /// The cursor at `entry` (the next page starts past it).
    public init(at entry: StoredEntry) {
        self.init(effectiveDate: entry.effectiveDate ?? "", seq: entry.seq)
    }
}

/// What the ledger holds about one platform.
public struct PlatformSummary: Sendable, Equatable {
    public let platform: String
    public let statements: Int64
    public let categories: [String]
    public let latestSeq: Int64
}

/// Stored subtree hashes never change once written (the table is append-only), so the service's
/// readers share them from memory. Bounded: it starts over when full.
public final class HashCache: @unchecked Sendable {
    private let lock = NSLock()
    private var hashes: [Int64: Digest] = [:]
    private let capacity: Int

    public init(capacity: Int = 1 << 20) { self.capacity = capacity }

    func get(_ index: Int64) -> Digest? { lock.withLock { hashes[index] } }

    /// The hashes at `indexes` if every one is cached, else nil (the caller then reads the ledger).
    public func lookup(_ indexes: [Int64]) -> [Digest]? {
        lock.withLock {
            var out: [Digest] = []
            out.reserveCapacity(indexes.count)
            for i in indexes {
                guard let d = hashes[i] else { return nil }
                out.append(d)
            }
            return out
        }
    }

    func put(_ index: Int64, _ digest: Digest) {
        lock.withLock {
            if hashes.count >= capacity { hashes.removeAll(keepingCapacity: true) }
            hashes[index] = digest
        }
    }
}

/// Stored hashes through an optional `HashCache`; misses are read from the `hashes` table.
struct CachedHashes: HashReader {
    let db: Database
    let cache: HashCache?

    func readHashes(_ indexes: [Int64]) throws -> [Digest] {
        guard let cache else { return try StoredHashes(db: db).readHashes(indexes) }
        let statement = try db.cachedStatement(sql: "SELECT hash FROM hashes WHERE id = ?")
        return try indexes.map { index in
            if let hit = cache.get(index) { return hit }
            guard let data = try Data.fetchOne(statement, arguments: [index]), let digest = Digest(bytes: [UInt8](data)) else {
                throw MerkleError.missingHash(index: index)
            }
            cache.put(index, digest)
            return digest
        }
    }
}
