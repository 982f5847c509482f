import Foundation

/// Maps items while they are still being produced: the producer hands over chunks with `add`,
/// a helper thread maps them as they come, and `finish` has the producer's thread help with
/// whatever is left before returning every result in order. For a reader on one core (SQLite
/// rows) whose items cost as much again to decode: the two overlap instead of following each other.
public final class ChunkPipeline<T: Sendable, R: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (T) throws -> R
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var chunks: [[T]] = []
    private var results: [[R]?] = []
    private var nextChunk = 0
    private var producing = true
    private var failure: (any Error)?
    private let helperDone = DispatchSemaphore(value: 0)

    public init(_ transform: @escaping @Sendable (T) throws -> R) {
        self.transform = transform
        let thread = Thread { [self] in
            work()
            helperDone.signal()
        }
        thread.start()
    }

    /// Hands over the next chunk (in order).
    public func add(_ chunk: [T]) {
        condition.lock()
        chunks.append(chunk)
        results.append(nil)
        condition.signal()
        condition.unlock()
    }

    /// No more chunks: maps what is left on this thread too, waits for the helper, and returns
    /// every result in the order added; the first error thrown by `transform`, if any. Call it
    /// exactly once (also after a failed read): it is what ends the helper thread.
    public func finish() throws -> [R] {
        condition.lock()
        producing = false
        condition.broadcast()
        condition.unlock()
        work()
        helperDone.wait()
        if let failure { throw failure }
        return results.flatMap { $0 ?? [] }
    }

    /// Takes chunks in turn until none is left and none can come.
    private func work() {
        while true {
            condition.lock()
            while nextChunk == chunks.count && producing { condition.wait() }
            guard nextChunk < chunks.count, failure == nil else {
                condition.unlock()
                return
            }
            let index = nextChunk
            nextChunk += 1
            let chunk = chunks[index]
            chunks[index] = []  // its results replace it
            condition.unlock()
            let mapped = Result { try chunk.map(transform) }
            condition.lock()
            switch mapped {
            case .success(let values): results[index] = values
            case .failure(let error): if failure == nil { failure = error }
            }
            condition.unlock()
        }
    }
}
