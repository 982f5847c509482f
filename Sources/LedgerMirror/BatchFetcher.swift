import LedgerCore

/// Fetches the leaves and bodies of a range of entries from the source: leaves from C2SP entry
/// bundles (full ones when the source's tree holds them, so they are cacheable; the partial
/// bundle at the tree's edge otherwise), bodies from `/v1/bodies`. The last bundle fetched is
/// kept, because batches end at the source's checkpoints, which rarely fall on a bundle edge.
struct BatchFetcher {
    let client: SourceClient
    /// The size of the source's tree this round mirrors up to.
    let treeSize: Int64
    private var lastBundle: (index: Int64, width: Int, leaves: [[UInt8]])?

    static let bundleWidth = Int64(TilePath.width)
    static let bodiesPerRequest: Int64 = 4096

    init(client: SourceClient, treeSize: Int64) {
        self.client = client
        self.treeSize = treeSize
    }

    /// Leaves of entries `from ..< to` (to ≤ treeSize).
    mutating func leaves(from: Int64, to: Int64) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(Int(to - from))
        var n = from / Self.bundleWidth
        while n * Self.bundleWidth < to {
            let start = n * Self.bundleWidth
            let width = Int(min(Self.bundleWidth, treeSize - start))
            let leaves: [[UInt8]]
            if let cached = lastBundle, cached.index == n, cached.width == width {
                leaves = cached.leaves
            } else {
                leaves = try client.entryBundle(index: n, width: width)
                lastBundle = (n, width, leaves)
            }
            let lo = Int(max(from, start) - start), hi = Int(min(to, start + Int64(width)) - start)
            out += leaves[lo..<hi]
            n += 1
        }
        return out
    }

    /// Bodies of entries `from ..< to`, nil where the source withholds them.
    func bodies(from: Int64, to: Int64) throws -> [[UInt8]?] {
        var out: [[UInt8]?] = []
        out.reserveCapacity(Int(to - from))
        var at = from
        while at < to {
            let count = min(Self.bodiesPerRequest, to - at)
            out += try client.bodies(from: at, count: Int(count))
            at += count
        }
        return out
    }
}
