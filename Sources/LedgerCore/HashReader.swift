import LedgerCrypto

/// Reads stored subtree hashes by their `StoredHashIndex` position. The storage layer implements
/// it over SQLite; tests implement it over an array.
public protocol HashReader {
    /// The hashes at `indexes`, in the same order; throws if any is missing.
    func readHashes(_ indexes: [Int64]) throws -> [Digest]
}

/// Computes RFC 9162 subtree hashes MTH(D[lo:hi)) from stored complete-subtree hashes.
public enum SubtreeHash {
    /// The stored-hash indexes needed for each range, flattened in order.
    static func indexes(for ranges: [LeafRange]) -> [Int64] {
        ranges.flatMap { r in StoredHashIndex.decompose(lo: r.lo, hi: r.hi).map { StoredHashIndex.index(level: $0.level, n: $0.n) } }
    }

    /// MTH of each range, reading every needed stored hash in one call.
    static func hashes(for ranges: [LeafRange], reader: HashReader) throws -> [Digest] {
        let stored = try reader.readHashes(indexes(for: ranges))
        var cursor = 0
        return ranges.map { r in
            let count = StoredHashIndex.decompose(lo: r.lo, hi: r.hi).count
            let parts = stored[cursor..<cursor + count]
            cursor += count
            // Fold from the right: MTH(D[lo:hi)) = node(MTH(left complete part), MTH(rest)).
            guard var hash = parts.last else { return MerkleHash.emptyRoot }
            for part in parts.dropLast().reversed() { hash = MerkleHash.node(part, hash) }
            return hash
        }
    }

    /// The root of the tree of `size` leaves (RFC 9162 §2.1.1); O(log size) stored hashes.
    public static func root(size: Int64, reader: HashReader) throws -> Digest {
        size == 0 ? MerkleHash.emptyRoot : try hashes(for: [LeafRange(0, size)], reader: reader)[0]
    }
}

/// The leaves [lo, hi) of a subtree in RFC 9162's recursions. A struct, not a tuple: arrays of
/// tuples make the runtime look up generic metadata on every proof.
struct LeafRange {
    let lo: Int64
    let hi: Int64

    init(_ lo: Int64, _ hi: Int64) {
        self.lo = lo
        self.hi = hi
    }
}
