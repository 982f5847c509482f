import Foundation
import Hummingbird
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

/// The web pages (`/`, `/compare`, `/platforms/{p}` and its year pages, `/entries/{seq}`) and the Atom feeds.
struct PageRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    /// The pages as this service shows them: feeds' links at its public URL.
    var pages: SitePages {
        SitePages(store: backend.store, origin: backend.origin, base: backend.publicURL.base, historyLimit: backend.historyLimit,
                  hashCache: backend.hashCache)
    }

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in
            HTMLPage.response(try pages.index(try pages.comparison(asOf: Timestamp.now().date)))
        }
        router.get("/compare") { request, _ in
            let asOf = try RequestInput.date(request, "as_of") ?? Timestamp.now().date
            if let recipient = try RequestInput.text(request, "recipient") {
                return HTMLPage.response(try pages.recipient(recipient, measure: try RequestInput.text(request, "measure"),
                                                             period: try RequestInput.text(request, "period"), asOf: asOf))
            }
            return HTMLPage.response(pages.compare(try pages.comparison(asOf: asOf)))
        }
        router.get("/platforms/:platform") { request, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            guard let html = try pages.platform(platform, before: try RequestInput.cursor(request, "before")) else {
                throw APIError.notFound("the ledger has no statement about '\(platform)'; see / for the platforms")
            }
            return HTMLPage.response(html)
        }
        router.get("/platforms/:platform/history/:year") { request, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            let text = context.parameters.get("year") ?? ""
            guard let year = PlatformPage.year(in: text) else {
                throw APIError.badParameter(name: "year", reason: "must be a year of four digits such as 2021, found '\(text.prefix(40))'")
            }
            let part = try RequestInput.integer(request, "part", in: 1...100_000) ?? 1
            guard let html = try pages.year(platform, year, part: Int(part)) else {
                throw APIError.notFound("no statement about '\(platform)' published in \(year)\(part > 1 ? " (part \(part))" : ""); see /platforms/\(platform)")
            }
            return HTMLPage.response(html)
        }
        router.get("/platforms/:platform/documents") { request, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            return HTMLPage.response(try pages.documents(platform: platform, after: try RequestInput.integer(request, "after")))
        }
        router.get("/documents/diff") { request, _ in
            HTMLPage.response(try pages.documentDiff(from: try RequestInput.requiredInteger(request, "from"),
                                                     to: try RequestInput.requiredInteger(request, "to")))
        }
        router.get("/entries/:seq") { _, context in
            HTMLPage.response(try pages.entry(seq: try RequestInput.seq(context)))
        }
        router.get("/feeds/documents/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw APIError.notFound("document feeds are at /feeds/documents/PLATFORM.atom") }
            let xml = try pages.documentsFeed(platform: try platformParameter(String(file.dropLast(5))))
            return RawBody.text(xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
        }
        router.get("/feeds/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw APIError.notFound("feeds are at /feeds/PLATFORM.atom") }
            let platform = try platformParameter(String(file.dropLast(5)))
            guard let xml = try pages.feed(platform: platform) else {
                throw APIError.notFound("the ledger has no statement about '\(platform)'; see / for the platforms")
            }
            return RawBody.text(xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
        }
    }

    private func platformParameter(_ text: String) throws -> String {
        guard Slug.isValid(text) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
        return text
    }
}
