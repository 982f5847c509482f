import Foundation
import Hummingbird
import LedgerCore
import LedgerStorage

/// The web pages (`/`, `/compare`, `/platforms/{p}`, `/entries/{seq}`) and the Atom feeds.
struct PageRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/") { _, _ in
            let reader = backend.reader
            let html = IndexPage.render(platforms: try reader.platformSummaries(), matrix: try ComparisonMatrix.build(reader: reader, asOf: nil),
                                        checkpoint: try reader.latestCosignedCheckpoint(), origin: backend.origin)
            return HTMLPage.response(html)
        }
        router.get("/compare") { request, _ in
            let asOf = request.uri.queryParameters.get("as_of").flatMap { $0.isEmpty ? nil : $0 }
            if let asOf, CalendarDate(asOf) == nil { throw APIError.badParameter(name: "as_of", reason: "must be a date like 2019-03-14") }
            return HTMLPage.response(ComparePage.page(try ComparisonMatrix.build(reader: backend.reader, asOf: asOf), origin: backend.origin))
        }
        router.get("/platforms/:platform") { _, context in
            let platform = try platformParameter(context.parameters.get("platform") ?? "")
            let entries = try entriesOf(platform)
            return HTMLPage.response(PlatformPage.render(platform: platform, entries: entries, origin: backend.origin))
        }
        router.get("/entries/:seq") { request, context in
            let reader = backend.reader
            let entry = try reader.cachedEntry(seq: try RequestInput.seq(context))
            let (proof, root, _, note) = try reader.inclusionProof(index: entry.seq, size: nil, cache: backend.hashCache)
            let checkpoint = try note ?? reader.latestCosignedCheckpoint()
            let signerKey = try? reader.keyHistory(before: entry.seq).key(for: entry.signer, kind: .statement)
            return HTMLPage.response(EntryPage.render(.init(entry: entry, signerKey: signerKey, proof: proof, root: root,
                                                            checkpoint: checkpoint, base: Self.base(request), origin: backend.origin)))
        }
        router.get("/feeds/:file") { request, context in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".atom") else { throw APIError.notFound("feeds are at /feeds/PLATFORM.atom") }
            let platform = try platformParameter(String(file.dropLast(5)))
            let xml = AtomFeed.render(platform: platform, entries: try entriesOf(platform), base: Self.base(request), origin: backend.origin)
            return RawBody.text(xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
        }
    }

    private func platformParameter(_ text: String) throws -> String {
        guard Slug.isValid(text) else { throw APIError.badParameter(name: "platform", reason: "must be a platform slug such as 'telegram'") }
        return text
    }

    private func entriesOf(_ platform: String) throws -> [StoredEntry] {
        var entries: [StoredEntry] = []
        try backend.reader.forEachEntry(platform: platform) { entries.append($0) }
        guard !entries.isEmpty else { throw APIError.notFound("the ledger has no statement about '\(platform)'; see / for the platforms") }
        return entries
    }

    /// `http://HOST` as the client addressed us, for absolute links in feeds and commands.
    static func base(_ request: Request) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        let safe = !host.isEmpty && host.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || ".:-[]".unicodeScalars.contains($0)) }
        return "http://" + (safe ? host : "127.0.0.1")
    }
}
