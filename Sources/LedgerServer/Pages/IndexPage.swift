import LedgerCompare
import LedgerCore
import LedgerStorage

/// `/`: the platforms, the comparison matrix and the log's latest checkpoint.
enum IndexPage {
    /// The corrections and responses `/` lists, newest first.
    static let latestAnswers = 20

    static func render(platforms: [PlatformSummary], comparison: Comparison,
                       answers: [LinkRow],
                       checkpoint: String, origin: String) -> String {
        var list = "<table><thead><tr><th>platform</th><th>statements</th><th>categories</th><th>feed</th></tr></thead><tbody>\n"
        for p in platforms {
            list += "<tr><td>\(HTML.link("/platforms/\(p.platform)", p.platform))</td><td>\(p.statements)</td>"
            list += "<td>\(HTML.escape(p.categories.joined(separator: ", ")))</td>"
            list += "<td>\(HTML.link("/feeds/\(p.platform).atom", "Atom"))</td></tr>\n"
        }
        list += "</tbody></table>"
        let body = """
            <h1>What online platforms say about handing user data to others</h1>
            <p>A tamper-evident public record: each statement is signed by a registered signer and appended to a
            hash-chained log that is also a Merkle tree, so anyone can prove a statement is in it and that nothing was rewritten.</p>
            <h2>Platforms</h2>
            \(platforms.isEmpty ? "<p>No statements yet.</p>" : list)
            <p>Who gives data to \(HTML.link("/compare?recipient=governments", "governments")), to
            \(HTML.link("/compare?recipient=law-enforcement", "law enforcement")), to \(HTML.link("/compare?recipient=advertisers", "advertisers")),
            and how much?</p>
            <h2>Comparison, as of \(HTML.date(comparison.asOf))</h2>
            \(ComparePage.table(comparison))
            <h2>Latest corrections and responses</h2>
            \(answerList(answers))
            <h2>Latest checkpoint</h2>
            <pre>\(HTML.escape(checkpoint))</pre>
            """
        return HTMLPage.document(title: "Platforms", origin: origin, body: body)
    }

    /// "alice <strong>retracted</strong> seq 140 (example, third-party-sharing) in seq 141", each
    /// entry linked.
    static func answerList(_ answers: [LinkRow]) -> String {
        guard !answers.isEmpty else { return "<p>No statement has been corrected, disputed or endorsed yet.</p>" }
        let items = answers.map { a in
            let about = [a.platform, a.category].compactMap { $0 }.map(HTML.escape).joined(separator: ", ")
            return "<li>\(HTML.escape(a.signer)) \(ComparePage.verb(a.kind)) \(HTML.link("/entries/\(a.target)", "seq \(a.target)"))"
                + (about.isEmpty ? "" : " (\(about))") + " in \(HTML.link("/entries/\(a.seq)", "seq \(a.seq)"))</li>"
        }
        return "<ul class=\"marks\">" + items.joined() + "</ul>"
    }
}
