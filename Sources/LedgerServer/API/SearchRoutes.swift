import Hummingbird
import LedgerCore
import LedgerQuery
import LedgerStorage

/// `GET /v1/search?q=&platform=&category=&recipient=&before=` (statements matching, newest
/// first, a page at a time, as `ledger search --json` gives them) and the `/search` page.
struct SearchRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/search") { request, _ in
            // Without `emptyAllowed` the terms are there or `terms` threw.
            guard let terms = try Self.terms(request).terms else { throw APIError.badParameter(name: "q", reason: "is required") }
            let page = try SearchQuery.page(backend.store, terms, before: try RequestInput.integer(request, "before"))
            return JSONBody.response(SearchQuery.json(page))
        }
        router.get("/search") { request, _ in
            let (terms, asked) = try Self.terms(request, emptyAllowed: true)
            let results = try terms.map { try SearchQuery.page(backend.store, $0, before: try RequestInput.integer(request, "before")) }
            return HTMLPage.response(SearchPage.render(asked, results: results, origin: backend.origin))
        }
    }

    /// The search the request asks for; nil (the page's empty form) when it asks nothing and
    /// `emptyAllowed`. An empty form field counts as not given.
    static func terms(_ request: Request, emptyAllowed: Bool = false) throws -> (terms: SearchTerms?, asked: SearchPage.Asked) {
        func given(_ name: String, _ max: Int) throws -> String? {
            try RequestInput.text(request, name, maxLength: max).flatMap { $0.isEmpty ? nil : $0 }
        }
        let q = try given("q", SearchQuery.maxQueryLength)
        let platform = try given("platform", 64), category = try given("category", 64), recipient = try given("recipient", 64)
        let asked = SearchPage.Asked(q: q ?? "", platform: platform ?? "", category: category ?? "", recipient: recipient ?? "")
        if emptyAllowed, q == nil, platform == nil, category == nil, recipient == nil { return (nil, asked) }
        return (try SearchQuery.terms(q: q, platform: platform, category: category, recipient: recipient), asked)
    }
}
