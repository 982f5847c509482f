import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// One entry copied from a source ledger, as the mirror's checks decoded it: its exact leaf, the
/// leaf's fields, its canonical body (nil when the source withholds it) and what the body implies
/// for the query columns and derived rows. Small on purpose: a batch of them stays in memory.
public struct MirroredEntry: Sendable {
    public let leaf: [UInt8]
    /// SHA-256(0x00 ‖ leaf), computed once by the checks.
    public let leafHash: Digest
    public let entry: Entry
    public let body: [UInt8]?
    /// For statements: platform, category, effective date (`entries` columns).
    public let platform: String?
    public let category: String?
    public let effectiveDate: String?
    /// The `links`, `zero_claims` and `documents` rows the body implies.
    public let link: Link?
    public let zeroClaimScopes: String?
    public let document: DocumentRow?
    /// A statement's row of the search index, and of `disclosures`.
    public let search: SearchRow?
    public let disclosureScopes: String?
    /// For a withhold notice: the statement it withholds.
    public let withholds: WithholdNotice?

    public init(leaf: [UInt8], leafHash: Digest, entry: Entry, body: [UInt8]?, platform: String?, category: String?, effectiveDate: String?,
                link: Link?, zeroClaimScopes: String?, document: DocumentRow?, search: SearchRow?, disclosureScopes: String?,
                withholds: WithholdNotice?) {
        self.search = search
        self.disclosureScopes = disclosureScopes
        self.leaf = leaf
        self.leafHash = leafHash
        self.entry = entry
        self.body = body
        self.platform = platform
        self.category = category
        self.effectiveDate = effectiveDate
        self.link = link
        self.zeroClaimScopes = zeroClaimScopes
        self.document = document
        self.withholds = withholds
    }
}

/// The latest committed mirror batch: the size reached, where from, and the audit state to resume from.
public struct MirrorProgress: Sendable {
    public let size: Int64
    public let source: String
    public let auditState: [UInt8]
}

/// A refusal a mirror recorded (`mirror_evidence`).
public struct MirrorEvidence: Sendable, Equatable {
    public let id: Int64
    public let time: String
    public let source: String
    public let kind: String
    public let detail: String
    public let localNote: String?
    public let remoteNote: String?
    public let proof: String?

    public init(id: Int64 = 0, time: String, source: String, kind: String, detail: String,
                localNote: String?, remoteNote: String?, proof: String?) {
        self.id = id
        self.time = time
        self.source = source
        self.kind = kind
        self.detail = detail
        self.localNote = localNote
        self.remoteNote = remoteNote
        self.proof = proof
    }
}

/// A mirror's copy of another log (`ledger mirror`): entries are written verbatim, exactly the
/// source's leaves, bodies and checkpoints, never signed here. Each batch is written and then
/// audited inside one transaction; it commits only if the audit passes, so the file never holds an
/// entry that was not verified.
extension LedgerStore {
    /// Creates the file of a mirror of the log `logKey`, from the log's signed empty-tree
    /// checkpoint (nil if the source has none).
    public static func createMirror(at path: String, logKey: NoteVerifierKey, firstCheckpoint: String?) throws -> LedgerStore {
        try create(at: path, origin: logKey.name, logKey: logKey, firstCheckpoint: firstCheckpoint, mirror: true)
    }

    /// For a long run of large batches (a mirror's first copy): a 32 MiB page cache, as the
    /// appender's (a first copy defers its random-keyed indexes, so the right edges of its
    /// tables are what it writes), and WAL checkpoints every 32 MiB rather than every 4 MiB, so
    /// an index page rewritten by several batches is copied into the database file once.
    public func tuneForBulkWrites() throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA cache_size = -\(Self.appenderCacheKiB)")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
        }
    }

    /// One write transaction of a mirror (`BEGIN IMMEDIATE`) in which `body` appends batches
    /// through the `MirrorWriter`. Each batch is written and audited inside a savepoint: a batch
    /// that fails is rolled back alone, the batches before it are committed, and the failure is
    /// rethrown. Several batches per transaction spare rewriting the random-keyed index pages
    /// (statement digests, platforms) once per batch.
    /// `replayGuard` stands in for the unique statement index while it is deferred.
    public func writeMirrored(source: String, now: Timestamp = Timestamp.now(), replayGuard: StatementReplayGuard? = nil,
                              _ body: (MirrorWriter) throws -> Void) throws {
        try queue.writeWithoutTransaction { db in
            var failure: (any Error)?
            try db.inTransaction(.immediate) {
                let writer = MirrorWriter(db: db, tail: try Tail(db, logKey: self.logKey.publicKey), source: source, now: now,
                                          replayGuard: replayGuard)
                do { try body(writer) } catch { failure = error }
                return .commit
            }
            if let failure { throw failure }
        }
    }

    /// The latest committed mirror batch, if this file is a mirror that has committed one.
    public func mirrorProgress() throws -> MirrorProgress? {
        try reading.read { db in
            guard try db.tableExists("mirror_state") else { return nil }
            return try Row.fetchOne(db, sql: "SELECT size, source, audit_state FROM mirror_state ORDER BY size DESC LIMIT 1")
                .map { MirrorProgress(size: try $0.column(0), source: try $0.column(1), auditState: Array((try $0.column(2) as String).utf8)) }
        }
    }

    /// Records a refusal. Evidence is kept even though the refused entries are not.
    public func recordMirrorEvidence(_ e: MirrorEvidence) throws {
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO mirror_evidence(time, source, kind, detail, local_note, remote_note, proof) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [e.time, e.source, e.kind, e.detail, e.localNote, e.remoteNote, e.proof])
        }
    }

    /// Every recorded refusal, oldest first.
    public func mirrorEvidence() throws -> [MirrorEvidence] {
        try reading.read { db in
            guard try db.tableExists("mirror_evidence") else { return [] }
            return try Row.fetchAll(db, sql: "SELECT id, time, source, kind, detail, local_note, remote_note, proof FROM mirror_evidence ORDER BY id")
                .map { MirrorEvidence(id: try $0.column(0), time: try $0.column(1), source: try $0.column(2), kind: try $0.column(3), detail: try $0.column(4),
                                      localNote: try $0.column(5), remoteNote: try $0.column(6), proof: try $0.column(7)) }
        }
    }
}

