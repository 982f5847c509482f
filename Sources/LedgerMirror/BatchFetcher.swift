import Foundation
import LedgerConcurrency
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// Fetches the leaves and bodies of a range of entries from the source: leaves from C2SP entry
/// bundles (full ones when the source's tree holds them, so they are cacheable; the partial
/// bundle at the tree's edge otherwise); bodies from `/v1/bodies` of a service, or from the body
/// bundle beside each entry bundle of a static source. The last bundle fetched is kept, because
/// batches end at the source's checkpoints, which rarely fall on a bundle edge.
final class BatchFetcher: @unchecked Sendable {
    // Used by one batch at a time: the mirror fetches batch k + 1 only after batch k is fetched.
    let client: SourceClient
    /// The size of the source's tree this round mirrors up to.
    let treeSize: Int64
    private var lastBundle: (index: Int64, width: Int, leaves: [[UInt8]], bodies: [[UInt8]?])?

    static let bundleWidth = Int64(TilePath.width)
    static let bodiesPerRequest: Int64 = 4096

    /// A bundle of a batch: the one kept from the previous batch, or requests sent now (the
    /// body bundle only from a static source).
    private enum BundleSource {
        case kept(leaves: [[UInt8]], bodies: [[UInt8]?])
        case requested(entries: PendingStatic, bodies: PendingStatic?)
    }

    init(client: SourceClient, treeSize: Int64) {
        self.client = client
        self.treeSize = treeSize
    }

    /// Leaves and bodies (nil where withheld) of entries `from ..< to` (to ≤ treeSize). Every
    /// request is sent before the first answer is awaited: one batch costs about one round trip
    /// to a busy source, not one per bundle.
    func fetch(from: Int64, to: Int64) throws -> (leaves: [[UInt8]], bodies: [[UInt8]?]) {
        let bundled = client.layout == .staticFiles
        var bodyRequests: [(count: Int, pending: PendingGet)] = []
        var at = from
        while !bundled, at < to {
            let count = Int(min(Self.bodiesPerRequest, to - at))
            bodyRequests.append((count, client.startBodies(from: at, count: count)))
            at += Int64(count)
        }
        var bundles: [(index: Int64, start: Int64, width: Int, source: BundleSource)] = []
        var n = from / Self.bundleWidth
        while n * Self.bundleWidth < to {
            let start = n * Self.bundleWidth
            let width = Int(min(Self.bundleWidth, treeSize - start))
            if let kept = lastBundle, kept.index == n, kept.width == width {
                bundles.append((n, start, width, .kept(leaves: kept.leaves, bodies: kept.bodies)))
            } else {
                let entries = client.startStatic(TilePath(kind: .entries, index: n, width: width))
                bundles.append((n, start, width, .requested(entries: entries, bodies: bundled ? client.startBodyBundle(index: n, width: width) : nil)))
            }
            n += 1
        }
        var leaves: [[UInt8]] = [], bodies: [[UInt8]?] = []
        leaves.reserveCapacity(Int(to - from))
        bodies.reserveCapacity(Int(to - from))
        for bundle in bundles {
            let all: (leaves: [[UInt8]], bodies: [[UInt8]?])
            switch bundle.source {
            case .kept(let keptLeaves, let keptBodies): all = (keptLeaves, keptBodies)
            case .requested(let entries, let bodyBundle):
                all = (try entries.leaves(), try bodyBundle?.bodyList() ?? [])
                lastBundle = (bundle.index, bundle.width, all.leaves, all.bodies)
            }
            let lo = Int(max(from, bundle.start) - bundle.start), hi = Int(min(to, bundle.start + Int64(bundle.width)) - bundle.start)
            leaves += all.leaves[lo..<hi]
            if bundled { bodies += all.bodies[lo..<hi] }
        }
        for request in bodyRequests { bodies += try request.pending.bodies(count: request.count) }
        return (leaves, bodies)
    }
}

/// One batch as fetched, before any check: it ends at a checkpoint the source signed.
struct RawBatch: Sendable {
    let first: Int64
    let end: (size: Int64, note: String)
    let leaves: [[UInt8]]
    let bodies: [[UInt8]?]
}

