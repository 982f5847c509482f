import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import Logging

/// Where a submitted entry landed: its seq and leaf hash, and the size of the tree whose signed
/// checkpoint the same transaction wrote (the receipt's checkpoint).
public struct AppendOutcome: Sendable, Equatable {
    public let appended: Appended
    public let treeSize: Int64
}

/// Where a batch submitted together landed: each entry's seq and leaf hash in order, and the
/// size of the tree whose checkpoint the transaction wrote.
public struct BatchAppendOutcome: Sendable, Equatable {
    public let appended: [Appended]
    public let treeSize: Int64
}

/// Tuning of group commit.
public struct GroupCommitOptions: Sendable {
    /// Most entries in one transaction (one checkpoint).
    public var maxBatch: Int
    /// How long the writer waits for more entries after the first one arrives.
    public var maxWait: Duration
    /// Most entries waiting; beyond it submissions get 503 with Retry-After (a batch larger than
    /// this is taken only when nothing else waits).
    public var capacity: Int
    /// An entry still waiting after this long is dropped unwritten (503).
    public var queueTimeout: Duration

    public init(maxBatch: Int = 1000, maxWait: Duration = .milliseconds(2), capacity: Int = 16384,
                queueTimeout: Duration = .seconds(10)) {
        self.maxBatch = maxBatch
        self.maxWait = maxWait
        self.capacity = capacity
        self.queueTimeout = queueTimeout
    }
}

/// Group commit: concurrent submissions wait in a bounded queue; one writer thread takes up to
/// `maxBatch` entries of them at a time and appends them in one `LedgerStore.append` transaction
/// with one checkpoint. A submission of several entries (`POST /v1/entries/batch`) is never split:
/// its entries go into one transaction, all or none. A submitter resumes only after its transaction committed (or failed, with nothing
/// of it written). Closing the queue refuses new entries and lets the writer finish every queued one.
public final class AppendQueue: @unchecked Sendable {
    private struct Item {
        let entries: [PendingEntry]
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<BatchAppendOutcome, any Error>
    }

    private let store: LedgerStore
    private let logKey: Ed25519PrivateKey
    private let options: GroupCommitOptions
    private let metrics: ServerMetrics
    private let logger: Logger
    private let onCommit: @Sendable () -> Void
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var items: [Item] = []
    private var queuedEntries = 0
    private var closed = false
    private var finished = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// `onCommit` runs on the writer thread after each committed transaction, before any of its
    /// submitters resume.
    public init(store: LedgerStore, logKey: Ed25519PrivateKey, options: GroupCommitOptions, metrics: ServerMetrics, logger: Logger,
                onCommit: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.onCommit = onCommit
        self.logKey = logKey
        self.options = options
        self.metrics = metrics
        self.logger = logger
        let thread = Thread { [self] in writerLoop() }
        thread.name = "ledger-append-writer"
        thread.start()
    }

    /// Waits until `entry` is committed; throws `APIError.overloaded` at once if the queue is full.
    public func submit(_ entry: PendingEntry) async throws -> AppendOutcome {
        let outcome = try await submit([entry])
        guard let appended = outcome.appended.first else { throw APIError.storage("the append returned no entry") }
        return AppendOutcome(appended: appended, treeSize: outcome.treeSize)
    }

