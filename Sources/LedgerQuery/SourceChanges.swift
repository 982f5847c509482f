import LedgerCompare
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerText

/// Which claims quote a page whose wording has changed since: the claim's `source.sha256` names
/// an archived page, and the newest archived version of the same address no longer holds the
/// quote. Only a fetched page counts as a newer version (`latestArchivedPageRow`): an editor's
/// transcription of a copy may hold only part of the page. One read for all the claims' sources; then one index seek per cited address, and the
/// newer version's body read (and its text searched) once per version.
enum SourceChanges {
    static func find(_ claims: [Claim], store: LedgerStore) throws -> [Int64: SourceChange] {
        let statements = claims.compactMap { c in c.statement.map { (seq: c.seq, statement: $0) } }
        let cited = try store.archivedPageRows(contentSHA256s: statements.map(\.statement.source.sha256))
        guard !cited.isEmpty else { return [:] }
        var out: [Int64: SourceChange] = [:]
        var latestByURL: [String: DocumentRow?] = [:]
        var texts: [Int64: String?] = [:]
        for (seq, statement) in statements {
            guard let page = cited[statement.source.sha256] else { continue }
            let key = page.platform + " " + page.url
            if latestByURL[key] == nil { latestByURL[key] = .some(try store.latestArchivedPageRow(platform: page.platform, url: page.url)) }
            guard let latest = latestByURL[key] ?? nil, latest.seq != page.seq, latest.contentSHA256 != page.contentSHA256 else { continue }
            if texts[latest.seq] == nil { texts[latest.seq] = .some(try store.archivedPage(seq: latest.seq)?.text) }
            // A withheld newer version has no text to hold the quote against.
            guard let text = texts[latest.seq] ?? nil else { continue }
            if case .notFound = QuoteCheck.check(statement.quote, in: text) {
                out[seq] = SourceChange(citedSeq: page.seq, latestSeq: latest.seq, since: latest.retrievedAt)
            }
        }
        return out
    }
}
