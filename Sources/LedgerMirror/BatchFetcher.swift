import Foundation
import LedgerCore
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

/// Chooses and fetches the batches of a round (docs/FORMAT.md §24, step 3).
struct BatchSource: Sendable {
    let client: SourceClient
    let batchSize: Int64
    let fetcher: BatchFetcher

    /// The batch starting at `from`: up to the largest stored checkpoint within `batchSize`
    /// entries, or the first one after; extended while a withheld body's notice lies beyond it.
    func batch(from: Int64, treeSize: Int64) throws -> RawBatch {
        var end = try batchEnd(from: from, treeSize: treeSize)
        var leaves = try fetcher.leaves(from: from, to: end.size)
        var bodies = try fetcher.bodies(from: from, to: end.size)
        while end.size < treeSize, Self.hasUnexplainedWithholding(first: from, leaves: leaves, bodies: bodies) {
            let next = try nextCheckpoint(after: end.size, treeSize: treeSize)
            leaves += try fetcher.leaves(from: end.size, to: next.size)
            bodies += try fetcher.bodies(from: end.size, to: next.size)
            end = next
        }
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
        return try nextCheckpoint(after: want, treeSize: treeSize)
    }

    private func nextCheckpoint(after size: Int64, treeSize: Int64) throws -> (size: Int64, note: String) {
        guard let c = try client.checkpoints(from: size + 1, to: treeSize, limit: 1).first, c.size > size, c.size <= treeSize else {
            throw MirrorError.badResponse(url: client.base + "/v1/checkpoints",
                                          reason: "no stored checkpoint between \(size + 1) and \(treeSize), though it serves one of size \(treeSize)")
        }
        return c
    }

    /// A missing body that no withhold notice among these entries names. (Only the notices are
    /// decoded here; everything is checked later.)
    static func hasUnexplainedWithholding(first: Int64, leaves: [[UInt8]], bodies: [[UInt8]?]) -> Bool {
        var missing = Set(bodies.indices.filter { bodies[$0] == nil }.map { first + Int64($0) })
        guard !missing.isEmpty else { return false }
        for (leaf, body) in zip(leaves, bodies) {
            guard let body, let entry = try? Entry(leaf: leaf), entry.kind == .withhold,
                  case .withhold(let notice)? = try? Body(stored: body).document else { continue }
            missing.remove(notice.seq)
        }
        return !missing.isEmpty
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
    init(source: BatchSource, start: Int64, treeSize: Int64, maxBatches: Int) {
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
                    let batch = try source.batch(from: from, treeSize: treeSize)
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