/// Chooses, ties to the round's signed root, and fetches the batches of a round (docs/FORMAT.md §24, step 3).
struct BatchSource: Sendable {
    let client: SourceClient
    let batchSize: Int64
    /// The log's origin, named in proofs built from a static source's tiles.
    let origin: String
    let fetcher: BatchFetcher

    /// The batch starting at `from`: up to the largest stored checkpoint within `batchSize`
    /// entries, or the first one after. Its end checkpoint must lead to the root the round
    /// mirrors to (`treeRoot` at `treeSize`, checked under the pinned key): by a consistency
    /// proof from the source, or by being that very checkpoint. Otherwise the source showed
    /// two trees under one key, and the batch is refused as a fork before anything is written.
    func batch(from: Int64, treeSize: Int64, treeRoot: Digest) throws -> RawBatch {
        let end = try batchEnd(from: from, treeSize: treeSize)
        let endRoot: Digest
        do { endRoot = try Checkpoint.parse(text: try SignedNote.parse(end.note).text).root } catch {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints", reason: "the checkpoint of size \(end.size): \(error)")
        }
        if end.size == treeSize {
            guard endRoot == treeRoot else {
                throw MirrorError.fork(reason: "the source's stored checkpoint of size \(treeSize) has root \(endRoot.base64), its /checkpoint \(treeRoot.base64)")
            }
        } else {
            let (text, document) = try client.consistencyProof(from: end.size, to: treeSize, origin: origin)
            guard document.proof.oldSize == end.size, document.proof.newSize == treeSize, document.oldRoot == endRoot,
                  document.newRoot == treeRoot, document.verify(oldRoot: endRoot, newRoot: treeRoot) else {
                throw MirrorError.fork(reason: "the source's checkpoint of size \(end.size) (root \(endRoot.base64)) does not lead to its signed root \(treeRoot.base64) at \(treeSize)",
                                       proof: text)
            }
        }
        let (leaves, bodies) = try fetcher.fetch(from: from, to: end.size)
        return RawBatch(first: from, end: end, leaves: leaves, bodies: bodies)
    }

    private func batchEnd(from: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        let want = min(treeSize, from + batchSize)
        if let c = try client.checkpoints(from: from + 1, to: want, limit: 1, descending: true).first {
            guard c.size > from, c.size <= want else {
                throw MirrorError.badResponse(url: client.base + "/v1/checkpoints", reason: "asked for sizes \(from + 1)...\(want), got \(c.size)")
            }
            return c
        }
        let next = try nextCheckpoint(after: want, treeSize: treeSize)
        // A batch is held in memory until it is checked: a source whose next checkpoint lies far
        // beyond the batch (or one that claims so) would make it as large as the whole log.
        let limit = max(16 * batchSize, 1 << 16)
        guard next.size - from <= limit else {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints",
                                          reason: "its next checkpoint after \(from) is at \(next.size): a batch of \(next.size - from) entries is over the \(limit) a mirror holds at once; a log signs a checkpoint at least every \(limit) entries")
        }
        return next
    }

    private func nextCheckpoint(after size: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        guard let c = try client.checkpoints(from: size + 1, to: treeSize, limit: 1).first, c.size > size, c.size <= treeSize else {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints",
                                          reason: "no stored checkpoint between \(size + 1) and \(treeSize), though it serves one of size \(treeSize)")
        }
        return c
    }
}

extension Ahead where Item == RawBatch {
    /// The batches of a round from `from` up to `treeSize`, at most `maxBatches`, fetched on a
    /// thread of their own, up to `MirrorTuning.fetchedAhead` ahead of the checks.
    static func fetching(_ source: BatchSource, from start: Int64, treeSize: Int64, treeRoot: Digest, maxBatches: Int) -> Ahead<RawBatch> {
        let position = SharedValue((from: start, count: 0))
        return Ahead(capacity: MirrorTuning.fetchedAhead, name: "mirror-fetch") {
            let (from, count) = position.value
            guard from < treeSize, count < maxBatches else { return nil }
            let batch: RawBatch
            do { batch = try source.batch(from: from, treeSize: treeSize, treeRoot: treeRoot) } catch {
                throw MirrorError.from(error)
            }
            position.value = (batch.end.size, count + 1)
            return batch
        }
    }
}
