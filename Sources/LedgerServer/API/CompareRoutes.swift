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
            if let recipient = try RequestInput.text(request, "recipient") {
                // `ledger compare --recipient R --format json`: who gives data to R, and how much.
                let view = try RecipientQuery.run(backend.store, recipient: recipient, measure: try RequestInput.text(request, "measure"),
                                                  period: try RequestInput.text(request, "period"), platforms: platforms, asOf: asOf)
                return RawBody.text(view.render(.json), contentType: "application/json", cacheControl: "no-cache")
            }
            let comparison = try ComparisonQuery.run(backend.store, platforms: platforms, categories: categories, asOf: asOf)
            return RawBody.text(comparison.render(.json), contentType: "application/json", cacheControl: "no-cache")
        }
        // The same answer as `ledger history PLATFORM [--category C] [--since D] [--limit N]
        // [--after C | --before C | --latest] --format json`, refused past
        // `LedgerBackend.historyLimit` statements (docs/API.md).
        router.get("/v1/platforms/:platform/history") { request, context in
            let platform = context.parameters.get("platform") ?? ""
            guard Slug.isValid(platform) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
            let category = try RequestInput.category(request).flatMap(Category.init(rawValue:))
            let limit = try RequestInput.integer(request, "limit", in: 1...Int64(LedgerBackend.maxHistoryPage)).map { Int($0) }
            guard let window = HistoryWindow.paging(limit: limit, after: try RequestInput.cursor(request, "after"),
                                                    before: try RequestInput.cursor(request, "before"),
                                                    latest: request.uri.queryParameters.get("latest") != nil) else {
                throw APIError.badParameter(name: "after", reason: "after pages forward and before (or latest) back: give one of them")
            }
            let history = try HistoryQuery.run(backend.store, platform: platform, category: category,
                                               since: try RequestInput.date(request, "since"), window: window, maxClaims: backend.historyLimit)
            return RawBody.text(history.render(.json), contentType: "application/json", cacheControl: "no-cache")
        }
    }
}
