import LedgerCrypto

/// The right edge of a Merkle tree: the hashes of the complete subtrees that cover [0, size),
/// largest first. O(log n) memory, enough to append leaves and compute the root at any size.
/// Appends report each newly completed subtree in stored-hash order, so a writer can store them
/// and a verifier can compare them with what was stored.
public struct CompactRange: Sendable {
    public private(set) var size: Int64 = 0
    // (level, hash) of each complete subtree, left to right; levels strictly decrease.
    private var stack: [(level: Int, hash: Digest)] = []

    public init() {}

    /// Rebuilds the edge of a tree of `size` leaves from the stored hashes of
    /// `StoredHashIndex.decompose(lo: 0, hi: size)`, in that order.
    public init(size: Int64, edge: [Digest]) throws {
        let parts = StoredHashIndex.decompose(lo: 0, hi: size)
        guard parts.count == edge.count else { throw MerkleError.edgeMismatch(expected: parts.count, got: edge.count) }
        self.size = size
        stack = zip(parts, edge).map { ($0.level, $1) }
    }

    /// Adds a leaf hash; calls `stored` with each hash the log stores for it (the leaf, then every
    /// subtree it completes), in stored-hash order.
    public mutating func append(leafHash: Digest, stored: (Digest) throws -> Void) rethrows {
        try stored(leafHash)
        var hash = leafHash
        var level = 0
        while let top = stack.last, top.level == level {
            stack.removeLast()
            hash = MerkleHash.node(top.hash, hash)
            level += 1
            try stored(hash)
        }
        stack.append((level, hash))
        size += 1
    }

    public mutating func append(leafHash: Digest) {
        append(leafHash: leafHash, stored: { _ in })
    }

    /// The hashes of the complete subtrees covering [0, size), largest first: what
    /// `init(size:edge:)` takes back, and what the stored-hash ids of
    /// `StoredHashIndex.decompose(lo: 0, hi: size)` hold.
    public var edge: [Digest] { stack.map(\.hash) }

    /// MTH of the tree so far (RFC 9162 §2.1.1): the edge folded from the right.
    public var root: Digest {
        guard var hash = stack.last?.hash else { return MerkleHash.emptyRoot }
        for entry in stack.dropLast().reversed() {
            hash = MerkleHash.node(entry.hash, hash)
        }
        return hash
    }
}

public enum MerkleError: Error, Equatable, CustomStringConvertible {
    case edgeMismatch(expected: Int, got: Int)
    case indexOutOfRange(index: Int64, size: Int64)
    case badSizes(old: Int64, new: Int64)
    case missingHash(index: Int64)

    public var description: String {
        switch self {
        case .edgeMismatch(let e, let g): return "the stored tree edge has \(g) hashes, expected \(e)"
        case .indexOutOfRange(let i, let s): return "entry \(i) is not in a tree of size \(s)"
        case .badSizes(let o, let n): return "no consistency proof from size \(o) to size \(n): need 0 < old ≤ new"
        case .missingHash(let i): return "stored hash \(i) is missing from the ledger"
        }
    }
}
