import LedgerCore
import LedgerStorage

/// `/platforms/{platform}`: the platform's statements, latest effective date first, a page of
/// `pageSize` at a time (`?before=DATE.SEQ` for the next page).
enum PlatformPage {
    static let pageSize = 100

    static func render(platform: String, page: [StoredEntry], total: Int64, origin: String) -> String {
        var rows = ""
        for e in page {
            rows += "<tr><td>\(HTML.escape(e.effectiveDate ?? "—"))</td><td>\(HTML.escape(e.category ?? "—"))</td><td>"
            if let s = e.parsedStatement {
                rows += HTML.escape(HTMLPage.gist(s))
                let figures = HTMLPage.quantities(s)
                if !figures.isEmpty { rows += "<br><strong>\(HTML.escape(figures))</strong>" }
                if let sup = s.supersedes {
                    rows += "<br><span class=\"meta\">\(HTML.escape(sup.kind.rawValue)) of \(HTML.link("/entries/\(sup.seq)", "seq \(sup.seq)"))</span>"
                }
            } else {
                rows += "<em>body withheld by a signed notice</em>"
            }
            rows += "</td><td>\(HTML.escape(e.signer))</td><td>\(HTML.link("/entries/\(e.seq)", "seq \(e.seq)"))</td></tr>\n"
        }
        let body = """
            <h1>\(HTML.escape(platform))</h1>
            <p class="meta">\(total) statement\(total == 1 ? "" : "s") · \(HTML.link("/feeds/\(platform).atom", "Atom feed")) ·
            \(HTML.link("/v1/entries?platform=\(platform)", "JSON"))</p>
            <table><thead><tr><th>effective</th><th>category</th><th>statement</th><th>signer</th><th>entry</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            \(page.count == pageSize ? "<p>" + HTML.link("/platforms/\(platform)?before=\(TimelineCursor(at: page[page.count - 1]).text)", "older statements →") + "</p>" : "")
            """
        return HTMLPage.document(title: platform, origin: origin, body: body)
    }
}
