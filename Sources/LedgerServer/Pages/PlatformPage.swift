import LedgerCore
import LedgerStorage

/// `/platforms/{platform}`: the platform's statements, oldest effective date first.
enum PlatformPage {
    static func render(platform: String, entries: [StoredEntry], origin: String) -> String {
        let sorted = entries.sorted { ($0.effectiveDate ?? "", $0.seq) < ($1.effectiveDate ?? "", $1.seq) }
        var rows = ""
        for e in sorted {
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
            <p class="meta">\(entries.count) statement\(entries.count == 1 ? "" : "s") · \(HTML.link("/feeds/\(platform).atom", "Atom feed")) ·
            \(HTML.link("/v1/entries?platform=\(platform)", "JSON"))</p>
            <table><thead><tr><th>effective</th><th>category</th><th>statement</th><th>signer</th><th>entry</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """
        return HTMLPage.document(title: platform, origin: origin, body: body)
    }
}
