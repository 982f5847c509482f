import LedgerCompare
import LedgerCore
import LedgerStorage

/// The comparison as an HTML table: a row per platform, a column per category, each cell the
/// claim in force with its marks in words and a link to the entry that backs it. Built from the
/// same `Comparison` as `ledger compare` and `GET /v1/compare`.
enum ComparePage {
    static func table(_ c: Comparison) -> String {
        // Only the categories some platform has said something in.
        let categories = c.categories.filter { category in c.cells.contains { $0.category == category && $0.claim != nil } }
        guard !c.platforms.isEmpty, !categories.isEmpty else { return "<p>No statements yet.</p>" }
        var html = "<table class=\"matrix\"><thead><tr><th>platform</th>"
        for category in categories { html += "<th>\(HTML.escape(category))</th>" }
        html += "</tr></thead><tbody>\n"
        for p in c.platforms {
            html += "<tr><th>\(HTML.link("/platforms/\(p)", p))</th>"
            for category in categories {
                guard let cell = c.cell(p, category), let claim = cell.claim else {
                    html += "<td class=\"empty\">—</td>"
                    continue
                }
                html += "<td>" + Self.claim(claim, marks: cell.marks, others: cell.others, othersOmitted: cell.othersOmitted) + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>"
    }

    /// One claim: its gist and figures, date, signer and entry, then what a reader should know.
    static func claim(_ claim: Claim, marks: [Mark], others: [Claim], othersOmitted: Int = 0) -> String {
        var html = ""
        if let s = claim.statement {
            html += HTML.escape(HTMLPage.gist(s))
            if !s.figures.isEmpty { html += "<br><strong>\(HTMLPage.figureLines(s.figures))</strong>" }
        } else {
            html += "<em>body withheld by a signed notice</em>"
        }
        html += "<br><span class=\"meta\">\(HTML.date(claim.effectiveDate)) · \(HTML.escape(claim.signer)) · "
        html += "\(HTML.link("/entries/\(claim.seq)", "seq \(claim.seq)"))</span>"
        let notes = words(claim, marks: marks, others: others, othersOmitted: othersOmitted)
        if !notes.isEmpty { html += "<ul class=\"marks\">" + notes.map { "<li>\($0)</li>" }.joined() + "</ul>" }
        return html
    }

    /// The marks and links of a claim as sentences, each naming (and linking) the entries behind it.
    static func words(_ claim: Claim, marks: [Mark], others: [Claim], othersOmitted: Int = 0) -> [String] {
        func seqs(_ list: [Int64]) -> String { list.map { HTML.link("/entries/\($0)", "seq \($0)") }.joined(separator: ", ") }
        var out: [String] = []
        if let c = claim.corrects { out.append("\(c.kind == .amendment ? "amends" : "retracts") \(seqs([c.seq]))") }
        out += marks.map(sentence)
        // The claim counts its responses; its entry page's standing names and links each.
        let standing = "/entries/\(claim.seq)#standing"
        if claim.disputes > 0 { out.append("<strong>disputed</strong> by " + HTML.link(standing, "\(claim.disputes) signer\(claim.disputes == 1 ? "" : "s")")) }
        if claim.endorsements > 0 { out.append("endorsed by " + HTML.link(standing, "\(claim.endorsements) signer\(claim.endorsements == 1 ? "" : "s")")) }
        if !others.isEmpty {
            let more = othersOmitted == 0 ? "" : " and " + HTML.link("/platforms/\(claim.platform)", "\(othersOmitted) more")
            out.append("also stated on this date: \(seqs(others.map(\.seq)))" + more)
        }
        return out
    }

    /// A mark as a sentence, linking the entries behind it (the comparison, the timeline and an
    /// entry's standing say it the same way).
    static func sentence(_ mark: Mark) -> String {
        func seqs(_ list: [Int64]) -> String { list.map { HTML.link("/entries/\($0)", "seq \($0)") }.joined(separator: ", ") }
        switch mark.kind {
        case .conflict: return "<strong>conflict</strong>: signers disagree on this date (\(seqs(mark.seqs)))"
        case .contradicts: return "<strong>contradicts</strong> the claim of no disclosure in \(seqs(mark.seqs))"
        case .contradictedBy: return "<strong>contradicted</strong> by the figures of data handed over in \(seqs(mark.seqs))"
        case .wordingChanged:
            return "<strong>wording changed</strong> since \(HTML.escape(mark.since ?? "")): the page it quotes (\(seqs(Array(mark.seqs.prefix(1))))) "
                + "no longer holds the quote in its version of \(seqs(Array(mark.seqs.dropFirst())))"
        }
    }

    /// What an answering entry did, as a verb: "<strong>retracted</strong>", "endorsed"…
    static func verb(_ kind: LinkKind) -> String {
        switch kind {
        case .retraction: return "<strong>retracted</strong>"
        case .amendment: return "<strong>amended</strong>"
        case .dispute: return "<strong>disputed</strong>"
        case .endorsement: return "endorsed"
        }
    }

    static func page(_ c: Comparison, origin: String) -> String {
        let body = """
            <h1>What platforms say, as of \(HTML.date(c.asOf))</h1>
            <p class="meta">Each cell is the claim in force on that date: the latest statement of that platform in that
            category (by effective date) that no correction has replaced, with the ledger entry that backs it and what
            other entries say about it. The same answer as <code>ledger compare --as-of \(HTML.escape(c.asOf))</code>
            and <code>GET /v1/compare?as_of=\(HTML.escape(c.asOf))</code>.</p>
            <form method="get" action="/compare"><label>As of <input type="date" name="as_of"
            value="\(HTML.escape(c.asOf))"></label> <button>show</button></form>
            \(table(c))
            """
        return HTMLPage.document(title: "Compare", origin: origin, body: body)
    }

    /// `/compare?recipient=R`: who gives data to R, and how much, a row per platform: its figures
    /// for R or a narrower recipient and its stated policy, each with the entry behind it.
    static func recipientPage(_ view: RecipientView, origin: String) -> String {
        var rows = ""
        for row in view.rows where !row.figures.isEmpty || !row.policies.isEmpty {
            let figures = row.figures.map { f in
                HTMLPage.figureLines(f.figures)
                    + "<br><span class=\"meta\">\(HTML.date(f.claim.effectiveDate)) · \(HTML.link("/entries/\(f.claim.seq)", "seq \(f.claim.seq)"))</span>"
            }
            let policies = row.policies.map { c in
                (c.statement.map { _ in HTML.escape(RecipientView.policy(c)) } ?? "<em>body withheld</em>")
                    + "<br><span class=\"meta\">\(HTML.date(c.effectiveDate)) · \(HTML.link("/entries/\(c.seq)", "seq \(c.seq)"))</span>"
            }
            let marks = row.marks.isEmpty ? "" : "<ul class=\"marks\">" + row.marks.map { m in
                "<li><strong>\(HTML.escape(m.kind.rawValue))</strong> " + m.seqs.map { HTML.link("/entries/\($0)", "seq \($0)") }.joined(separator: ", ") + "</li>"
            }.joined() + "</ul>"
            rows += "<tr><th>\(HTML.link("/platforms/\(row.platform)", row.platform))</th><td>\(figures.isEmpty ? "—" : figures.joined(separator: "<hr>"))</td>"
            rows += "<td>\(policies.isEmpty ? "—" : policies.joined(separator: "<hr>"))\(marks)</td></tr>\n"
        }
        let body = """
            <h1>Who gives data to \(HTML.escape(view.recipient)), as of \(HTML.date(view.asOf))</h1>
            <p class="meta">Figures count data handed to \(HTML.escape(view.recipient)) or a narrower recipient (law enforcement
            of one country is within governments); the policy column holds what each platform says about it. The same answer as
            <code>ledger compare --recipient \(HTML.escape(view.recipient)) --as-of \(HTML.escape(view.asOf))</code>.</p>
            \(rows.isEmpty ? "<p>No platform says anything about this recipient.</p>" :
                "<table class=\"recipient\"><thead><tr><th>platform</th><th>figures</th><th>stated policy</th></tr></thead><tbody>\n\(rows)</tbody></table>")
            """
        return HTMLPage.document(title: "Who gives data to \(view.recipient)", origin: origin, body: body)
    }
}
