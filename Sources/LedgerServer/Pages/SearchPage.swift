import LedgerCore
import LedgerQuery
import LedgerStorage

/// `/search`: a form (plain GET, no script) and a page of statements matching it, newest
/// first, each with its platform, date, gist and figures, linked to its entry. The same results
/// as `ledger search` and `GET /v1/search`.
enum SearchPage {
    /// What the reader asked, to fill the form again and build the next page's link.
    struct Asked {
        var q = "", platform = "", category = "", recipient = ""

        /// The query string of this search, `before` the given seq if any.
        func query(before: Int64?) -> String {
            let pairs = [("q", q), ("platform", platform), ("category", category), ("recipient", recipient)].filter { !$0.1.isEmpty }
                + (before.map { [("before", String($0))] } ?? [])
            return pairs.map { "\($0.0)=\(HTML.percentEncoded($0.1))" }.joined(separator: "&")
        }
    }

    static func render(_ asked: Asked, results: (entries: [StoredEntry], next: Int64?)?, origin: String) -> String {
        var html = "<h1>Search statements</h1>" + form(asked)
        guard let results else {
            html += "<p class=\"meta\">Words are looked for in each statement's quote and summary (case, accents and punctuation aside; "
                + "put a phrase in double quotes). A recipient finds the statements about it and anyone within it: "
                + "<code>governments</code> finds law enforcement's figures.</p>"
            return HTMLPage.document(title: "Search", origin: origin, body: html)
        }
        html += "<p class=\"meta\">\(results.entries.isEmpty ? "No statement matches." : "Newest first.") The same as "
            + HTML.link("/v1/search?" + asked.query(before: nil), "this search as JSON") + ".</p>"
        if !results.entries.isEmpty {
            html += "<table><thead><tr><th>platform</th><th>published</th><th>category</th><th>statement</th><th>entry</th></tr></thead><tbody>"
            for e in results.entries { html += row(e) }
            html += "</tbody></table>"
        }
        if let next = results.next { html += "<p>" + HTML.link("/search?" + asked.query(before: next), "older statements →") + "</p>" }
        return HTMLPage.document(title: "Search: \(asked.q)", origin: origin, body: html)
    }

    private static func row(_ e: StoredEntry) -> String {
        var cell = ""
        if let s = e.parsedStatement {
            cell = HTML.escape(HTMLPage.gist(s))
            if !s.figures.isEmpty { cell += "<br><strong>\(HTMLPage.figureLines(s.figures))</strong>" }
            cell += "<br><q>\(HTML.escape(s.quote))</q>"
        }
        let platform = e.platform ?? ""
        return "<tr><td>\(HTML.link("/platforms/\(platform)", platform))</td><td>\(HTML.date(e.effectiveDate ?? "—"))</td>"
            + "<td>\(HTML.escape(e.category ?? "—"))</td><td>\(cell)</td><td>\(HTML.link("/entries/\(e.seq)", "seq \(e.seq)"))</td></tr>\n"
    }

    private static func form(_ a: Asked) -> String {
        func field(_ name: String, _ label: String, _ value: String, _ hint: String) -> String {
            "<label>\(label) <input type=\"search\" name=\"\(name)\" value=\"\(HTML.escape(value))\" placeholder=\"\(hint)\"></label> "
        }
        return "<form method=\"get\" action=\"/search\" role=\"search\"><p>"
            + field("q", "Words", a.q, "0 bytes") + field("platform", "Platform", a.platform, "telegram")
            + field("recipient", "Recipient", a.recipient, "law-enforcement") + field("category", "Category", a.category, "government-requests")
            + "<button type=\"submit\">Search</button></p></form>"
    }
}
