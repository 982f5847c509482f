import Hummingbird
import LedgerCore
import LedgerStorage

/// What mirrors fetch besides tiles: `GET /v1/bodies` (the statement bodies of a range of
/// entries, which entry bundles do not carry) and `GET /v1/checkpoints` (the checkpoints the log
/// signed along the way, so a mirror commits at the same sizes). See docs/FORMAT.md §24.
struct ReplicationRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    static var maxBodies: Int64 { 4096 }

    func register(on router: Router<Context>) {
        router.get("/v1/bodies") { request, _ in try bodies(request) }
        router.get("/v1/checkpoints") { request, _ in try checkpoints(request) }
    }

    /// `from`, `count` (1–4096, default 256): one line per entry, the canonical body, or an empty
    /// line for a withheld body. Canonical JSON never holds a raw newline, so lines cannot mix.
    private func bodies(_ request: Request) throws -> Response {
        let from = try RequestInput.requiredInteger(request, "from")
        let count = try RequestInput.integer(request, "count", in: 1...Self.maxBodies) ?? 256
        let covered = try backend.store.latestCheckpointSize()
        guard from <= covered - count else {  // (from + count could overflow)
            throw APIError.badRange("\(count) entries from \(from) are not all covered by the latest checkpoint (size \(covered))")
        }
        var out: [UInt8] = []
        for body in try backend.store.bodies(from: from, count: Int(count)) {
            if let body { out += body }
            out.append(0x0A)
        }
        return RawBody.response(out, contentType: "application/x-ndjson")
    }

    /// `from`, `to` (default: the latest size), `limit` (1–1000, default 100), `order` (`asc` or
    /// `desc`): stored checkpoints with `from ≤ size ≤ to`, each signed by the log key.
    private func checkpoints(_ request: Request) throws -> Response {
        let from = try RequestInput.integer(request, "from") ?? 0
        let to = try RequestInput.integer(request, "to") ?? backend.store.latestCheckpointSize()
        guard from <= to else { throw APIError.badRange("from (\(from)) must not be greater than to (\(to))") }
        let limit = Int(try RequestInput.integer(request, "limit", in: 1...1000) ?? 100)
        let order = request.uri.queryParameters.get("order") ?? "asc"
        guard order == "asc" || order == "desc" else { throw APIError.badParameter(name: "order", reason: "must be asc or desc") }
        let rows = try backend.store.checkpoints(from: from, to: to, limit: limit, descending: order == "desc")
        return JSONBody.response(.object(["checkpoints": .array(rows.map { .object(["size": .integer($0.size), "note": .string($0.note)]) })]))
    }
}
