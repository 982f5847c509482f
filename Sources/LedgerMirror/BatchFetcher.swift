import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// Fetches the leaves and bodies of a range of entries from the source: leaves from C2SP entry
/// bundles (full ones when the source's tree holds them, so they are cacheable; the partial
/// bundle at the tree's edge otherwise), bodies from `/v1/bodies`. The last bundle fetched is
/// kept, because batches end at the source's checkpoints, which rarely fall on a bundle edge.
final class BatchFetcher: @unchecked Sendable {
    // Used by one batch at a time: the mirror fetches batch k + 1 only after batch k is fetched.
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
    func leaves(from: Int64, to: Int64) throws -> [[UInt8]] {
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
            let (text, document) = try client.consistencyProof(from: end.size, to: treeSize)
            guard document.proof.oldSize == end.size, document.proof.newSize == treeSize, document.oldRoot == endRoot,
                  document.newRoot == treeRoot, document.verify(oldRoot: endRoot, newRoot: treeRoot) else {
                throw MirrorError.fork(reason: "the source's checkpoint of size \(end.size) (root \(endRoot.base64)) does not lead to its signed root \(treeRoot.base64) at \(treeSize)",
                                       proof: text)
            }
        }
        return RawBatch(first: from, end: end, leaves: try fetcher.leaves(from: from, to: end.size),
                        bodies: try fetcher.bodies(from: from, to: end.size))
    }

    private func batchEnd(from: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        let want = min(treeSize, from + batchSize)
        if let c = try client.checkpoints(from: from + 1, to: want, limit: 1, descending: true).first {
            guard c.size > from, c.size <= want else {
                throw MirrorError.badResponse(url: client.base + "/v1/checkpoints", reason: "asked for sizes \(from + 1)...\(want), got \(c.size)")
            }
            return c
        }
        return try nextCheckpoint(after: want, treeSize: treeSize)
    }

    private func nextCheckpoint(after size: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        guard let c = try client.checkpoints(from: size + 1, to: treeSize, limit: 1).first, c.size > size, c.size <= treeSize else {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints",
                                          reason: "no stored checkpoint between \(size + 1) and \(treeSize), though it serves one of size \(treeSize)")
        }
        return c
    }
}

/// Fetches the batches of a round on a thread of its own, up to two ahead of the checks, so the
/// waits on the network overlap the checking and the writing of earlier batches.
final class FetchAhead: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [RawBatch] = []
    private var failure: MirrorError?
    private var finished = false
    private var cancelled = false
    private let capacity = 2

    /// Fetches from `start` up to `treeSize`, at most `maxBatches` batches.
    init(source: BatchSource, start: Int64, treeSize: Int64, treeRoot: Digest, maxBatches: Int) {
        let thread = Thread { [self] in
            var from = start
            var count = 0
            while from < treeSize, count < maxBatches {
                condition.lock()
                while ready.count >= capacity && !cancelled { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { break }
                do {
                    let batch = try source.batch(from: from, treeSize: treeSize, treeRoot: treeRoot)
                    from = batch.end.size
                    count += 1
                    condition.lock()
                    ready.append(batch)
                    condition.broadcast()
                    condition.unlock()
                } catch {
                    condition.lock()
                    failure = MirrorError.from(error)
                    condition.unlock()
                    break
                }
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// The next batch in order; nil when the round has no more; throws the fetch's failure.
    func next() throws -> RawBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        if !ready.isEmpty {
            let batch = ready.removeFirst()
            condition.broadcast()
            return batch
        }
        if let failure { throw failure }
        return nil
    }

    /// Stops fetching (the round ended early); a batch being fetched is finished and dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
