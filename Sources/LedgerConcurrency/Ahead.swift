import Foundation

/// A bounded pipeline stage: a thread of its own calls `produce` until it returns nil or
/// throws, keeping up to `capacity` results ready for `next()`, in order. The mirror runs two:
/// fetching batches from the source, and checking them on every core. Each stage working ahead
/// is what lets the network, the checks and the writing of a batch (and its commit) overlap.
public final class Ahead<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Item] = []
    private var failure: (any Error)?
    private var finished = false
    private var cancelled = false
    private var capacity: Int

    public init(capacity: Int, name: String, produce: @escaping @Sendable () throws -> Item?) {
        self.capacity = capacity
        let thread = Thread { [self] in
            while true {
                condition.lock()
                while ready.count >= self.capacity && !cancelled { condition.wait() }
                let stop = cancelled
                condition.unlock()
                if stop { break }
                do {
                    guard let item = try produce() else { break }
                    condition.lock()
                    ready.append(item)
                    condition.broadcast()
                    condition.unlock()
                } catch {
                    condition.lock()
                    failure = error
                    condition.unlock()
                    break
                }
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// The next item in order; nil when there are no more or the stage was cancelled (so a
    /// stage fed by a cancelled one stops at once, even while a request hangs); throws what
    /// stopped the stage.
    public func next() throws -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished && !cancelled { condition.wait() }
        if cancelled { return nil }
        if !ready.isEmpty {
            let item = ready.removeFirst()
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// Lets the stage keep up to `capacity` results ready from now on.
    public func setCapacity(_ capacity: Int) {
        condition.lock()
        self.capacity = capacity
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the stage (the round ended early); an item being produced is finished and dropped.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Cancels, then waits until the stage's thread has stopped producing.
    public func cancelAndWait() {
        cancel()
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }
}

/// A value read and replaced from several threads.
public final class SharedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    public init(_ value: Value) { stored = value }

    public var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
