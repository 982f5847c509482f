import Hummingbird
import LedgerCore
import LedgerStorage

/// `GET /v1/proof/inclusion?seq=&size=` and `GET /v1/proof/consistency?from=&to=`.
struct ProofRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/proof/inclusion") { request, _ in try inclusion(request) }
        router.get("/v1/proof/consistency") { request, _ in try consistency(request) }
    }

    /// Proof of entry `seq` in the tree of `size` leaves (default: the latest checkpoint's size),
    /// with the signed checkpoint of that size when one is stored.
    private func inclusion(_ request: Request) throws -> Response {
        let reader = backend.reader
        let seq = try RequestInput.requiredInteger(request, "seq")
        let size = try RequestInput.integer(request, "size", in: 1...Int64.max)
        if let size, seq >= size { throw APIError.badRange("seq \(seq) is not in a tree of size \(size); need 0 ≤ seq < size") }
        // The common case (the latest checkpoint, hashes already read once) needs no database read.
        let latest = try backend.latest.get(reader)
        if size == nil || size == latest.size, seq < latest.size,
           let (proof, leafHash) = CachedProofs.inclusion(index: seq, size: latest.size, cache: backend.hashCache) {
            var members = LedgerJSON.inclusion(proof, leafHash: leafHash, root: latest.root)
            members["checkpoint"] = .string(latest.note)
            return JSONBody.response(.object(members))
        }
        let (proof, root, leafHash, checkpoint) = try reader.inclusionProof(index: seq, size: size ?? latest.size, cache: backend.hashCache)
        var members = LedgerJSON.inclusion(proof, leafHash: leafHash, root: root)
        members["checkpoint"] = checkpoint.map(JSONValue.string) ?? .null
        return JSONBody.response(.object(members))
    }

    /// Proof that the tree of `to` leaves extends the tree of `from` leaves (default `to`: latest).
    private func consistency(_ request: Request) throws -> Response {
        let reader = backend.reader
        let from = try RequestInput.requiredInteger(request, "from", in: 1...Int64.max)
        let to: Int64
        if let given = try RequestInput.integer(request, "to", in: 1...Int64.max) {
            to = given
        } else {
            to = try reader.latestCheckpointSize()
        }
        guard from <= to else { throw APIError.badRange("from (\(from)) must not be greater than to (\(to)); need 0 < from ≤ to") }
        let (proof, oldRoot, newRoot) = try reader.consistencyProof(oldSize: from, newSize: to, cache: backend.hashCache)
        return JSONBody.response(LedgerJSON.consistency(proof, oldRoot: oldRoot, newRoot: newRoot))
    }
}
