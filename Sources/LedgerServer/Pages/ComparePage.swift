import LedgerCore
import LedgerStorage

/// The comparison matrix as an HTML table: a row per platform, a column per category, each cell
/// the claim in force with a link to the entry that backs it.
enum ComparePage {
    static func table(_ m: ComparisonMatrix) -> String {
        guard !m.platforms.isEmpty else { return "<p>No statements yet.</p>" }
        var html = "<table class=\"matrix\"><thead><tr><th>platform</th>"
        for c in m.categories { html += "<th>\(HTML.escape(c))</th>" }
        html += "</tr></thead><tbody>\n"
        for p in m.platforms {
            html += "<tr><th>\(HTML.link("/platforms/\(p)", p))</th>"
            for c in m.categories {
                guard let cell = m.cell(p, c) else {
                    html += "<td class=\"empty\">—</td>"
                    continue
                }
                let s = cell.statement
                let figures = HTMLPage.quantities(s)
                html += "<td>\(HTML.escape(HTMLPage.gist(s, limit: 120)))"
                if !figures.isEmpty { html += "<br><strong>\(HTML.escape(figures))</strong>" }
                html += "<br><span class=\"meta\">\(HTML.escape(s.effectiveDate.description)) · \(HTML.escape(cell.entry.signer)) · "
                html += "\(HTML.link("/entries/\(cell.entry.seq)", "seq \(cell.entry.seq)"))</span></td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>"
    }

    static func page(_ m: ComparisonMatrix, origin: String) -> String {
        let heading = m.asOf.map { "What platforms say, as of \(HTML.escape($0))" } ?? "What platforms say, latest claims"
        let body = """
            <h1>\(heading)</h1>
            <p class="meta">Each cell is the latest statement of that platform in that category (by effective date), with the
            ledger entry that backs it.</p>
            <form method="get" action="/compare"><label>As of <input type="date" name="as_of"
            value="\(HTML.escape(m.asOf ?? ""))"></label> <button>show</button></form>
            \(table(m))
            """
        return HTMLPage.document(title: "Compare", origin: origin, body: body)
    }
}
