import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

extension LedgerStore {
    /// Appends `items` in one `BEGIN IMMEDIATE` transaction and signs one checkpoint for it.
    /// Concurrent appenders (threads or processes) serialise on the write lock, each reading the
    /// head inside its own transaction, so the chain stays linear. Nothing is written on error.
    @discardableResult
    public func append(_ items: [PendingEntry], logKey: Ed25519PrivateKey) throws -> [Appended] {
        try append(items, logKey: logKey, policy: .enforceKeyHistory, clock: Timestamp.now)
    }

    /// `append` with the checks and the clock chosen: tests (`@testable`) force entries in, as a
    /// rogue writer would, to show the audit catches them.
    @discardableResult
    func append(_ items: [PendingEntry], logKey: Ed25519PrivateKey, policy: AppendPolicy,
                clock: () -> Timestamp) throws -> [Appended] {
        guard !items.isEmpty else { return [] }
        var given = false
        let appended = try append(logKey: logKey, maxBatches: 1, policy: policy, clock: clock) {
            defer { given = true }
            return given ? nil : items
        }
        return appended.first ?? []
    }

    /// Appends the batches `next` gives, until it returns nil or `maxBatches` were taken, in one
    /// `BEGIN IMMEDIATE` transaction with a signed checkpoint after each batch. A bulk import's
    /// statement digests land on random pages of the replay and search indexes; one transaction
    /// for several batches writes each such page once for all of them instead of once per batch,
    /// while only the batch being written is held here. Nothing is written on error. Returns the
    /// entries of each batch (an empty array when `next` gave nothing).
    /// `deferral`: the caller's own import dropped the look-up indexes (its statements were
    /// checked for replays before); any other appender is refused until they are back.
    public func append(logKey: Ed25519PrivateKey, maxBatches: Int, deferral: ImportIndexDeferral? = nil,
                       next: () throws -> [PendingEntry]?) throws -> [[Appended]] {
        try append(logKey: logKey, maxBatches: maxBatches, policy: .enforceKeyHistory, clock: Timestamp.now, deferral: deferral, next: next)
    }

    func append(logKey: Ed25519PrivateKey, maxBatches: Int, policy: AppendPolicy, clock: () -> Timestamp,
                deferral: ImportIndexDeferral? = nil, next: () throws -> [PendingEntry]?) throws -> [[Appended]] {
        let checkpointSigner = try NoteSigner(name: origin, privateKey: logKey)
        guard checkpointSigner.verifierKey == self.logKey else {
            throw StorageError.unauthorized(item: "log key", reason: "this private key is not the ledger's log key \(self.logKey.text)")
        }
        return try queue.writeWithoutTransaction { db in
            var results: [[Appended]] = []
            try db.inTransaction(.immediate) {
                try Self.requireLookupIndexes(db, ledgerPath: self.path, deferral: deferral)
                var tail = try Tail(db, logKey: self.logKey.publicKey)
                let rows = try EntryRows(db)
                while results.count < maxBatches, let items = try next() {
                    guard !items.isEmpty else { continue }
                    results.append(try Self.write(items, tail: &tail, rows: rows, db: db, policy: policy, clock: clock))
                    try tail.writeCheckpoint(db: db, signer: checkpointSigner)
                }
                return results.isEmpty ? .rollback : .commit
            }
            return results
        }
    }

