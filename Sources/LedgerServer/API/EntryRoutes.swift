import Hummingbird
import LedgerCore
import LedgerQuery
import LedgerCrypto
import LedgerStorage

/// `POST /v1/entries`, `POST /v1/entries/batch`, `GET /v1/entries`, `GET /v1/entries/{seq}` (+ `/leaf`, `/body`).
struct EntryRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.post("/v1/entries") { request, _ in try await append(request) }
        router.post("/v1/entries/batch") { request, _ in try await appendBatch(request) }
        router.get("/v1/entries") { request, _ in try list(request) }
        router.get("/v1/entries/:seq") { _, context in
            JSONBody.response(EntryJSON.entry(try backend.store.entry(seq: try RequestInput.seq(context))))
        }
        router.get("/v1/entries/:seq/leaf") { _, context in
            RawBody.response(try backend.store.entry(seq: try RequestInput.seq(context)).leaf, contentType: "application/json")
        }
        router.get("/v1/entries/:seq/body") { _, context in
            let seq = try RequestInput.seq(context)
            guard let body = try backend.store.entry(seq: seq).body else {
                throw APIError.notFound("the body of seq \(seq) is withheld by a signed notice; its digest, signature and proofs remain")
            }
            return RawBody.response(body, contentType: "application/json")
        }
    }

    /// Checks the submission, waits for its group commit, answers 201 with the receipt.
    private func append(_ request: Request) async throws -> Response {
        try await countingRejections {
            let queue = try backend.appendQueue()
            let bytes = try await RequestInput.body(request, abandoned: { queue.isClosed })
            let pending = try EntrySubmission.check(bytes, backend: backend)
            let outcome = try await queue.submit(pending)
            return created(outcome)
        }
    }

    /// Checks every line of a JSON Lines batch, waits for the one transaction holding all of them,
    /// answers 201 with each entry's seq and leaf hash and the checkpoint that commits to them
    /// (receipts: `GET /v1/receipt/{seq}`).
    private func appendBatch(_ request: Request) async throws -> Response {
        try await countingRejections {
            let queue = try backend.appendQueue()
            let bytes = try await RequestInput.body(request, limit: SubmissionLimits.maxBatchBodyBytes, abandoned: { queue.isClosed })
            let pending = try BatchSubmission.check(bytes, backend: backend)
            let outcome = try await queue.submit(pending)
            var members: [String: JSONValue] = [
                "tree_size": .integer(outcome.treeSize),
                "entries": .array(outcome.appended.map { .object(["seq": .integer($0.seq), "leaf_hash": .string($0.leafHash.hex)]) }),
            ]
            // Committed: the answer is 201 even if the checkpoint cannot be read back.
            let note = try? backend.store.checkpoints(from: outcome.treeSize, to: outcome.treeSize, limit: 1).first?.note
            members["checkpoint"] = note.map { .string($0) } ?? .null
            let first = outcome.appended.first?.seq ?? 0, last = outcome.appended.last?.seq ?? 0
            return JSONBody.response(.object(members), status: .created, headers: [.location: "/v1/entries?from=\(first)&to=\(last)"])
        }
    }

    /// Runs an append, counting a refusal by its code for /metrics.
    private func countingRejections(_ append: () async throws -> Response) async throws -> Response {
        do { return try await append() } catch {
            backend.metrics.recordRejection(APIError.from(error).code)
            throw error
        }
    }

    /// The entry is committed: the answer is 201 even if building the receipt fails.
    private func created(_ outcome: AppendOutcome) -> Response {
        let seq = outcome.appended.seq
        var members: [String: JSONValue] = ["seq": .integer(seq), "leaf_hash": .string(outcome.appended.leafHash.hex)]
        do {
            let receipts = try backend.store.receipts(seqs: [seq], checkpointSize: outcome.treeSize, withBody: false, cache: backend.hashCache)
            members["receipt"] = receipts.first?.json ?? .null
        } catch {
            members["receipt"] = .null
            members["receipt_error"] = .string("committed, but the receipt could not be read: \(error); fetch /v1/receipt/\(seq)")
        }
        return JSONBody.response(.object(members), status: .created, headers: [.location: "/v1/entries/\(seq)"])
    }

    /// A page of entries with `from ≤ seq ≤ to` and the filters given, `limit` at most.
    private func list(_ request: Request) throws -> Response {
        let store = backend.store
        let size = try store.size()
        let from = try RequestInput.integer(request, "from") ?? 0
        let to = try RequestInput.integer(request, "to") ?? max(size - 1, 0)
        guard from <= to else { throw APIError.badRange("from (\(from)) must not be greater than to (\(to))") }
        let limit = Int(try RequestInput.integer(request, "limit", in: 1...1000) ?? 100)
        let kind = request.uri.queryParameters.get("kind")
        if let kind, EntryKind(rawValue: kind) == nil {
            throw APIError.badParameter(name: "kind", reason: "must be one of \(EntryKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let query = EntryQuery(from: from, to: to, platform: try RequestInput.slug(request, "platform"),
                               category: try RequestInput.category(request), signer: try RequestInput.slug(request, "signer"),
                               kind: kind, bodySHA256: try RequestInput.digest(request, "statement"), limit: limit)
        let entries = try store.entries(matching: query)
        let next: JSONValue = entries.count == limit && entries.last.map({ $0.seq < to }) == true ? .integer(entries[entries.count - 1].seq + 1) : .null
        return JSONBody.response(.object(["size": .integer(size), "entries": .array(entries.map(EntryJSON.entry)), "next": next]))
    }
}
