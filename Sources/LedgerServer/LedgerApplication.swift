import Hummingbird
import Logging
import ServiceLifecycle

/// The router of the whole service: one route group per file, one middleware for errors and metrics.
public func buildRouter(backend: LedgerBackend) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ServiceMiddleware(metrics: backend.metrics))
    EntryRoutes(backend: backend).register(on: router)
    ProofRoutes(backend: backend).register(on: router)
    CheckpointRoutes(backend: backend).register(on: router)
    DirectoryRoutes(backend: backend).register(on: router)
    CompareRoutes(backend: backend).register(on: router)
    HealthRoutes(backend: backend).register(on: router)
    TileRoutes(backend: backend).register(on: router)
    ReplicationRoutes(backend: backend).register(on: router)
    PageRoutes(backend: backend).register(on: router)
    return router
}

/// The application: the router on HTTP/1.1 at `host:port` (port 0: any free port), with the
/// group-commit queue as a service so that a graceful shutdown (SIGTERM, SIGINT) first lets the
/// server finish its in-flight requests, then commits whatever is still queued.
/// `onRunning` receives the port actually bound.
public func buildApplication(backend: LedgerBackend, host: String, port: Int, logger: Logger,
                             idleTimeout: Duration = .seconds(60),
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let (seconds, _) = idleTimeout.components
    return Application(
        router: buildRouter(backend: backend),
        server: .http1(configuration: .init(idleTimeout: .seconds(seconds))),
        configuration: .init(address: .hostname(host, port: port), serverName: "disclosure-ledger"),
        services: backend.appends.map { [AppendQueueService(queue: $0)] } ?? [],
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

/// Builds the application and runs it until SIGTERM or SIGINT, then shuts down gracefully.
public func runServer(backend: LedgerBackend, host: String, port: Int, logger: Logger,
                      onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    let app = buildApplication(backend: backend, host: host, port: port, logger: logger, onRunning: onRunning)
    try await app.runService()
}
