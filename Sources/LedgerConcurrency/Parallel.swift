import Dispatch
import Foundation

/// Maps `items` on every core, keeping order. Used for the per-entry work of an audit
/// (parsing, hashing, signature checks), which is independent from entry to entry.
/// Inlinable, so each caller gets a copy specialised to its types (no generic dispatch per item).
@inlinable
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    guard items.count > 1 else { return items.map(transform) }
    let results = ResultSlots<R>(count: items.count)
    // Many more chunks than cores, so one slow chunk does not leave a core idle at the end.
    let workers = min(items.count, max(1, ProcessInfoCores.count) * 16)
    items.withUnsafeBufferPointer { input in
        nonisolated(unsafe) let input = input
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker * input.count / workers
            let end = (worker + 1) * input.count / workers
            while i < end {
                results.set(i, transform(input[i]))
                i += 1
            }
        }
    }
    return results.values()
}

/// Work started on another thread now, whose result is collected later with `wait()`:
/// lets the caller's thread do I/O while the cores compute.
///
/// The thread is its own, not one of Dispatch's: a `parallelMap` inside already holds Dispatch's
/// workers (one per core), and work queued on Dispatch meanwhile (URLSession's, in a mirror)
/// would wait for the whole map to end.
public final class Background<R: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: R?

    public init(_ work: @escaping @Sendable () -> R) {
        let thread = Thread {
            self.result = work()
            self.done.signal()
        }
        thread.start()
    }

    /// Blocks until the work has finished; call once.
    public func wait() -> R {
        done.wait()
        guard let result else { preconditionFailure("Background.wait() called twice") }
        self.result = nil
        return result
    }
}

/// Write-once slots filled from several threads, each index by exactly one thread.
@usableFromInline
final class ResultSlots<R>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<R?>
    private let count: Int

    @usableFromInline
    init(count: Int) {
        self.count = count
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @usableFromInline
    func set(_ i: Int, _ value: R) { storage[i] = value }

    /// Moves the results out (no copy: a checked entry holds many references, and copying each
    /// one cost an audit about 1 % of its time); the slots are left empty. Call once.
    @usableFromInline
    func values() -> [R] {
        var out: [R] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            if let value = (storage + i).move() { out.append(value) }
            (storage + i).initialize(to: nil)
        }
        return out
    }
}

@usableFromInline
enum ProcessInfoCores {
    @usableFromInline static let count = ProcessInfo.processInfo.activeProcessorCount
}
