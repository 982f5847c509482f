import Foundation
import LedgerCore
import LedgerCrypto

/// Reading a static publication (docs/FORMAT.md §22, "Reading a static directory"): the same
/// answers a service gives, from files any web server serves.
extension SourceClient {
    /// Stored checkpoints with `from ≤ size ≤ to`, at most `limit`, largest first if
    /// `descending`: sizes from the `checkpoints/sizes/<N>` listings, notes from
    /// `checkpoints/<size>`. Reads the listings in order until `limit` sizes are found.
    func publishedCheckpoints(from: Int64, to: Int64, limit: Int, descending: Bool) throws -> [(size: Int64, note: String)] {
        guard from <= to, limit > 0 else { return [] }
        let span = StaticLayout.sizesSpan
        let listings = descending ? Array(stride(from: to / span, through: from / span, by: -1)) : Array(stride(from: from / span, through: to / span, by: 1))
        var sizes: [Int64] = []
        for n in listings where sizes.count < limit {
            // A listing is final once a tree reaches past its span; only those may be kept.
            let within = try listing(n, final: (n + 1) * span <= to).filter { from <= $0 && $0 <= to }
            sizes += (descending ? within.reversed() : within).prefix(limit - sizes.count)
        }
        let pending = sizes.map { start("/" + StaticLayout.checkpointPath(size: $0)) }
        return try zip(sizes, pending).map { size, request in (size, String(decoding: try request.answer(), as: UTF8.self)) }
    }

    /// The sizes listed in `checkpoints/sizes/<n>`, checked for framing and order.
    private func listing(_ n: Int64, final: Bool) throws -> [Int64] {
        let path = "/" + StaticLayout.sizesPath(n)
        let bytes = try cache.bytes(path) ?? get(path)
        let sizes: [Int64]
        do { sizes = try StaticLayout.sizes(listing: bytes, n: n) } catch {
            throw MirrorError.badResponse(url: base + path, reason: "\(error)")
        }
        if final { cache.keep(path, bytes) }
        return sizes
    }

    /// The consistency proof from `from` to `to`, and both roots, computed from the Merkle tiles
    /// of the tree of `to` leaves; unverified, as a service's is (the caller checks it against
    /// the signed roots). Reads O(log to) hashes, from at most a few tiles per level.
    func tileConsistencyProof(from: Int64, to: Int64, origin: String) throws -> (text: String, document: ConsistencyProofDocument) {
        let reader = TileHashReader(client: self, treeSize: to)
        let proof = try ConsistencyProof.prove(oldSize: from, newSize: to, reader: reader)
        let document = ConsistencyProofDocument(origin: origin, proof: proof, oldRoot: try SubtreeHash.root(size: from, reader: reader),
                                                newRoot: try SubtreeHash.root(size: to, reader: reader))
        return (String(decoding: document.encoded, as: UTF8.self), document)
    }

    /// Requests tile or bundle `path` of `width` entries, falling back to the full one (whose
    /// first `width` entries are the same) if a partial one is gone, as C2SP tlog-tiles allows.
    func startStatic(_ path: TilePath) -> PendingStatic {
        PendingStatic(client: self, tile: path, first: start("/" + path.path), bodies: false)
    }

    /// Requests the body bundle matching entry bundle `index` of `width` entries, with the same fallback.
    func startBodyBundle(index: Int64, width: Int) -> PendingStatic {
        let tile = TilePath(kind: .entries, index: index, width: width)
        return PendingStatic(client: self, tile: tile, first: start("/" + StaticLayout.bodiesPath(index: index, width: width)), bodies: true)
    }
}

/// A static file requested at its width, not yet answered.
struct PendingStatic {
    let client: SourceClient
    let tile: TilePath
    let first: PendingGet
    /// The body bundle of `tile` rather than the tile itself.
    let bodies: Bool

    /// The file's bytes, and whether they are the full file's (the caller then takes the first
    /// `tile.width` entries): a partial file that is gone (404) is read from the full one.
    func answer() throws -> (bytes: [UInt8], full: Bool, address: String) {
        if let bytes = try first.answerUnlessNotFound() { return (bytes, !tile.isPartial, first.address) }
        let full = TilePath(kind: tile.kind, index: tile.index, width: Int(TilePath.width))
        let path = "/" + (bodies ? StaticLayout.bodiesPath(index: full.index, width: full.width) : full.path)
        guard tile.isPartial else { throw MirrorError.unreachable(url: first.address, reason: "HTTP 404") }
        let fallback = client.start(path)
        return (try fallback.answer(), true, fallback.address)
    }

    /// The leaves of an entry bundle.
    func leaves() throws -> [[UInt8]] {
        let (bytes, full, address) = try answer()
        do { return Array(try EntryBundle.leaves(bytes, expected: full ? Int(TilePath.width) : tile.width).prefix(tile.width)) } catch {
            throw MirrorError.badResponse(url: address, reason: "\(error)")
        }
    }

    /// The bodies of a body bundle, nil where withheld.
    func bodyList() throws -> [[UInt8]?] {
        let (bytes, full, address) = try answer()
        do { return Array(try EntryBundle.bodies(bundle: bytes, expected: full ? Int(TilePath.width) : tile.width).prefix(tile.width)) } catch {
            throw MirrorError.badResponse(url: address, reason: "\(error)")
        }
    }

    /// The bytes of a Merkle tile: exactly `tile.width` hashes of 32 bytes (the first ones of a
    /// full tile read in place of a partial one).
    func tileBytes() throws -> [UInt8] {
        let (bytes, full, address) = try answer()
        let count = full ? Int(TilePath.width) : tile.width
        guard bytes.count == count * 32 else {
            throw MirrorError.badResponse(url: address, reason: "a tile of \(bytes.count) bytes, not \(count) hashes of 32 bytes")
        }
        return Array(bytes.prefix(tile.width * 32))
    }
}

/// Immutable static files already read, up to `capacity`, the oldest dropped first.
final class StaticFileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var files: [String: [UInt8]] = [:]
    private var order: [String] = []
    let capacity = 64

    func bytes(_ path: String) -> [UInt8]? { lock.withLock { files[path] } }

    func keep(_ path: String, _ bytes: [UInt8]) {
        lock.withLock {
            guard files.updateValue(bytes, forKey: path) == nil else { return }
            order.append(path)
            if order.count > capacity { files[order.removeFirst()] = nil }
        }
    }
}
