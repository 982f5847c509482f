import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `GET /v1/proof/inclusion?seq=&size=`, `GET /v1/proof/consistency?from=&to=` and `GET /v1/receipt/{seq}`.
struct ProofRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/proof/inclusion") { request, _ in try inclusion(request) }
        router.get("/v1/proof/consistency") { request, _ in try consistency(request) }
        router.get("/v1/receipt/:seq") { request, context in try receipt(request, context: context) }
    }

    /// Proof of entry `seq` in the tree of `size` leaves (default: the latest checkpoint's size),
    /// as `ledger prove inclusion` prints it.
    private func inclusion(_ request: Request) throws -> Response {
        let seq = try RequestInput.requiredInteger(request, "seq")
        let size = try RequestInput.integer(request, "size", in: 1...Int64.max)
        let (proof, leafHash, root) = try proveInclusion(seq: seq, size: size)
        return JSONBody.response(canonical: LedgerJSON.inclusion(proof, origin: backend.origin, leafHash: leafHash, root: root))
    }

    /// `GET /v1/receipt/{seq}`: leaf, body (if not withheld), the latest signed checkpoint and the
    /// inclusion proof in its tree, as `ledger receipt` prints it.
    private func receipt(_ request: Request, context: Context) throws -> Response {
        guard let seq = context.parameters.get("seq", as: Int64.self), seq >= 0 else { throw APIError.badRange("seq must be an integer ≥ 0") }
        return JSONBody.response(try backend.store.receipt(seq: seq, checkpoint: nil, cache: backend.hashCache).json)
    }

    private func proveInclusion(seq: Int64, size: Int64?) throws -> (InclusionProof, Digest, Digest) {
        let store = backend.store
        if let size, seq >= size { throw APIError.badRange("seq \(seq) is not in a tree of size \(size); need 0 ≤ seq < size") }
        // The common case (the latest checkpoint, hashes already read once) needs no database read.
        let latest = try backend.latest.get(store)
        if size == nil || size == latest.size, seq < latest.size,
           let (proof, leafHash) = CachedProofs.inclusion(index: seq, size: latest.size, cache: backend.hashCache) {
            return (proof, leafHash, latest.root)
        }
        guard seq < size ?? latest.size else {
            throw APIError.badRange("seq \(seq) is not in the tree of size \(size ?? latest.size); need 0 ≤ seq < size")
        }
        let (proof, root, leafHash, _) = try store.inclusionProof(seq: seq, size: size ?? latest.size, cache: backend.hashCache)
        return (proof, leafHash, root)
    }

    /// Proof that the tree of `to` leaves extends the tree of `from` leaves (default `to`: latest).
    private func consistency(_ request: Request) throws -> Response {
        let store = backend.store
        let from = try RequestInput.requiredInteger(request, "from", in: 1...Int64.max)
        let to: Int64
        if let given = try RequestInput.integer(request, "to", in: 1...Int64.max) {
            to = given
        } else {
            to = try store.latestCheckpointSize()
        }
        guard from <= to else { throw APIError.badRange("from (\(from)) must not be greater than to (\(to)); need 0 < from ≤ to") }
        let document = try store.consistencyDocument(oldSize: from, newSize: to, cache: backend.hashCache)
        return JSONBody.response(LedgerJSON.consistency(document.proof, origin: backend.origin, oldRoot: document.oldRoot, newRoot: document.newRoot))
    }
}
