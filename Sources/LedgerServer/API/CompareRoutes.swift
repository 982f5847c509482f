import Hummingbird
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

/// `GET /v1/compare?as_of=&platform=&category=` (the comparison, from LedgerQuery, as `ledger
/// compare` gives it) and `GET /v1/platforms/{platform}/history` (a platform's entries by
/// effective date, paged).
struct CompareRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        // The same answer as `ledger compare --format json` for the same ledger, date and filters.
        router.get("/v1/compare") { request, _ in
            let asOf = try RequestInput.date(request, "as_of") ?? Timestamp.now().date
            let platforms = try RequestInput.slug(request, "platform").map { [$0] } ?? []
            let categories = try RequestInput.category(request).flatMap(Category.init(rawValue:)).map { [$0] } ?? []
            let comparison = try ComparisonQuery.run(backend.reader, platforms: platforms, categories: categories, asOf: asOf)
            return RawBody.text(comparison.render(.json), contentType: "application/json", cacheControl: "no-cache")
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
