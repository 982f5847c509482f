import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The latest signed checkpoint (with its cosignatures), kept in memory for at most `ttl` so
/// that checkpoint and proof reads need no database read. Appends and cosignatures made through
/// this server invalidate it at once; ones made by the CLI on the same file show within `ttl`
/// (the checkpoint is served with `max-age=2` anyway). Every value served is a real, signed
/// checkpoint of the log.
final class LatestCheckpoint: @unchecked Sendable {
    struct Value {
        let size: Int64
        let root: Digest
        let note: String
    }

    private let lock = NSLock()
    private var value: (Value, ContinuousClock.Instant)?
    private let ttl: Duration

    init(ttl: Duration = .milliseconds(100)) { self.ttl = ttl }

    func get(_ store: LedgerStore) throws -> Value {
        let now = ContinuousClock.now
        if let (v, fetched) = lock.withLock({ value }), now - fetched < ttl { return v }
        let note = try store.latestCosignedCheckpoint()
        let checkpoint = try Checkpoint.parse(text: try SignedNote.parse(note).text)
        let v = Value(size: checkpoint.size, root: checkpoint.root, note: note)
        lock.withLock { value = (v, now) }
        return v
    }

    func invalidate() { lock.withLock { value = nil } }
}

/// Proofs from cached hashes only: nil when any hash is not cached yet.
enum CachedProofs {
    static func inclusion(index: Int64, size: Int64, cache: HashCache) -> (proof: InclusionProof, leafHash: Digest)? {
        guard let leaf = cache.lookup([StoredHashIndex.firstIndex(ofLeaf: index)])?.first,
              let proof = try? InclusionProof.prove(index: index, size: size, reader: CacheOnlyReader(cache: cache)) else { return nil }
        return (proof, leaf)
    }

    private struct CacheOnlyReader: HashReader {
        let cache: HashCache
        struct Miss: Error {}
        func readHashes(_ indexes: [Int64]) throws -> [Digest] {
            guard let hashes = cache.lookup(indexes) else { throw Miss() }
            return hashes
        }
    }
}
