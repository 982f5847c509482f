import LedgerCore
import LedgerCrypto

/// Stored hashes of the tree of `treeSize` leaves read from a static publication's Merkle tiles
/// (docs/FORMAT.md §22), as Go's `tlog.TileHashReader` does, for the proofs a mirror needs.
/// Tiles are not checked here: every proof built from them is verified against signed roots.
struct TileHashReader: HashReader {
    let client: SourceClient
    let treeSize: Int64

    /// Where stored hash (level, n) lives: `count` consecutive hashes from `position` of a tile,
    /// folded into one when `level` is not a multiple of 8.
    struct Location {
        let tile: TilePath
        let position: Int
        let count: Int
    }

    /// The tile holding hash (level, n) at the width the tree of `treeSize` gives it; nil if
    /// the tree has no such complete subtree.
    func location(level: Int, n: Int64) -> Location? {
        let tileLevel = level / 8, below = level % 8
        guard tileLevel <= 6 else { return nil }
        let first = n << Int64(below)                       // the first hash at tree level 8·tileLevel
        let count = 1 << below
        let index = first / TilePath.width
        let position = Int(first % TilePath.width)
        let available = (treeSize >> Int64(8 * tileLevel)) - index * TilePath.width
        guard n >= 0, position + count <= min(Int(TilePath.width), Int(clamping: available)) else { return nil }
        return Location(tile: TilePath(kind: .hashes(level: tileLevel), index: index, width: Int(min(TilePath.width, available))),
                        position: position, count: count)
    }

    /// Reads each distinct tile once (all requested before the first is awaited), from the
    /// client's cache when it holds it; a tile's bytes never change, so every tile read is kept.
    func readHashes(_ indexes: [Int64]) throws -> [Digest] {
        let locations = try indexes.map { index in
            let (level, n) = StoredHashIndex.split(index)
            guard let at = location(level: level, n: n) else {
                throw MirrorError.usage("hash (\(level), \(n)) is not in a tree of \(treeSize) entries")
            }
            return at
        }
        var tiles: [String: [Digest]] = [:]
        var pending: [String: PendingStatic] = [:]
        for at in locations where tiles[at.tile.path] == nil && pending[at.tile.path] == nil {
            if let kept = client.cache.bytes("/" + at.tile.path) {
                tiles[at.tile.path] = Self.hashes(kept)
            } else {
                pending[at.tile.path] = client.startStatic(at.tile)
            }
        }
        for (path, request) in pending {
            let bytes = try request.tileBytes()
            tiles[path] = Self.hashes(bytes)
            client.cache.keep("/" + path, bytes)
        }
        return try locations.map { at in
            guard let tile = tiles[at.tile.path], at.position + at.count <= tile.count else {
                throw MirrorError.badResponse(url: client.base + "/" + at.tile.path, reason: "it holds fewer hashes than its width")
            }
            // Hash (level, n) is the root of `count` consecutive hashes of the tile.
            var hashes = Array(tile[at.position..<at.position + at.count])
            while hashes.count > 1 { hashes = stride(from: 0, to: hashes.count, by: 2).map { MerkleHash.node(hashes[$0], hashes[$0 + 1]) } }
            return hashes[0]
        }
    }

    /// The 32-byte hashes of tile bytes `tileBytes` checked.
    static func hashes(_ bytes: [UInt8]) -> [Digest] {
        stride(from: 0, to: bytes.count - 31, by: 32).compactMap { Digest(bytes: bytes[$0..<$0 + 32]) }
    }
}
