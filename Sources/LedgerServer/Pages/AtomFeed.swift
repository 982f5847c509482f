import LedgerCore
import LedgerStorage

/// `/feeds/{platform}.atom`: an Atom 1.0 feed (RFC 4287) of a platform's statements, newest
/// appended first, so a feed reader shows each new claim.
enum AtomFeed {
    static let maxEntries = 100

    /// `entries`: the platform's newest, highest seq first (at most `maxEntries` are shown).
    static func render(platform: String, entries: [StoredEntry], base: String, origin: String) -> String {
        let newest = entries.prefix(maxEntries)
        let updated = newest.first?.time ?? "1970-01-01T00:00:00.000Z"
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(HTML.escape(platform)): statements in the Disclosure Ledger (\(HTML.escape(origin)))</title>
              <id>\(HTML.escape(base))/feeds/\(HTML.escape(platform)).atom</id>
              <link rel="self" href="\(HTML.escape(base))/feeds/\(HTML.escape(platform)).atom"/>
              <link rel="alternate" type="text/html" href="\(HTML.escape(base))/platforms/\(HTML.escape(platform))"/>
              <updated>\(updated)</updated>
              <author><name>\(HTML.escape(origin))</name></author>

            """
        for e in newest {
            let s = e.parsedStatement
            let title = s.map { "\($0.category.rawValue), \($0.published): \(HTMLPage.gist($0, limit: 100))" } ?? "seq \(e.seq) (body withheld)"
            var summary = s.map { HTMLPage.gist($0, limit: 1000) } ?? "The body of this statement is withheld by a signed notice."
            if let s, !s.figures.isEmpty { summary += " [\(HTMLPage.quantities(s))]" }
            xml += """
                  <entry>
                    <title>\(HTML.escape(title))</title>
                    <id>\(HTML.escape(base))/entries/\(e.seq)</id>
                    <link href="\(HTML.escape(base))/entries/\(e.seq)"/>
                    <updated>\(e.time)</updated>
                    <author><name>\(HTML.escape(e.signer))</name></author>
                    <summary>\(HTML.escape(summary))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }
}