    /// Waits until all of `entries` are committed, in order, in one transaction; throws
    /// `APIError.overloaded` at once if the queue cannot take them now.
    public func submit(_ entries: [PendingEntry]) async throws -> BatchAppendOutcome {
        guard !entries.isEmpty else { throw APIError.invalidRequest("nothing to append") }
        return try await withCheckedThrowingContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if closed { return continuation.resume(throwing: APIError.shuttingDown) }
            guard queuedEntries == 0 || queuedEntries + entries.count <= options.capacity else {
                return continuation.resume(throwing: APIError.overloaded(retryAfter: 1))
            }
            items.append(Item(entries: entries, deadline: .now + options.queueTimeout, continuation: continuation))
            queuedEntries += entries.count
            metrics.setQueueDepth(queuedEntries)
            condition.signal()
        }
    }

    /// True once closed: new submissions are refused.
    public var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Entries waiting for a transaction now.
    public var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return queuedEntries
    }

    /// Refuses new submissions; queued ones are still committed.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Returns once the queue is closed and every queued entry has been answered.
    public func drained() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            defer { condition.unlock() }
            if finished { return continuation.resume() }
            drainWaiters.append(continuation)
        }
    }

    private func writerLoop() {
        while let batch = nextBatch() { commit(batch) }
        condition.lock()
        finished = true
        let waiters = drainWaiters
        drainWaiters = []
        condition.unlock()
        for w in waiters { w.resume() }
        logger.info("append queue drained")
    }

    /// Blocks until there is work; waits up to `maxWait` for the batch to fill. Nil once closed and empty.
    private func nextBatch() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        if items.isEmpty { return nil }
        let waitUntil = Date(timeIntervalSinceNow: options.maxWait.seconds)
        while queuedEntries < options.maxBatch && !closed {
            if !condition.wait(until: waitUntil) { break }
        }
        // Whole submissions up to maxBatch entries; the first one whatever its size.
        var taken = 0, entries = 0
        while taken < items.count, taken == 0 || entries + items[taken].entries.count <= options.maxBatch {
            entries += items[taken].entries.count
            taken += 1
        }
        let batch = Array(items.prefix(taken))
        items.removeFirst(taken)
        queuedEntries -= entries
        metrics.setQueueDepth(queuedEntries)
        return batch
    }

    private func commit(_ batch: [Item]) {
        let now = ContinuousClock.now
        var live: [Item] = [], duplicates: [Item] = []
        var seen = Set<Digest>()
        for item in batch {
            if item.deadline < now {
                item.continuation.resume(throwing: APIError.queueTimeout(seconds: Int(options.queueTimeout.seconds)))
            } else if item.entries.allSatisfy({ !seen.contains($0.body.sha256) }) {
                for entry in item.entries { seen.insert(entry.body.sha256) }
                live.append(item)
            } else {
                duplicates.append(item)  // appended alone afterwards: refused as a replay of the first
            }
        }
        if !live.isEmpty {
            do {
                let appended = try store.append(live.flatMap(\.entries), logKey: logKey)
                let size = (appended.last?.seq ?? -1) + 1
                metrics.recordBatch(entries: appended.count)
                onCommit()
                logger.debug("group commit", metadata: ["entries": "\(appended.count)", "size": "\(size)"])
                var rest = appended[...]
                for item in live {
                    let mine = rest.prefix(item.entries.count)
                    rest = rest.dropFirst(item.entries.count)
                    item.continuation.resume(returning: BatchAppendOutcome(appended: Array(mine), treeSize: size))
                }
            } catch {
                // One bad entry (a signer revoked meanwhile, a replay that raced the pre-check)
                // fails the whole transaction; append the rest one by one so only it is refused.
                // Any other failure (I/O, a lock held too long) is every entry's: all are refused.
                if live.count > 1, Self.isEntryRefusal(error) {
                    logger.info("group commit failed; retrying each submission alone", metadata: ["entries": "\(live.count)", "error": "\(error)"])
                    duplicates = live + duplicates
                } else {
                    for item in live { fail(item, error) }
                }
            }
        }
        for item in duplicates { commitAlone(item) }
    }

    /// Whether the appender refused one entry (as opposed to failing as a whole).
    private static func isEntryRefusal(_ error: any Error) -> Bool {
        switch error as? StorageError {
        case .replay?, .duplicateInBatch?, .signerRefused?, .invalidLink?, .invalidStatement?: return true
        default: return false
        }
    }

    private func commitAlone(_ item: Item) {
        do {
            let appended = try store.append(item.entries, logKey: logKey)
            guard let last = appended.last, appended.count == item.entries.count else { throw APIError.storage("the append returned no entry") }
            metrics.recordBatch(entries: appended.count)
            onCommit()
            item.continuation.resume(returning: BatchAppendOutcome(appended: appended, treeSize: last.seq + 1))
        } catch {
            fail(item, error)
        }
    }

    private func fail(_ item: Item, _ error: any Error) {
        let apiError = APIError.from(error)
        if apiError.status.code >= 500 { logger.error("append failed", metadata: ["error": "\(error)"]) }
        item.continuation.resume(throwing: apiError)
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
