import LedgerCompare
import LedgerCore
import LedgerStorage

/// `/feeds/{platform}.atom`: an Atom 1.0 feed (RFC 4287) of a platform's statements, newest
/// appended first, so a feed reader shows each new claim.
enum AtomFeed {
    static let maxEntries = 100

    /// `entries`: the platform's newest, highest seq first (at most `maxEntries` are shown).
    /// `changes`: the statements whose quoted page changed its wording since (their summary says so).
    static func render(platform: String, entries: [StoredEntry], changes: [Int64: SourceChange] = [:], base: String, origin: String) -> String {
        let newest = entries.prefix(maxEntries)
        let updated = newest.first?.time ?? "1970-01-01T00:00:00.000Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(HTML.escape(platform)): statements in the Disclosure Ledger (\(HTML.escape(origin)))</title>
              <id>\(HTML.escape(base))/feeds/\(HTML.escape(platform)).atom</id>
              <link rel="self" href="\(HTML.escape(base))/feeds/\(HTML.escape(platform)).atom"/>
              <link rel="alternate" type="text/html" href="\(HTML.escape(HTML.siteURL(base, "/platforms/\(platform)")))"/>
              <updated>\(updated)</updated>
              <author><name>\(HTML.escape(origin))</name></author>

            """
        for e in newest {
            let s = e.parsedStatement
            let title = s.map { "\($0.category.rawValue), \($0.published): \(HTMLPage.gist($0, limit: 100))" } ?? "seq \(e.seq) (body withheld)"
            var summary = s.map { HTMLPage.gist($0) } ?? "The body of this statement is withheld by a signed notice."
            if let s, !s.figures.isEmpty { summary += " [\(HTMLPage.quantities(s))]" }
            if let change = changes[e.seq] {
                summary += " Wording changed since \(change.since): the page it quotes (seq \(change.citedSeq)) no longer holds the quote in its version of seq \(change.latestSeq)."
            }
            xml += """
                  <entry>
                    <title>\(HTML.escape(title))</title>
                    <id>\(HTML.escape(base))/entries/\(e.seq)</id>
                    <link href="\(HTML.escape(HTML.siteURL(base, "/entries/\(e.seq)")))"/>
                    <updated>\(e.time)</updated>
                    <author><name>\(HTML.escape(e.signer))</name></author>
                    <summary>\(HTML.escape(summary))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// `/feeds/documents/{platform}.atom`: the platform's archived pages, newest first; each new
    /// version links to what changed since the version before it (when that is among them).
    static func documents(platform: String, rows: [DocumentRow], base: String, origin: String) -> String {
        let self_ = "\(base)/feeds/documents/\(platform).atom"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(HTML.escape(platform)): archived pages in the Disclosure Ledger (\(HTML.escape(origin)))</title>
              <id>\(HTML.escape(self_))</id>
              <link rel="self" href="\(HTML.escape(self_))"/>
              <link rel="alternate" type="text/html" href="\(HTML.escape(HTML.siteURL(base, "/platforms/\(platform)/documents")))"/>
              <updated>\(rows.first?.retrievedAt ?? "1970-01-01T00:00:00Z")</updated>
              <author><name>\(HTML.escape(origin))</name></author>

            """
        for (i, r) in rows.enumerated() {
            let previous = r.capture == .fetched ? rows[(i + 1)...].first { $0.url == r.url && $0.capture == .fetched } : nil
            let link = HTML.siteURL(base, previous.map { "/documents/diff?from=\($0.seq)&to=\(r.seq)" } ?? "/entries/\(r.seq)")
            let title = "\(r.documentType) \(previous == nil ? "archived" : "changed"): \(r.url)"
            xml += """
                  <entry>
                    <title>\(HTML.escape(title))</title>
                    <id>\(HTML.escape(base))/entries/\(r.seq)</id>
                    <link href="\(HTML.escape(link))"/>
                    <updated>\(r.retrievedAt)</updated>
                    <summary>\(HTML.escape("Archived as \(r.capture.provenance(url: r.url, at: r.retrievedAt)); SHA-256 \(r.contentSHA256.hex)."))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }
}
