import Hummingbird
import LedgerCore
import LedgerStorage

/// `GET /healthz` (the ledger answers a read) and `GET /metrics` (Prometheus text).
struct HealthRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/healthz") { _, _ in
            let size = try backend.store.size()
            return JSONBody.response(.object(["status": .string("ok"), "origin": .string(backend.origin), "size": .integer(size)]))
        }
        router.get("/metrics") { _, _ in
            let size = try backend.store.size()
            return RawBody.text(backend.metrics.render(entries: size), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}