    /// One batch's entries, checked (with `.enforceKeyHistory`) and written after `tail`.
    private static func write(_ items: [PendingEntry], tail: inout Tail, rows: EntryRows, db: Database, policy: AppendPolicy,
                              clock: () -> Timestamp) throws -> [Appended] {
        var results: [Appended] = []
        var seen: [Digest: EntryOrigin] = [:]
        for item in items {
            let now = clock()
            if policy == .enforceKeyHistory {
                try tail.authorize(item)
                try Self.checkLink(db, item: item, seq: tail.size)
                do { try item.body.statement?.checkDates(appendedAt: tail.entryTime(now)) } catch let e as ValidationError {
                    throw StorageError.invalidStatement(item.origin, e)
                }
            }
            if item.body.kind == .statement {
                if let other = seen[item.body.sha256] { throw StorageError.duplicateInBatch(item.origin, other: other) }
                seen[item.body.sha256] = item.origin
            }
            do {
                results.append(try tail.write(item, rows: rows, db: db, now: now))
            } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT && item.body.kind == .statement {
                // The unique index on statement digests refuses a replay (the entry's row is
                // its first insert, so nothing of it was written); the seq is looked up only
                // then, to name it, rather than before every statement.
                if let seq = try Self.statementSeq(db, bodySHA256: item.body.sha256) { throw StorageError.replay(item.origin, seq: seq) }
                throw e
            }
        }
        return results
    }

    /// Withholds the body of statement or archived page `seq`: appends a withhold notice signed
    /// by the log key and removes the body, in one transaction. The entry, its leaf and every
    /// proof stay valid.
    @discardableResult
    public func withhold(seq: Int64, reason: String, logKey: Ed25519PrivateKey) throws -> Appended {
        try withhold(seq: seq, reason: reason, logKey: logKey, clock: Timestamp.now)
    }

    func withhold(seq: Int64, reason: String, logKey: Ed25519PrivateKey, clock: () -> Timestamp) throws -> Appended {
        let checkpointSigner = try NoteSigner(name: origin, privateKey: logKey)
        guard checkpointSigner.verifierKey == self.logKey else {
            throw StorageError.unauthorized(item: "log key", reason: "this private key is not the ledger's log key \(self.logKey.text)")
        }
        return try queue.writeWithoutTransaction { db in
            var result: Appended?
            try db.inTransaction(.immediate) {
                try Self.requireLookupIndexes(db, ledgerPath: self.path, deferral: nil)
                guard let row = try Row.fetchOne(db, sql: "SELECT kind, body_sha256 FROM entries WHERE seq = ?", arguments: [seq]) else {
                    throw StorageError.noSuchEntry(seq: seq)
                }
                let kind: String = try row.column(0)
                guard kind == EntryKind.statement.rawValue || kind == EntryKind.document.rawValue, let digest = Digest(bytes: try row.column(1) as Data) else {
                    throw StorageError.cannotWithhold(seq: seq, reason: "only statements and archived pages can be withheld")
                }
                guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM withheld WHERE seq = ?)", arguments: [seq]) == false else {
                    throw StorageError.cannotWithhold(seq: seq, reason: "it is already withheld")
                }
                // The body's facts go into the signed notice: once the body is gone, the rows
                // derived from it can only be checked against the notice.
                guard let stored = try String.fetchOne(db, sql: "SELECT body FROM bodies WHERE seq = ?", arguments: [seq]) else {
                    throw StorageError.cannotWithhold(seq: seq, reason: "its body is not stored")
                }
                let withheld = try Body(stored: Array(stored.utf8))
                let notice: WithholdNotice
                if case .archive(let d) = withheld.document {
                    notice = WithholdNotice(seq: seq, bodySHA256: digest, reason: reason, document: .init(d))
                } else {
                    notice = WithholdNotice(seq: seq, bodySHA256: digest, reason: reason, facts: try WithholdNotice.DerivedFacts(of: withheld))
                }
                let body = try Body(value: notice.json)
                let pending = try PendingEntry.sign(body, origin: .generated("withhold notice"), signer: SignerName.log, key: logKey)
                var tail = try Tail(db, logKey: self.logKey.publicKey)
                let appended = try tail.write(pending, rows: try EntryRows(db), db: db, now: clock())
                try db.execute(sql: "INSERT INTO withheld(seq, sha256, notice_seq) VALUES (?, ?, ?)",
                               arguments: [seq, Data(digest.bytes), appended.seq])
                try db.execute(sql: "DELETE FROM bodies WHERE seq = ?", arguments: [seq])
                try DerivedRows.removeWithheld(db, seq: seq)
                try tail.writeCheckpoint(db: db, signer: checkpointSigner)
                result = appended
                return .commit
            }
            guard let result else { throw StorageError.corrupt("withhold transaction produced no entry") }
            return result
        }
    }

}

