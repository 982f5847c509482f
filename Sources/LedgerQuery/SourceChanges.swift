import LedgerCompare
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerText

/// Which claims quote a page whose wording has changed since: the claim's `source.sha256` names
/// an archived page, and a newer archived version of the same address no longer holds the
/// quote. One `documents` read per platform; a newer version's body is read (and its text
/// searched) once per version, only for claims that cite an older one.
enum SourceChanges {
    static func find(_ claims: [Claim], store: LedgerStore) throws -> [Int64: SourceChange] {
        var out: [Int64: SourceChange] = [:]
        let byPlatform = Dictionary(grouping: claims.filter { $0.statement != nil }, by: \.platform)
        var texts: [Int64: String] = [:]
        for (platform, claims) in byPlatform {
            let pages = try allPages(platform, store: store)
            guard !pages.isEmpty else { continue }
            var byDigest: [Digest: DocumentRow] = [:], latestByURL: [String: DocumentRow] = [:]
            for p in pages {
                byDigest[p.contentSHA256] = p
                if let l = latestByURL[p.url], (l.retrievedAt, l.seq) > (p.retrievedAt, p.seq) { continue }
                latestByURL[p.url] = p
            }
            for claim in claims {
                guard let statement = claim.statement, let cited = byDigest[statement.source.sha256],
                      let latest = latestByURL[cited.url], latest.seq != cited.seq, latest.contentSHA256 != cited.contentSHA256 else { continue }
                if texts[latest.seq] == nil { texts[latest.seq] = try store.archivedPage(contentSHA256: latest.contentSHA256)?.document.text ?? "" }
                // A withheld newer version has no text to hold the quote against.
                guard let text = texts[latest.seq], !text.isEmpty else { continue }
                if case .notFound = QuoteCheck.check(statement.quote, in: text) {
                    out[claim.seq] = SourceChange(citedSeq: cited.seq, latestSeq: latest.seq, since: latest.retrievedAt)
                }
            }
        }
        return out
    }

    /// Every archived page of `platform`, a page of rows at a time.
    private static func allPages(_ platform: String, store: LedgerStore) throws -> [DocumentRow] {
        var all: [DocumentRow] = []
        var from: Int64 = 0
        while true {
            let page = try store.archivedPages(platform: platform, from: from, limit: 1000)
            all += page
            guard page.count == 1000, let last = page.last else { return all }
            from = last.seq + 1
        }
    }
}
