import LedgerCore
import LedgerStorage
import LedgerText

/// Archived pages (`ledger source`): a platform's pages with their versions, one page's card,
/// and what changed between two versions.
enum DocumentPages {
    /// `/platforms/{p}/documents`: each address the platform's pages were fetched from, its
    /// versions newest first, each linked to its entry and to what changed since the one before.
    static func list(platform: String, rows: [DocumentRow], next: Int64?, origin: String) -> String {
        var html = "<h1>\(HTML.escape(platform)): archived pages</h1>"
        html += "<p class=\"meta\">Pages about the platform, each signed into the ledger with its text: fetched from their address, "
            + "or transcribed by an editor from an archived copy (marked). "
            + "The same list as <code>ledger source list \(HTML.escape(platform))</code>; "
            + HTML.link("/platforms/\(platform)", "the platform's statements") + " · "
            + HTML.link("/feeds/documents/\(platform).atom", "Atom feed of its pages' changes") + ".</p>"
        guard !rows.isEmpty else { return HTMLPage.document(title: "\(platform) pages", origin: origin, body: html + "<p>No page is archived yet.</p>") }
        var order: [String] = []
        var byURL: [String: [DocumentRow]] = [:]
        for r in rows {
            if byURL[r.url] == nil { order.append(r.url) }
            byURL[r.url, default: []].append(r)
        }
        for url in order {
            let versions = byURL[url] ?? []
            html += "<h2>\(HTML.escape(versions.first?.documentType ?? "")): \(HTML.externalLink(url))</h2><ul>"
            for (i, v) in versions.enumerated().reversed() {
                html += "<li>\(HTML.escape(v.retrievedAt)) · \(HTML.link("/entries/\(v.seq)", "seq \(v.seq)"))"
                // Versions are fetched pages; a transcription is compared with nothing.
                if v.capture == .transcribed {
                    html += " · transcribed from a copy"
                } else if let before = versions[..<i].last(where: { $0.capture == .fetched }) {
                    html += " · " + HTML.link("/documents/diff?from=\(before.seq)&to=\(v.seq)", "what changed since seq \(before.seq)")
                }
                html += " <span class=\"hash\">\(v.contentSHA256.hex)</span></li>"
            }
            html += "</ul>"
        }
        if let next { html += "<p>" + HTML.link("/platforms/\(platform)/documents?after=\(next)", "more pages") + "</p>" }
        return HTMLPage.document(title: "\(platform) pages", origin: origin, body: html)
    }

    /// An archived page as its entry shows it: what it is, where and when it was fetched, and
    /// its text (the body itself, megabytes of base64, is at `/v1/entries/{seq}/body`).
    static func card(_ d: ArchivedDocument, seq: Int64, signer: String) -> String {
        var html = "<p><strong>\(HTML.escape(signer))</strong> archived the <strong>\(HTML.escape(d.type.rawValue))</strong> of "
            + HTML.link("/platforms/\(d.platform)/documents", d.platform) + " as "
            + (d.capture == .fetched ? "fetched from \(HTML.externalLink(d.url)) at " : "transcribed from a copy of \(HTML.externalLink(d.url)) read at ")
            + "\(HTML.escape(d.retrievedAt.secondsText)).</p>"
        if d.capture == .transcribed {
            html += "<p class=\"meta\">An editor's text, not the page as its address served it: the first lines of the text name the copy "
                + "it was read from and what part of the page it holds. It is not compared with the page's fetched versions.</p>"
        }
        html += "<p class=\"meta\">\(HTML.escape(d.mediaType.rawValue)), \(d.content.count) bytes, SHA-256 <span class=\"hash\">\(d.contentSHA256.hex)</span> "
            + "(what a statement's <code>source.sha256</code> names) · " + HTML.link("/v1/entries/\(seq)/body", "the body as stored") + "</p>"
        html += "<h2>Text</h2><div class=\"document-text\">"
            + d.text.split(separator: "\n").map { "<p>\(HTML.escape(String($0)))</p>" }.joined() + "</div>"
        return html
    }

    /// `/documents/diff?from=A&to=B`: each change in place, removed words struck through, added
    /// ones marked, with the words around them.
    static func diff(old: (seq: Int64, page: ArchivedDocument), new: (seq: Int64, page: ArchivedDocument), diff: TextDiff, origin: String) -> String {
        var html = "<h1>What changed: \(HTML.escape(new.page.platform)) \(HTML.escape(new.page.type.rawValue))</h1>"
        html += "<p>From \(HTML.link("/entries/\(old.seq)", "seq \(old.seq)")), fetched \(HTML.escape(old.page.retrievedAt.secondsText)), "
            + "to \(HTML.link("/entries/\(new.seq)", "seq \(new.seq)")), fetched \(HTML.escape(new.page.retrievedAt.secondsText)), "
            + "of \(HTML.externalLink(new.page.url)). The same as <code>ledger source diff \(old.seq) \(new.seq)</code>.</p>"
        guard !diff.isEmpty else { return HTMLPage.document(title: "No change", origin: origin, body: html + "<p>The text is the same.</p>") }
        let (removed, added) = diff.counts
        html += "<p class=\"meta\">\(removed) words removed, \(added) added.</p><ol class=\"changes\">"
        for h in diff.hunks(context: 12) {
            var line = h.moreBefore ? "…" : ""
            line += HTML.escape(TextDiff.join(h.before))
            for change in h.changes {
                switch change {
                case .removed(let w): line += " <del>\(HTML.escape(TextDiff.join(w)))</del>"
                case .added(let w): line += " <ins>\(HTML.escape(TextDiff.join(w)))</ins>"
                case .same: break
                }
            }
            line += " " + HTML.escape(TextDiff.join(h.after)) + (h.moreAfter ? "…" : "")
            html += "<li>\(line)</li>"
        }
        return HTMLPage.document(title: "What changed", origin: origin, body: html + "</ol>")
    }
}
