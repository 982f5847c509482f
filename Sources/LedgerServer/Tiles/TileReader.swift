import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Builds tlog-tiles resources from a ledger's stored hashes and leaves. A Merkle tile at level L
/// holds the hashes of complete subtrees of 256^L leaves (stored at tree level 8·L); an entry
/// bundle holds the leaf bytes, each prefixed with its length as a big-endian uint16.
public struct TileReader: Sendable {
    let store: LedgerStore

    public init(store: LedgerStore) { self.store = store }

    /// Leaves covered by one hash of a tile at `level` (256^level), nil if beyond any tree.
    static func span(level: Int) -> Int64? { 8 * level <= 56 ? Int64(1) << (8 * level) : nil }

    /// The tile's bytes if the tree of `treeSize` leaves contains it whole, else nil.
    public func contents(_ tile: TilePath, treeSize: Int64) throws -> [UInt8]? {
        let level: Int
        switch tile.kind {
        case .hashes(let l): level = l
        case .entries: level = 0
        }
        guard let span = TileReader.span(level: level) else { return nil }
        let (first, overflow) = tile.index.multipliedReportingOverflow(by: TilePath.width)
        let (end, carried) = first.addingReportingOverflow(Int64(tile.width))
        guard !overflow, !carried, end <= treeSize / span else { return nil }
        switch tile.kind {
        case .hashes:
            let positions = (0..<Int64(tile.width)).map { (level: 8 * level, n: first + $0) }
            return try store.subtreeHashes(positions, withinSize: treeSize).flatMap(\.bytes)
        case .entries:
            var bundle: [UInt8] = []
            for leaf in try store.leaves(from: first, count: tile.width) {
                guard leaf.count <= Int(UInt16.max) else { throw TileError.leafTooLong(bytes: leaf.count) }
                bundle.append(UInt8(leaf.count >> 8))
                bundle.append(UInt8(leaf.count & 0xFF))
                bundle += leaf
            }
            return bundle
        }
    }

    /// Every tile and entry bundle of the tree of `size` leaves: the full ones and, per level,
    /// the rightmost partial one (what a static mirror of that checkpoint serves).
    public static func tiles(forTreeSize size: Int64) -> [TilePath] {
        var out: [TilePath] = []
        var level = 0
        while let span = span(level: level), span <= size {
            let count = size / span
            let (full, partial) = (count / TilePath.width, Int(count % TilePath.width))
            let kinds: [TilePath.Kind] = level == 0 ? [.hashes(level: 0), .entries] : [.hashes(level: level)]
            for kind in kinds {
                for n in 0..<full { out.append(TilePath(kind: kind, index: n, width: Int(TilePath.width))) }
                if partial > 0 { out.append(TilePath(kind: kind, index: full, width: partial)) }
            }
            level += 1
        }
        return out
    }
}

public enum TileError: Error, Equatable, CustomStringConvertible {
    case leafTooLong(bytes: Int)

    public var description: String {
        switch self {
        case .leafTooLong(let n): return "a leaf of \(n) bytes does not fit an entry bundle's uint16 length prefix"
        }
    }
}

extension TileError: KindedError { public var kind: FailureKind { .integrity } }
