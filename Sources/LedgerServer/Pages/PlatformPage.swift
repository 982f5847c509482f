import LedgerCompare
import LedgerCore
import LedgerStorage

/// `/platforms/{platform}`: the platform's statements, latest effective date first, a page of
/// `pageSize` at a time (`?before=DATE.SEQ` for the next page).
enum PlatformPage {
    static let pageSize = 100

    static func render(platform: String, page: [StoredEntry], total: Int64, years: [Int], origin: String) -> String {
        let body = """
            <h1>\(HTML.escape(platform))</h1>
            <p class="meta">\(total) statement\(total == 1 ? "" : "s") · \(HTML.link("/platforms/\(platform)/documents", "archived pages")) · \(HTML.link("/feeds/\(platform).atom", "Atom feed")) ·
            \(HTML.link("/v1/entries?platform=\(platform)", "JSON"))</p>
            \(yearLinks(platform: platform, years: years))
            \(table(page))
            \(page.count == pageSize ? "<p>" + HTML.link("/platforms/\(platform)?before=\(TimelineCursor(at: page[page.count - 1]).text)", "older statements →") + "</p>" : "")
            """
        return HTMLPage.document(title: platform, origin: origin, body: body)
    }

    /// Statements as table rows: date, category, gist and figures (or that the body is withheld),
    /// what it corrects, signer and entry; no marks or changes (the plain list past the history limit).
    static func table(_ page: [StoredEntry]) -> String {
        var rows = ""
        for e in page {
            rows += "<tr><td>\(HTML.date(e.effectiveDate ?? "—"))</td><td>\(HTML.escape(e.category ?? "—"))</td><td>"
            if let s = e.parsedStatement {
                rows += HTML.escape(HTMLPage.gist(s))
                if !s.figures.isEmpty { rows += "<br><strong>\(HTMLPage.figureLines(s.figures))</strong>" }
                if let sup = s.supersedes {
                    rows += "<br><span class=\"meta\">\(HTML.escape(sup.kind.rawValue)) of \(HTML.link("/entries/\(sup.seq)", "seq \(sup.seq)"))</span>"
                }
            } else {
                rows += "<em>body withheld by a signed notice</em>"
            }
            rows += "</td><td>\(HTML.escape(e.signer))</td><td>\(HTML.link("/entries/\(e.seq)", "seq \(e.seq)"))</td></tr>\n"
        }
        return """
            <table><thead><tr><th>effective</th><th>category</th><th>statement</th><th>signer</th><th>entry</th></tr></thead>
            <tbody>
            \(rows)</tbody></table>
            """
    }

    /// The platform as a timeline, newest first, a page at a time: each claim with its date and
    /// status, its figures and assertions in words, what changed since the one before, its marks
    /// (each linking the entry behind it), responses, the quote whole and the source. `page`: one
    /// page of the history model `ledger history` shows (`HistoryWindow.newest`); `total`: the
    /// platform's statements; `years`: those in which it has statements, each linked to its page.
    static func timeline(platform: String, page history: History, total: Int64, years: [Int], origin: String) -> String {
        let next = history.next?.cursorField?.cursor
        let body = """
            <h1>\(HTML.escape(platform))</h1>
            <p class="meta">\(total) statement\(total == 1 ? "" : "s"), newest first ·
            \(HTML.link("/platforms/\(platform)/documents", "archived pages")) · \(HTML.link("/feeds/\(platform).atom", "Atom feed")) · \(HTML.link("/v1/platforms/\(platform)/history", "JSON")) ·
            the same history as <code>ledger history \(HTML.escape(platform))</code></p>
            \(yearLinks(platform: platform, years: years))
            <ol class="timeline">
            \(items(history.events.reversed()))</ol>
            \(next.map { "<p>" + HTML.link("/platforms/\(platform)?before=\($0.text)", "older statements →") + "</p>" } ?? "")
            """
        return HTMLPage.document(title: platform, origin: origin, body: body)
    }

    /// The most events of one year a year page shows; more make parts (`?part=2`, `YYYY-2.html`).
    static let yearPageSize = 500

