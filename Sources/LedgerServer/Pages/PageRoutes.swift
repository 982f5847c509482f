import Foundation
import Hummingbird
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

/// The web pages (`/`, `/compare`, `/platforms/{p}`, `/entries/{seq}`) and the Atom feeds.
struct PageRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in
            let store = backend.store
            let comparison = try ComparisonQuery.run(store, platforms: [], categories: [], asOf: Timestamp.now().date)
            let html = IndexPage.render(platforms: try store.platformSummaries(), comparison: comparison,
                                        answers: try store.links(limit: IndexPage.latestAnswers),
                                        checkpoint: try store.latestCosignedCheckpoint(), origin: backend.origin)
            return HTMLPage.response(html)
        }
        router.get("/compare") { request, _ in
            let asOf = try RequestInput.date(request, "as_of") ?? Timestamp.now().date
            if let recipient = try RequestInput.text(request, "recipient") {
                let view = try RecipientQuery.run(backend.store, recipient: recipient, measure: try RequestInput.text(request, "measure"),
                                                  period: try RequestInput.text(request, "period"), platforms: [], asOf: asOf)
                return HTMLPage.response(ComparePage.recipientPage(view, origin: backend.origin))
            }
            let comparison = try ComparisonQuery.run(backend.store, platforms: [], categories: [], asOf: asOf)
            return HTMLPage.response(ComparePage.page(comparison, origin: backend.origin))
        }
        router.get("/platforms/:platform") { request, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            let before = try RequestInput.cursor(request, "before")
            let store = backend.store
            // The timeline with changes and marks needs the platform's whole history: within the
            // service's history limit it is shown; beyond it, the plain paged list.
            if try store.statementCount(platform: platform) <= backend.historyLimit {
                let history = try HistoryQuery.run(store, platform: platform, category: nil, maxClaims: backend.historyLimit)
                return HTMLPage.response(PlatformPage.timeline(platform: platform, history: history, before: before, origin: backend.origin))
            }
            let page = try store.entries(matching: EntryQuery(platform: platform, limit: PlatformPage.pageSize, order: .latestEffectiveFirst(before: before)))
            guard !page.isEmpty || before != nil else { throw APIError.notFound("the ledger has no statement about '\(platform)'; see / for the platforms") }
            return HTMLPage.response(PlatformPage.render(platform: platform, page: page, total: try store.statementCount(platform: platform),
                                                         origin: backend.origin))
        }
        router.get("/platforms/:platform/documents") { request, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            let rows = try DocumentQuery.versions(backend.store, platform: platform, after: try RequestInput.integer(request, "after"))
            let next = rows.count == DocumentQuery.pageSize ? rows.last?.seq : nil
            return HTMLPage.response(DocumentPages.list(platform: platform, rows: rows, next: next, origin: backend.origin))
        }
        router.get("/documents/diff") { request, _ in
            let from = try RequestInput.requiredInteger(request, "from"), to = try RequestInput.requiredInteger(request, "to")
            let (a, b, diff) = try DocumentQuery.diff(backend.store, old: from, new: to)
            return HTMLPage.response(DocumentPages.diff(old: (from, a), new: (to, b), diff: diff, origin: backend.origin))
        }
        router.get("/entries/:seq") { request, context in
            let store = backend.store
            let entry = try store.entry(seq: try RequestInput.seq(context))
            let (proof, root, _, note) = try store.inclusionProof(seq: entry.seq, size: nil, cache: backend.hashCache)
            let checkpoint = try note ?? store.latestCosignedCheckpoint()
            let signerKey = try? store.keyHistory(before: entry.seq).key(for: entry.signer, kind: .statement)
            var input = EntryPage.Input(entry: entry, signerKey: signerKey, proof: proof, root: root, checkpoint: checkpoint,
                                        base: backend.publicURL.base, origin: backend.origin)
            if let s = entry.parsedStatement {
                input.archivedSource = try store.archivedPageRows(contentSHA256s: [s.source.sha256])[s.source.sha256]?.seq
                input.answers = try store.links(answering: entry.seq, limit: 100)
                // Its marks come from its platform's history (a figure of one category contradicts a claim of another), within the same limit as the platform page.
                if try store.statementCount(platform: s.platform) <= backend.historyLimit {
                    let history = try HistoryQuery.run(store, platform: s.platform, category: nil, maxClaims: backend.historyLimit)
                    input.marks = history.events.first { $0.claim.seq == entry.seq }?.marks ?? []
                }
            }
            return HTMLPage.response(EntryPage.render(input))
        }
        router.get("/feeds/documents/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw APIError.notFound("document feeds are at /feeds/documents/PLATFORM.atom") }
            let platform = try platformParameter(String(file.dropLast(5)))
            let rows = try DocumentQuery.newest(backend.store, platform: platform, count: AtomFeed.maxEntries)
            let xml = AtomFeed.documents(platform: platform, rows: rows, base: backend.publicURL.base, origin: backend.origin)
            return RawBody.text(xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
        }
        router.get("/feeds/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw APIError.notFound("feeds are at /feeds/PLATFORM.atom") }
            let platform = try platformParameter(String(file.dropLast(5)))
            let newest = try backend.store.entries(matching: EntryQuery(platform: platform, limit: AtomFeed.maxEntries, order: .newestFirst))
            guard !newest.isEmpty else { throw APIError.notFound("the ledger has no statement about '\(platform)'; see / for the platforms") }
            let changes = try DocumentQuery.wordingChanges(backend.store, entries: newest)
            let xml = AtomFeed.render(platform: platform, entries: newest, changes: changes, base: backend.publicURL.base, origin: backend.origin)
            return RawBody.text(xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
        }
    }

    private func platformParameter(_ text: String) throws -> String {
        guard Slug.isValid(text) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
        return text
    }


}