/// Appends verified batches inside a mirror's write transaction (`LedgerStore.writeMirrored`).
public final class MirrorWriter {
    let db: Database
    var tail: Tail
    let source: String
    let now: Timestamp
    let replayGuard: StatementReplayGuard?

    init(db: Database, tail: Tail, source: String, now: Timestamp, replayGuard: StatementReplayGuard?) {
        self.db = db
        self.tail = tail
        self.source = source
        self.now = now
        self.replayGuard = replayGuard
    }

    /// Runs `body` in a savepoint: everything it writes is kept, or, if it throws, nothing. A
    /// mirror writes a batch with `writeRows`, audits it through `reader` and `recordState`s the
    /// result in one span (with the later batches that hold the notices of its withheld bodies).
    public func span(_ body: () throws -> Void) throws {
        let saved = tail
        do {
            try db.inSavepoint {
                try body()
                return .commit
            }
        } catch {
            tail = saved
            throw error
        }
    }

    /// Creates the deferred look-up indexes in this transaction (a first copy near its end).
    public func restoreLookupIndexes() throws {
        try LedgerStore.createMissingIndexes(db)
    }

    /// A reader of the uncommitted transaction.
    public var reader: SnapshotReader { SnapshotReader(db: db) }

    /// Stores the state of an audit that ended at the copy's current size.
    public func recordState(_ state: [UInt8]) throws {
        try db.execute(sql: "INSERT INTO mirror_state(size, source, audit_state, time) VALUES (?, ?, ?, ?)",
                       arguments: [tail.size, source, String(decoding: state, as: UTF8.self), now.description])
    }

    /// Writes the entries, withholdings and checkpoint of one batch, unaudited: callers audit
    /// before the enclosing span or transaction ends.
    public func writeRows(_ entries: [MirroredEntry], checkpoint: (size: Int64, note: String)) throws {
        let rows = try EntryRows(db)
        for mirrored in entries {
            guard mirrored.entry.seq == tail.size else {
                throw StorageError.corrupt("mirrored entry says seq \(mirrored.entry.seq), but this copy is at \(tail.size)")
            }
            // A failed span ends the round, so digests of rows it rolls back need not leave the guard.
            // The guard matches on a prefix; a match is settled on the table (a scan while the
            // index is deferred, and only for a replay or a 128-bit prefix collision).
            if let replayGuard, mirrored.entry.kind == .statement, !replayGuard.insert(mirrored.entry.bodySHA256),
               try LedgerStore.statementSeq(db, bodySHA256: mirrored.entry.bodySHA256) != nil {
                throw StorageError.mirroredEntryRefused(seq: mirrored.entry.seq, reason: "UNIQUE constraint failed: entries.body_sha256")
            }
            do { try tail.writeVerbatim(mirrored, rows: rows, db: db) } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
                // A replayed statement, a second correction of one statement: the source
                // holds what its own appender refuses.
                throw StorageError.mirroredEntryRefused(seq: mirrored.entry.seq, reason: e.message ?? "\(e)")
            }
        }
        for mirrored in entries {
            guard let notice = mirrored.withholds else { continue }
            // Withheld at the source, withheld here: the notice is the authority.
            try db.execute(sql: "INSERT OR IGNORE INTO withheld(seq, sha256, notice_seq) VALUES (?, ?, ?)",
                           arguments: [notice.seq, Data(notice.bodySHA256.bytes), mirrored.entry.seq])
            try db.execute(sql: "DELETE FROM bodies WHERE seq = ?", arguments: [notice.seq])
            try DerivedRows.removeWithheld(db, seq: notice.seq)
        }
        guard checkpoint.size == tail.size else {
            throw StorageError.corrupt("the checkpoint for size \(checkpoint.size) does not end the batch (size \(tail.size))")
        }
        try db.execute(sql: "INSERT INTO checkpoints(size, note) VALUES (?, ?)", arguments: [checkpoint.size, checkpoint.note])
    }
}

extension Tail {
    /// Writes an entry made elsewhere exactly as it is: its leaf, its body if any, the query
    /// columns and derived rows its body implies, and the Merkle hashes. Checks nothing: the
    /// caller audits the transaction before committing.
    mutating func writeVerbatim(_ m: MirroredEntry, rows: EntryRows, db: Database) throws {
        try rows.insertEntry(seq: size, leaf: m.leaf, kind: m.entry.kind.rawValue, signer: m.entry.signer, bodySHA256: m.entry.bodySHA256,
                             time: m.entry.time.description, platform: m.platform, category: m.category, effectiveDate: m.effectiveDate)
        if let body = m.body {
            try rows.insertBody(seq: size, canonical: body)
            try DerivedRows.insert(db, seq: size, signer: m.entry.signer, link: m.link,
                                   zeroClaim: m.zeroClaimScopes.map { ($0, m.platform ?? "", m.effectiveDate ?? "") }, document: m.document,
                                   search: m.search, disclosures: m.disclosureScopes)
        }
        try advance(leafHash: m.leafHash, time: m.entry.time, rows: rows)
    }
}