/// The head of the log inside a write transaction: next seq, previous leaf hash and time, the
/// tree's right edge and the key history. Writing an entry advances all of them.
struct Tail {
    var size: Int64
    var prev: Digest
    var lastTime: Timestamp
    var range: CompactRange
    var history: KeyHistory
    var nextHashID: Int64

    init(_ db: Database, logKey: Ed25519PublicKey) throws {
        size = try LedgerStore.size(db)
        let reader = StoredHashes(db: db)
        let edge = StoredHashIndex.decompose(lo: 0, hi: size).map { StoredHashIndex.index(level: $0.level, n: $0.n) }
        range = try CompactRange(size: size, edge: try reader.readHashes(edge))
        nextHashID = StoredHashIndex.count(forSize: size)
        if size > 0 {
            prev = try reader.readHashes([StoredHashIndex.firstIndex(ofLeaf: size - 1)])[0]
            let timeText = try String.fetchOne(db, sql: "SELECT time FROM entries WHERE seq = ?", arguments: [size - 1]) ?? ""
            guard let t = Timestamp(timeText, millisecondsRequired: true) else { throw StorageError.corrupt("entry \(size - 1) has a bad time") }
            lastTime = t
        } else {
            prev = .zero
            lastTime = Timestamp(millis: 0)
        }
        history = try LedgerStore.keyHistory(db, logKey: logKey)
    }

    /// Refuses an entry whose signer may not sign it at this point of the history.
    mutating func authorize(_ item: PendingEntry) throws {
        do {
            let key = try history.key(for: item.signer, kind: item.body.kind)
            guard key == item.signerKey else {
                throw StorageError.signerRefused(item.origin, reason: "the key used is not the registered key of signer '\(item.signer)'")
            }
            if case .signer(let event) = item.body.document { try history.apply(event, at: size) }
        } catch let e as KeyHistoryError {
            throw StorageError.signerRefused(item.origin, reason: e.description)
        }
    }

    /// The time the next entry gets: entry times never go backwards, even if the clock does.
    func entryTime(_ now: Timestamp) -> Timestamp { max(now, lastTime) }

    mutating func write(_ item: PendingEntry, rows: EntryRows, db: Database, now: Timestamp) throws -> Appended {
        let time = entryTime(now)
        let entry = Entry(seq: size, time: time, kind: item.body.kind, bodySHA256: item.body.sha256,
                          signer: item.signer, signature: item.signature, prev: prev)
        let leaf = entry.leaf
        let leafHash = MerkleHash.leaf(leaf)
        let statement = item.body.statement
        try rows.insertEntry(seq: size, leaf: leaf, kind: entry.kind.rawValue, signer: entry.signer, bodySHA256: item.body.sha256,
                             time: time.description, platform: statement?.platform, category: statement?.category.rawValue,
                             effectiveDate: statement?.published.description)
        try rows.insertBody(seq: size, canonical: item.body.canonical)
        try DerivedRows.insert(db, seq: size, signer: item.signer, body: item.body)
        let appended = Appended(seq: size, leafHash: leafHash)
        try advance(leafHash: leafHash, time: time, rows: rows)
        return appended
    }

    /// Adds the leaf to the tree (its new Merkle hashes written) and moves the head past it.
    mutating func advance(leafHash: Digest, time: Timestamp, rows: EntryRows) throws {
        try range.append(leafHash: leafHash) { hash in
            try rows.insertHash(id: nextHashID, hash)
            nextHashID += 1
        }
        size += 1
        prev = leafHash
        lastTime = time
    }

    func writeCheckpoint(db: Database, signer: NoteSigner) throws {
        let note = try signer.sign(Checkpoint(origin: signer.name, size: size, root: range.root).text)
        try db.execute(sql: "INSERT INTO checkpoints(size, note) VALUES (?, ?)", arguments: [size, note])
    }
}
