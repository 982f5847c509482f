import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// The router of the whole service: one route group per file, one middleware for errors and
/// metrics, HEAD answered wherever GET is.
public func buildRouter(backend: LedgerBackend) -> Router<BasicRequestContext> {
    // Middleware is bound to a route when the route is added, so the table of routes the
    // middleware needs for 405 comes from a first, throw-away registration.
    let probe = Router(context: BasicRequestContext.self)
    registerRoutes(on: probe, backend: backend)
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ServiceMiddleware(metrics: backend.metrics, routes: RouteTable(probe.routes), appends: backend.appends != nil))
    registerRoutes(on: router, backend: backend)
    return router
}

private func registerRoutes(on router: Router<BasicRequestContext>, backend: LedgerBackend) {
    EntryRoutes(backend: backend).register(on: router)
    ProofRoutes(backend: backend).register(on: router)
    CheckpointRoutes(backend: backend).register(on: router)
    DirectoryRoutes(backend: backend).register(on: router)
    CompareRoutes(backend: backend).register(on: router)
    DocumentRoutes(backend: backend).register(on: router)
    SearchRoutes(backend: backend).register(on: router)
    HealthRoutes(backend: backend).register(on: router)
    TileRoutes(backend: backend).register(on: router)
    ReplicationRoutes(backend: backend).register(on: router)
    PageRoutes(backend: backend).register(on: router)
}

/// The application: the router on HTTP/1.1 at `host:port` (port 0: any free port), with the
/// group-commit queue as a service (unless `withAppendQueue` is false: `runServer` runs it
/// beside the application instead) so that a graceful shutdown commits whatever is queued.
/// `onRunning` receives the port actually bound.
public func buildApplication(backend: LedgerBackend, host: String, port: Int, logger: Logger,
                             idleTimeout: Duration = .seconds(60), withAppendQueue: Bool = true,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let (seconds, _) = idleTimeout.components
    let registry = backend.connections
    let services: [any Service] = [ConnectionShedder(registry: registry, logger: logger)]
        + (withAppendQueue ? backend.appends.map { [AppendQueueService(queue: $0)] } ?? [] : [])
    return Application(
        router: buildRouter(backend: backend),
        server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionTracker(registry: registry)], idleTimeout: .seconds(seconds))),
        configuration: .init(address: .hostname(host, port: port), serverName: "disclosure-ledger",
                             backlog: 1024, availableConnectionsDelegate: MaximumAvailableConnections(registry.limits.maxConnections)),
        services: services,
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Runs the append queue's lifetime: on graceful shutdown it stops taking entries and commits
/// every queued one before returning, so no accepted append is lost.
struct AppendQueueService: Service {
    let queue: AppendQueue

    func run() async throws {
        try? await gracefulShutdown()
        queue.close()
        await queue.drained()
    }
}

/// Builds the application and runs it until SIGTERM or SIGINT, then shuts down gracefully: the
/// append queue first, then the server. ServiceLifecycle stops services in reverse order, and
/// inside an `Application` the server comes last, so a queue among its services was told to stop
/// only after the server had finished every request in flight; a stopping server no longer
/// delivers a body still arriving, and such an append then held the shutdown for the 10 s body
/// timeout and got 408. Stopped first, the queue commits and answers what is queued while the
/// server still runs, and every other append in flight gets 503 `shutting_down` within 100 ms.
public func runServer(backend: LedgerBackend, host: String, port: Int, logger: Logger,
                      onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let app = buildApplication(backend: backend, host: host, port: port, logger: logger, withAppendQueue: false, onRunning: onRunning)
    let services: [any Service] = [app] + (backend.appends.map { [AppendQueueService(queue: $0)] } ?? [])
    try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
}
