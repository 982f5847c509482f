import Hummingbird
import LedgerCore
import LedgerQuery
import LedgerStorage
import LedgerText

/// `GET /v1/platforms/{p}/documents` and `GET /v1/documents/diff`: archived pages, as `ledger
/// source list` and `ledger source diff` give them.
struct DocumentRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/platforms/:platform/documents") { request, context in
            let platform = context.parameters.get("platform") ?? ""
            guard Slug.isValid(platform) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
            let rows = try DocumentQuery.versions(backend.store, platform: platform, after: try RequestInput.integer(request, "after"))
            let next: JSONValue = rows.count == DocumentQuery.pageSize ? rows.last.map { .integer($0.seq) } ?? .null : .null
            return JSONBody.response(.object(["platform": .string(platform), "documents": .array(rows.map(Self.json)), "next": next]))
        }
        router.get("/v1/documents/diff") { request, _ in
            let from = try RequestInput.requiredInteger(request, "from"), to = try RequestInput.requiredInteger(request, "to")
            let (_, _, diff) = try DocumentQuery.diff(backend.store, old: from, new: to)
            let (removed, added) = diff.counts
            return JSONBody.response(.object([
                "from": .integer(from), "to": .integer(to), "removed_words": .integer(Int64(removed)), "added_words": .integer(Int64(added)),
                "changes": .array(diff.hunks(context: 8).map(Self.json)),
            ]))
        }
    }

    /// `{"seq", "platform", "document_type", "url", "retrieved_at", "content_sha256", "capture"}` (FORMAT.md §13's row).
    static func json(_ r: DocumentRow) -> JSONValue {
        .object(["seq": .integer(r.seq), "platform": .string(r.platform), "document_type": .string(r.documentType), "url": .string(r.url),
                 "retrieved_at": .string(r.retrievedAt), "content_sha256": .string(r.contentSHA256.hex), "capture": .string(r.capture.rawValue)])
    }

    /// `{"before", "changes": [{"removed": text} | {"added": text}], "after"}`: words joined by
    /// spaces, a paragraph break as ¶.
    static func json(_ h: TextDiff.Hunk) -> JSONValue {
        let changes: [JSONValue] = h.changes.compactMap { piece in
            switch piece {
            case .removed(let w): return .object(["removed": .string(TextDiff.join(w))])
            case .added(let w): return .object(["added": .string(TextDiff.join(w))])
            case .same: return nil
            }
        }
        return .object(["before": .string(TextDiff.join(h.before)), "changes": .array(changes), "after": .string(TextDiff.join(h.after))])
    }
}
