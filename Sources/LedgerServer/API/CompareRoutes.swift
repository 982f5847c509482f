import Hummingbird
import LedgerCore
import LedgerStorage

/// `GET /v1/compare?platform=&as_of=` (the comparison matrix as JSON) and
/// `GET /v1/platforms/{platform}/history` (a platform's statements by effective date). Both read
/// `ComparisonMatrix` / the platform's entries, so the shared compare logic can replace them.
struct CompareRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/compare") { request, _ in
            let asOf = request.uri.queryParameters.get("as_of")
            if let asOf, CalendarDate(asOf) == nil { throw APIError.badParameter(name: "as_of", reason: "must be a date like 2019-03-14") }
            let platform = try RequestInput.slug(request, "platform")
            let matrix = try ComparisonMatrix.build(reader: backend.reader, asOf: asOf)
            var cells: [JSONValue] = []
            for p in matrix.platforms where platform == nil || p == platform {
                for c in matrix.categories {
                    guard let cell = matrix.cell(p, c) else { continue }
                    cells.append(.object([
                        "platform": .string(p), "category": .string(c), "seq": .integer(cell.entry.seq),
                        "leaf_hash": .string(MerkleHash.leaf(cell.entry.leaf).hex), "signer": .string(cell.entry.signer),
                        "effective_date": .string(cell.statement.effectiveDate.description),
                        "statement": cell.entry.body.flatMap { try? JSONParser.parse($0) } ?? .null,
                    ]))
                }
            }
            return JSONBody.response(.object(["as_of": asOf.map(JSONValue.string) ?? .null, "cells": .array(cells)]))
        }
        // Paged (docs/API.md): `limit` (1-1000, default 100) entries from `after` (a cursor
        // DATE.SEQ, as `next` gives it), oldest effective date first.
        router.get("/v1/platforms/:platform/history") { request, context in
            let platform = context.parameters.get("platform") ?? ""
            guard Slug.isValid(platform) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
            let limit = Int(try RequestInput.integer(request, "limit", in: 1...1000) ?? 100)
            let after = try RequestInput.cursor(request, "after")
            let page = try backend.reader.platformTimeline(platform, after: after, limit: limit, newestFirst: false)
            guard !page.isEmpty || after != nil else { throw APIError.notFound("the ledger has no statement about '\(platform)'") }
            let next: JSONValue = page.count == limit ? page.last.map { .string(TimelineCursor(after: $0).text) } ?? .null : .null
            return JSONBody.response(.object(["platform": .string(platform), "entries": .array(page.map(LedgerJSON.entry)), "next": next]))
        }
    }
}
