import LedgerCrypto

/// An RFC 9162 §2.1.4 consistency proof: the hashes that show the tree of `newSize` leaves
/// extends the tree of `oldSize` leaves, i.e. the log only appended.
public struct ConsistencyProof: Equatable, Sendable {
    public let oldSize: Int64
    public let newSize: Int64
    public let hashes: [Digest]

    public init(oldSize: Int64, newSize: Int64, hashes: [Digest]) {
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    /// Builds the proof from stored hashes (RFC 9162 §2.1.4.1, PROOF(m, D[n])) for
    /// 0 < oldSize ≤ newSize; equal sizes give the empty proof. Reads O(log newSize) hashes once.
    public static func prove(oldSize: Int64, newSize: Int64, reader: HashReader) throws -> ConsistencyProof {
        guard oldSize > 0, oldSize <= newSize else { throw MerkleError.badSizes(old: oldSize, new: newSize) }
        var ranges: [LeafRange] = []
        subproofRanges(m: oldSize, lo: 0, hi: newSize, complete: true, into: &ranges)
        return ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: try SubtreeHash.hashes(for: ranges, reader: reader))
    }

    /// How many hashes PROOF(oldSize, D[newSize]) has (0 < oldSize ≤ newSize): a proof of any
    /// other length for these sizes is malformed. At most 126.
    public static func expectedLength(oldSize: Int64, newSize: Int64) -> Int {
        guard oldSize > 0, oldSize <= newSize else { return 0 }
        var ranges: [LeafRange] = []
        subproofRanges(m: oldSize, lo: 0, hi: newSize, complete: true, into: &ranges)
        return ranges.count
    }

    /// The subtrees whose hashes form SUBPROOF(m, D[lo:hi), b).
    private static func subproofRanges(m: Int64, lo: Int64, hi: Int64, complete: Bool,
                                       into ranges: inout [LeafRange]) {
        if lo + m == hi {
            if !complete { ranges.append(LeafRange(lo, hi)) }
            return
        }
        let k = splitPoint(hi - lo)
        if m <= k {
            subproofRanges(m: m, lo: lo, hi: lo + k, complete: complete, into: &ranges)
            ranges.append(LeafRange(lo + k, hi))
        } else {
            subproofRanges(m: m - k, lo: lo + k, hi: hi, complete: false, into: &ranges)
            ranges.append(LeafRange(lo, lo + k))
        }
    }

    /// True if the proof shows the tree (newSize, newRoot) extends the tree (oldSize, oldRoot)
    /// (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; a proof from the empty
    /// tree (oldSize 0) proves nothing and is refused, as transparency-dev's verifier does.
    public func verify(oldRoot: Digest, newRoot: Digest) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return hashes.isEmpty && oldRoot == newRoot }
        guard !hashes.isEmpty else { return false }
        var path = hashes
        // A power-of-two old tree is itself a complete subtree of the new one, so the proof omits it.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}