    /// How many parts a year of `count` statements has.
    static func yearParts(_ count: Int) -> Int { (count + yearPageSize - 1) / yearPageSize }

    /// The year a URL segment names: four digits, else nil.
    static func year(in text: some StringProtocol) -> Int? {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    /// `/platforms/{p}/history/{year}`: part `part` of `parts` of the events published in
    /// `year`, oldest first: the pages a static publication keeps whole, since appending a
    /// statement changes only the years it touches.
    /// `page`: the year's events as a timeline (`History`), or past the history limit as the
    /// plain list of its statements.
    static func year(platform: String, year: Int, part: Int, parts: Int, page: YearStatements, origin: String) -> String {
        func partLink(_ n: Int, _ label: String) -> String {
            HTML.link("/platforms/\(platform)/history/\(year)" + (n == 1 ? "" : "?part=\(n)"), label)
        }
        let nav = parts < 2 ? "" : "<p class=\"meta\">part \(part) of \(parts)"
            + (part > 1 ? " · " + partLink(part - 1, "← earlier") : "") + (part < parts ? " · " + partLink(part + 1, "later →") : "") + "</p>"
        let list: String
        switch page {
        case .timeline(let history): list = "<ol class=\"timeline\">\n" + items(history.events[...]) + "</ol>"
        case .list(let entries): list = table(entries)
        }
        let body = """
            <h1>\(HTML.escape(platform)): \(year)</h1>
            <p class="meta">statements published in \(year), oldest first · \(HTML.link("/platforms/\(platform)", "all of \(HTML.escape(platform))"))</p>
            \(nav)
            \(list)
            \(nav)
            """
        return HTMLPage.document(title: "\(platform): \(year)", origin: origin, body: body)
    }

    /// A year page's statements: a timeline within the history limit, a plain list past it.
    enum YearStatements {
        case timeline(History)
        case list([StoredEntry])
    }

    /// "By year: 2016 · 2019 · …", each linking its year page.
    static func yearLinks(platform: String, years: [Int]) -> String {
        guard !years.isEmpty else { return "" }
        return "<p class=\"meta\">by year: " + years.map { HTML.link("/platforms/\(platform)/history/\($0)", String($0)) }.joined(separator: " · ") + "</p>"
    }

    /// The timeline's items: each claim with its date and status, its figures and assertions in
    /// words, what changed since the one before, its marks, the quote and the source.
    static func items<Events: Sequence>(_ events: Events) -> String where Events.Element == History.Event {
        var items = ""
        for e in events {
            let c = e.claim
            items += "<li><p><strong>\(HTML.date(c.effectiveDate))</strong> · \(HTML.escape(c.category)) · "
            items += "\(HTML.link("/entries/\(c.seq)", "seq \(c.seq)")) · \(HTML.escape(c.signer))"
            if e.status != .live { items += " · <em>\(HTML.escape(e.status.text))</em>" }
            items += "</p>"
            if let s = c.statement {
                let lines = Words.lines(s)
                if !lines.isEmpty { items += "<ul>" + lines.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>" }
                if let changes = e.changes, !(changes.words.isEmpty && changes.figureDeltas.isEmpty) {
                    items += "<p class=\"meta\">since \(HTML.link("/entries/\(changes.sinceSeq)", "seq \(changes.sinceSeq)")): "
                    items += HTML.escape((changes.words + changes.figureDeltas.map(\.text)).joined(separator: "; ")) + "</p>"
                }
                let notes = ComparePage.words(c, marks: e.marks, others: [])
                if !notes.isEmpty { items += "<ul class=\"marks\">" + notes.map { "<li>\($0)</li>" }.joined() + "</ul>" }
                items += "<blockquote class=\"quote\" lang=\"\(HTML.escape(s.language))\">\(HTML.escape(s.quote).replacingOccurrences(of: "\n", with: "<br>"))</blockquote>"
                items += "<p class=\"meta\">" + (s.source.url.map { HTML.externalLink($0, s.source.title) } ?? HTML.escape(s.source.title ?? "")) + "</p>"
            } else {
                items += "<p><em>body withheld by a signed notice</em></p>"
            }
            items += "</li>\n"
        }
        return items
    }
}
