import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// Proofs served from the stored hashes: each request reads O(log n) rows in one read transaction,
/// so it sees one consistent tree even while others append.
extension LedgerStore {
    /// The RFC 9162 §2.1.4 consistency proof document from size `oldSize` to `newSize` (0 ≤
    /// oldSize ≤ newSize ≤ the ledger's size), with both roots; from size 0 the path is empty.
    /// Reads at most 2 log2(newSize) + 2 hashes, none that `cache` (the service's) already holds.
    public func consistencyDocument(oldSize: Int64, newSize: Int64, cache: HashCache? = nil) throws -> ConsistencyProofDocument {
        try proofRead(cache: cache) { db in
            guard oldSize >= 0, oldSize <= newSize else { throw StorageError.badSizes(old: oldSize, new: newSize) }
            try Self.requireTree(db, size: newSize)
            let reader = CachedHashes(db: db, cache: cache)
            let proof = oldSize == 0 ? ConsistencyProof(oldSize: 0, newSize: newSize, hashes: [])
                                     : try ConsistencyProof.prove(oldSize: oldSize, newSize: newSize, reader: reader)
            return ConsistencyProofDocument(origin: origin, proof: proof, oldRoot: try SubtreeHash.root(size: oldSize, reader: reader),
                                            newRoot: try SubtreeHash.root(size: newSize, reader: reader))
        }
    }

    /// The checkpoint to prove against: the latest stored one (`note` nil), or `note` after
    /// checking it is signed by this log and that this ledger's tree at its size has its root.
    public func provableCheckpoint(_ note: [UInt8]?) throws -> (checkpoint: Checkpoint, note: String) {
        try reading.read { db in try Self.provableCheckpoint(db, note, logKey: logKey) }
    }

    /// The inclusion proof document of entry `seq` against a checkpoint (see `provableCheckpoint`).
    public func inclusionDocument(seq: Int64, checkpoint note: [UInt8]?) throws -> InclusionProofDocument {
        try reading.read { db in
            let (checkpoint, _) = try Self.provableCheckpoint(db, note, logKey: logKey)
            return try Self.inclusionDocument(db, seq: seq, checkpoint: checkpoint, hashes: StoredHashes(db: db))
        }
    }

    /// A receipt for entry `seq` against a checkpoint (see `provableCheckpoint`), with the entry's
    /// body unless it is withheld or `withBody` is false. One read transaction.
    /// `cache`: Merkle hashes already read (the service's); hashes never change once written.
    /// The checkpoint is the note as the log signed it, without witness cosignatures, so one
    /// receipt has one form whichever front end made it.
    public func receipt(seq: Int64, checkpoint note: [UInt8]?, withBody: Bool = true, cache: HashCache? = nil) throws -> Receipt {
        try reading.read { db in
            let (checkpoint, text) = try Self.provableCheckpoint(db, note, logKey: logKey)
            return try Self.receipt(db, seq: seq, checkpoint: checkpoint, note: text, withBody: withBody,
                                    hashes: CachedHashes(db: db, cache: cache))
        }
    }

    /// Receipts for `seqs` against the stored checkpoint at exactly `size` (what an append
    /// transaction wrote), read in one transaction.
    public func receipts(seqs: [Int64], checkpointSize size: Int64, withBody: Bool = true, cache: HashCache? = nil) throws -> [Receipt] {
        try reading.read { db in
            guard let note = try String.fetchOne(db, sql: "SELECT note FROM checkpoints WHERE size = ?", arguments: [size]) else {
                throw StorageError.noCheckpoint(size: size)
            }
            let checkpoint = try Checkpoint.open(Array(note.utf8), logKey: logKey).checkpoint
            let hashes = CachedHashes(db: db, cache: cache)
            return try seqs.map { try Self.receipt(db, seq: $0, checkpoint: checkpoint, note: note, withBody: withBody, hashes: hashes) }
        }
    }

    // MARK: - Inside a read transaction

    static func requireTree(_ db: Database, size: Int64) throws {
        let have = try Self.size(db)
        guard size <= have else { throw StorageError.beyondLedger(size: size, ledgerSize: have) }
    }

    static func inclusionProof(_ db: Database, seq: Int64, size: Int64, hashes: some HashReader) throws -> InclusionProof {
        try requireTree(db, size: size)
        guard seq >= 0, seq < size else { throw StorageError.notInTree(seq: seq, size: size) }
        return try InclusionProof.prove(index: seq, size: size, reader: hashes)
    }

    static func provableCheckpoint(_ db: Database, _ note: [UInt8]?, logKey: NoteVerifierKey) throws -> (checkpoint: Checkpoint, note: String) {
        guard let note else {
            let latest = try latestCheckpointRow(db).note
            return (try Checkpoint.open(Array(latest.utf8), logKey: logKey).checkpoint, latest)
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.open(note, logKey: logKey).checkpoint
        } catch {
            throw StorageError.foreignCheckpoint(logKey: logKey.text, reason: "\(error)")
        }
        try requireTree(db, size: checkpoint.size)
        let root = try SubtreeHash.root(size: checkpoint.size, reader: StoredHashes(db: db))
        guard root == checkpoint.root else {
            throw StorageError.rootMismatch(size: checkpoint.size, given: checkpoint.root, stored: root)
        }
        return (checkpoint, String(decoding: note, as: UTF8.self))
    }

    static func inclusionDocument(_ db: Database, seq: Int64, checkpoint: Checkpoint,
                                  hashes: some HashReader) throws -> InclusionProofDocument {
        let proof = try inclusionProof(db, seq: seq, size: checkpoint.size, hashes: hashes)
        let leafHash = try hashes.readHashes([StoredHashIndex.firstIndex(ofLeaf: seq)])[0]
        return InclusionProofDocument(origin: checkpoint.origin, proof: proof, leafHash: leafHash, root: checkpoint.root)
    }

    static func receipt(_ db: Database, seq: Int64, checkpoint: Checkpoint, note: String, withBody: Bool,
                        hashes: some HashReader) throws -> Receipt {
        let document = try inclusionDocument(db, seq: seq, checkpoint: checkpoint, hashes: hashes)
        guard let row = try Row.fetchOne(db, sql: StoredEntry.select + " WHERE e.seq = ?", arguments: [seq]) else {
            throw StorageError.noSuchEntry(seq: seq)
        }
        let entry = try StoredEntry(row: row)
        guard MerkleHash.leaf(entry.leaf) == document.leafHash else {
            throw StorageError.corrupt("the leaf of seq \(seq) does not hash to its stored leaf hash")
        }
        return Receipt(leaf: entry.leaf, body: withBody ? entry.body : nil, checkpoint: note, proof: document)
    }
}
