/// Where a complete subtree's hash lives in the ledger's `hashes` table.
///
/// The log stores the hash of every *complete* subtree, in the order an append produces them:
/// leaf n's hash, then the hashes of the subtrees that leaf completes, lowest level first.
/// A subtree at `level` covers leaves [n·2^level, (n+1)·2^level). This dense order (Crosby and
/// Wallach, "Efficient Data Structures for Tamper-Evident Logging", §3.3; also Go's sumdb)
/// lets an append write ~2 rows and lets the verifier compare the table row by row as it streams.
public enum StoredHashIndex {
    /// The largest tree a ledger can hold: entries carry their seq as a JSON integer (at most
    /// 2^53 − 1, FORMAT.md §2). Below it every position here fits an Int64 (count < 2^55).
    /// Callers check sizes from stored or received bytes against it before using them here.
    public static let maxTreeSize: Int64 = 1 << 53

    /// The position of subtree (level, n) in append order.
    public static func index(level: Int, n: Int64) -> Int64 {
        // The subtree is completed by its last leaf, (n+1)·2^level − 1.
        let lastLeaf = ((n + 1) << Int64(level)) - 1
        return firstIndex(ofLeaf: lastLeaf) + Int64(level)
    }

    /// The position of leaf n's own hash: every earlier leaf m wrote 1 + trailingOnes(m) hashes,
    /// which sums to n + n/2 + n/4 + ….
    public static func firstIndex(ofLeaf n: Int64) -> Int64 {
        var total: Int64 = 0
        var m = n
        while m > 0 {
            total += m
            m >>= 1
        }
        return total
    }

    /// The subtree (level, n) stored at `index`: the inverse of `index(level:n:)` (Go's
    /// `tlog.SplitStoredHashIndex`). `index` must be non-negative and below
    /// `count(forSize: maxTreeSize)`. Costs O(log index).
    public static func split(_ index: Int64) -> (level: Int, n: Int64) {
        // firstIndex(ofLeaf: n) < 2n, so the leaf that wrote `index` is at least index/2, and
        // each later leaf m adds 1 + trailingOnes(m) hashes: at most log2(index) steps ahead.
        var n = index / 2
        var first = firstIndex(ofLeaf: n)
        while true {
            let next = first + 1 + Int64(n.trailingOnes)
            guard next <= index else { break }
            n += 1
            first = next
        }
        let level = Int(index - first)
        return (level, n >> Int64(level))
    }

    /// How many hashes a tree of `size` leaves has stored.
    public static func count(forSize size: Int64) -> Int64 {
        size == 0 ? 0 : firstIndex(ofLeaf: size - 1) + 1 + Int64((size - 1).trailingOnes)
    }

    /// The aligned complete subtrees, left to right, whose hashes combine into MTH(D[lo:hi)),
    /// as (level, n) pairs. `lo` must be a multiple of the first subtree's width, which holds for
    /// every range RFC 9162's recursions produce.
    public static func decompose(lo: Int64, hi: Int64) -> [(level: Int, n: Int64)] {
        var parts: [(level: Int, n: Int64)] = []
        var lo = lo
        while lo < hi {
            let width = hi - lo == 1 ? 1 : (Int64(1) << (63 - (hi - lo).leadingZeroBitCount))
            let level = width.trailingZeroBitCount
            precondition(lo % width == 0, "unaligned subtree [\(lo), \(hi))")
            parts.append((level, lo >> Int64(level)))
            lo += width
        }
        return parts
    }
}

extension Int64 {
    var trailingOnes: Int { (~self).trailingZeroBitCount }
}
