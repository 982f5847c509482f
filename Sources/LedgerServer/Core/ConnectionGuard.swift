import Foundation
import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import ServiceLifecycle

/// Keeps the service answering while clients hold many connections open without using them.
///
/// Two limits, both per process (docs/API.md, "Connections"):
///  - at `maxConnections` open connections the server stops accepting (Hummingbird's
///    `MaximumAvailableConnections`): new ones wait in the kernel's backlog instead of the
///    accept loop failing on EMFILE over and over (it spun at 92 % of a core);
///  - above `shedAbove` open connections, connections with no request in flight that have been
///    idle for `idleGrace` (100 ms once at the limit) are closed, longest idle first, down to
///    `shedAbove`, so that clients with work to do get a descriptor. Below it, idle keep-alive
///    connections live out the server's idle timeout.
public struct ConnectionLimits: Sendable {
    public var maxConnections: Int
    public var shedAbove: Int
    public var idleGrace: Duration

    /// Limits that fit the process's descriptor limit, keeping a quarter of them (at most 256)
    /// for the ledger file, its WAL, the reader connections and the logs.
    public static func fitting(descriptors: Int) -> ConnectionLimits {
        let max = Swift.max(16, descriptors - Swift.min(256, descriptors / 4))
        return ConnectionLimits(maxConnections: max, shedAbove: max / 2, idleGrace: .seconds(1))
    }

    public init(maxConnections: Int, shedAbove: Int, idleGrace: Duration) {
        self.maxConnections = maxConnections
        self.shedAbove = shedAbove
        self.idleGrace = idleGrace
    }

    /// The process's soft descriptor limit.
    public static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(clamping: limit.rlim_cur)
    }

    /// Raises the soft descriptor limit to the hard one (as servers do at start) and returns it.
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }
}

/// The open connections and whether each has a request in flight. Thread-safe: handlers on
/// every event loop report to it, and the shedder reads it.
public final class ConnectionRegistry: @unchecked Sendable {
    private struct Connection {
        let channel: any Channel
        var inFlight: Int
        var idleSince: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var connections: [ObjectIdentifier: Connection] = [:]
    private(set) var shed = 0
    public let limits: ConnectionLimits

    public init(limits: ConnectionLimits) { self.limits = limits }

    public var openCount: Int { lock.withLock { connections.count } }
    public var shedCount: Int { lock.withLock { shed } }

    func opened(_ channel: any Channel) {
        lock.withLock { connections[ObjectIdentifier(channel)] = Connection(channel: channel, inFlight: 0, idleSince: .now) }
    }

    func closed(_ channel: any Channel) {
        lock.withLock { _ = connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func requestStarted(_ channel: any Channel) {
        lock.withLock { connections[ObjectIdentifier(channel)]?.inFlight += 1 }
    }

    func responseEnded(_ channel: any Channel) {
        lock.withLock {
            guard var c = connections[ObjectIdentifier(channel)] else { return }
            c.inFlight = max(0, c.inFlight - 1)
            c.idleSince = .now
            connections[ObjectIdentifier(channel)] = c
        }
    }

    /// Closes idle connections while more than `shedAbove` are open, longest idle first; only
    /// those idle for `idleGrace`. Costs one pass over the open connections.
    @discardableResult
    func shedIdle(now: ContinuousClock.Instant = .now) -> Int {
        let victims: [any Channel] = lock.withLock {
            let excess = connections.count - limits.shedAbove
            guard excess > 0 else { return [] }
            // At the limit nothing new is accepted: a connection idle for 100 ms (a request
            // sent at once arrives well within it) gives way to one waiting in the backlog.
            let grace = connections.count >= limits.maxConnections ? .milliseconds(100) : limits.idleGrace
            let idle = connections.values.filter { $0.inFlight == 0 && now - $0.idleSince >= grace }
            let chosen = idle.sorted { $0.idleSince < $1.idleSince }.prefix(excess).map(\.channel)
            shed += chosen.count
            return chosen
        }
        for channel in victims { channel.close(promise: nil) }
        return victims.count
    }
}

/// One per connection, after HTTP decoding: tells the registry when a request starts and when
/// its response has been written.
final class ConnectionTracker: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let registry: ConnectionRegistry

    init(registry: ConnectionRegistry) { self.registry = registry }

    func handlerAdded(context: ChannelHandlerContext) { registry.opened(context.channel) }

    func handlerRemoved(context: ChannelHandlerContext) { registry.closed(context.channel) }

    func channelInactive(context: ChannelHandlerContext) {
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data) { registry.requestStarted(context.channel) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { registry.responseEnded(context.channel) }
        context.write(data, promise: promise)
    }
}

/// Runs the shedder every 200 ms until the service stops.
struct ConnectionShedder: Service {
    let registry: ConnectionRegistry
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: .milliseconds(200)) } catch { return }
                let closed = registry.shedIdle()
                if closed > 0 {
                    logger.notice("closed idle connections under pressure", metadata: ["closed": "\(closed)", "open": "\(registry.openCount)"])
                }
            }
        }
    }
}
