import Hummingbird
import LedgerCore
import LedgerStorage

/// `GET /v1/checkpoint` (and the tlog-tiles `/checkpoint`): the latest signed checkpoint with its
/// stored cosignatures; `POST /v1/cosignatures`: a witness hands in its cosignature.
struct CheckpointRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    /// Mutable: caches may keep it a couple of seconds at most.
    static var cacheControl: String { "public, max-age=2" }

    func register(on router: Router<Context>) {
        router.get("/v1/checkpoint") { _, _ in try checkpoint() }
        router.get("/checkpoint") { _, _ in try checkpoint() }
        router.post("/v1/cosignatures") { request, _ in try await cosign(request) }
    }

    private func checkpoint() throws -> Response {
        RawBody.text(try backend.latest.get(backend.store).note, cacheControl: Self.cacheControl)
    }

    /// The body is one of this log's checkpoints with witness cosignature lines (as
    /// `ledger witness cosign` prints it). Trusted witnesses' lines are checked and stored;
    /// a refusal stores nothing.
    private func cosign(_ request: Request) async throws -> Response {
        _ = try backend.appendQueue()
        let note = try await RequestInput.body(request)
        _ = try backend.store.checkCosignatures(note)
        let (stored, ignored) = try backend.store.addCosignatures(note)
        backend.latest.invalidate()
        let (checkpoint, _) = try Checkpoint.open(note, logKey: backend.logKey)
        return JSONBody.response(.object([
            "size": .integer(checkpoint.size),
            "stored": .array(stored.map(JSONValue.string)),
            "ignored": .array(ignored.map(JSONValue.string)),
        ]))
    }
}
