import LedgerCrypto

/// An RFC 9162 §2.1.3 inclusion proof (CT's "audit path"): the sibling hashes from leaf `index`
/// up to the root of the tree of `size` leaves, leaf end first.
public struct InclusionProof: Equatable, Sendable {
    public let index: Int64
    public let size: Int64
    public let hashes: [Digest]

    public init(index: Int64, size: Int64, hashes: [Digest]) {
        self.index = index
        self.size = size
        self.hashes = hashes
    }

    /// Builds the proof for leaf `index` in the tree of `size` leaves from stored hashes
    /// (RFC 9162 §2.1.3.1, PATH(m, D[n])); requires 0 ≤ index < size. Reads O(log size) hashes once.
    public static func prove(index: Int64, size: Int64, reader: HashReader) throws -> InclusionProof {
        guard index >= 0, index < size else { throw MerkleError.indexOutOfRange(index: index, size: size) }
        var ranges: [LeafRange] = []
        pathRanges(m: index, lo: 0, hi: size, into: &ranges)
        return InclusionProof(index: index, size: size, hashes: try SubtreeHash.hashes(for: ranges, reader: reader))
    }

    /// How many hashes PATH(index, D[size]) has (0 ≤ index < size): a proof of any other length
    /// for (index, size) is malformed. At most 63.
    public static func expectedLength(index: Int64, size: Int64) -> Int {
        guard index >= 0, index < size else { return 0 }
        var ranges: [LeafRange] = []
        pathRanges(m: index, lo: 0, hi: size, into: &ranges)
        return ranges.count
    }

    /// The subtrees whose hashes form PATH(m, D[lo:hi)), leaf end first.
    private static func pathRanges(m: Int64, lo: Int64, hi: Int64, into ranges: inout [LeafRange]) {
        guard hi - lo > 1 else { return }
        let k = splitPoint(hi - lo)
        if m < lo + k {
            pathRanges(m: m, lo: lo, hi: lo + k, into: &ranges)
            ranges.append(LeafRange(lo + k, hi))
        } else {
            pathRanges(m: m, lo: lo + k, hi: hi, into: &ranges)
            ranges.append(LeafRange(lo, lo + k))
        }
    }

    /// The root this proof implies for `leafHash` (RFC 9162 §2.1.3.2), or nil if the proof has the
    /// wrong length for (index, size). Any tree size, including 1 (empty proof).
    public func impliedRoot(leafHash: Digest) -> Digest? {
        guard index >= 0, index < size else { return nil }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in hashes {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// True if the proof shows `leafHash` at `index` in the tree of `size` leaves with `root`.
    public func verify(leafHash: Digest, root: Digest) -> Bool {
        impliedRoot(leafHash: leafHash) == root
    }
}
