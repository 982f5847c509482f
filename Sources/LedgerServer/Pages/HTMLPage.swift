import Hummingbird
import LedgerCompare
import LedgerCore
import LedgerStorage

/// Escaping and the page frame shared by every server-rendered page (no JavaScript).
enum HTML {
    /// Text for element content and double-quoted attribute values, in HTML and in XML (the
    /// Atom feeds) alike. Beyond the five markup characters:
    ///  - U+FFFE, U+FFFF and C0 controls other than tab, LF and CR are legal in JSON but not
    ///    characters of XML 1.0 (a feed holding one is ill-formed): each becomes U+FFFD;
    ///  - bidirectional formatting controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
    ///    U+061C) would reorder what a reader sees around them (a quote could appear to say
    ///    something else): each is shown as its code, `[U+202E]`.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{FFFE}", "\u{FFFF}": out += "\u{FFFD}"
            case _ where ch.value < 0x20 && ch != "\t" && ch != "\n" && ch != "\r": out += "\u{FFFD}"
            case _ where isBidiControl(ch): out += "[U+" + String(ch.value, radix: 16, uppercase: true) + "]"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func isBidiControl(_ c: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(c.value) || (0x2066...0x2069).contains(c.value) || c.value == 0x200E || c.value == 0x200F || c.value == 0x061C
    }

    /// A link whose target is one of our own paths built from validated slugs and numbers; in
    /// a static publication, its file, or the text alone where no file answers it (StaticLinks).
    static func link(_ href: String, _ text: String) -> String {
        guard let target = sitePath(href) else { return escape(text) }
        return "<a href=\"\(escape(target))\">\(escape(text))</a>"
    }

    /// One of our own paths as this rendering links it: as it is for the service, as its file
    /// in a static publication (nil if it has none).
    static func sitePath(_ path: String) -> String? {
        guard let links = StaticLinks.current else { return path }
        return links.href(path)
    }

    /// The absolute URL of one of our own paths (feeds' links), at `base`.
    static func siteURL(_ base: String, _ path: String) -> String { base + (sitePath(path) ?? path) }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// A day as an English reader writes it, machine-readable beside: `2024-08-27` becomes
    /// `<time datetime="2024-08-27">27 August 2024</time>`; anything else is shown as it is.
    static func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard iso.utf8.count == 10, parts.count == 3, let day = Int(parts[2]), let month = Int(parts[1]), (1...12).contains(month), (1...31).contains(day) else {
            return escape(iso)
        }
        return "<time datetime=\"\(escape(iso))\">\(day) \(months[month - 1]) \(parts[0])</time>"
    }

    /// A query parameter's value as it goes in a URL: every byte but letters, digits and
    /// `-._~` percent-encoded (RFC 3986 §2.3), so no value can end its parameter.
    static func percentEncoded(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// An external link (statement sources): only http(s), never followed with our referrer.
    static func externalLink(_ url: String, _ text: String? = nil) -> String {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return escape(text ?? url) }
        return "<a rel=\"noopener noreferrer nofollow\" href=\"\(escape(url))\">\(escape(text ?? url))</a>"
    }
}

enum HTMLPage {
    static let style = """
        body{font-family:system-ui,sans-serif;max-width:72rem;margin:1.5rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
        header{border-bottom:1px solid #ccc;margin-bottom:1rem}header a{text-decoration:none;color:inherit}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}
        th{background:#f3f3f3}td.empty{color:#999;text-align:center}pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.85rem}
        code{font-size:.9em}.meta{color:#555;font-size:.9rem}.quote{border-left:3px solid #ccc;padding-left:.8rem;margin-left:0}
        .hash{font-family:monospace;font-size:.8rem;word-break:break-all}pre.wrap{white-space:pre-wrap;word-break:break-all}
        table.recipient td:nth-child(2){width:50%}
        @media (max-width:48rem){table.matrix{display:block;overflow-x:auto}body{margin:.5rem auto}}
        @media print{header,footer,form{display:none}body{max-width:none;margin:0}a{color:inherit}th{background:none}pre{white-space:pre-wrap}}
        """

    /// A full HTML document.
    static func document(title: String, origin: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title)) · Disclosure Ledger</title><style>\(style)</style></head>
        <body><header><p><a href="\(HTML.escape(HTML.sitePath("/") ?? "/"))"><strong>Disclosure Ledger</strong></a> · <span class="meta">\(HTML.escape(origin))</span> ·
        \(navigation)</p></header>
        <main>
        \(body)
        </main>
        <footer class="meta"><p>Every statement is signed and appended to a Merkle tree; the log signs each tree head.
        \(StaticLinks.current == nil
            ? "Check it yourself: the JSON API under <code>/v1</code>, tiles under <code>/tile</code>, <code>ledger-verify</code> on a copy."
            : "Check it yourself: tiles under <code>/tile</code>, every checkpoint under <code>/checkpoints</code>, <code>ledger-verify --url</code> on this address.")</p></footer>
        </body></html>

        """
    }

    /// The header's links: those this rendering has (a static publication has no search).
    static var navigation: String {
        [("/compare", "compare"), ("/search", "search"), ("/v1/checkpoint", "checkpoint")]
            .filter { HTML.sitePath($0.0) != nil }.map { HTML.link($0.0, $0.1) }.joined(separator: " · ")
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func errorResponse(_ error: APIError) -> Response {
        let body = "<h1>\(error.status.code) \(HTML.escape(error.status.reasonPhrase))</h1><p>\(HTML.escape(error.description))</p>"
        return response(document(title: error.status.reasonPhrase, origin: "", body: body), status: error.status)
    }

    /// Each figure in words: "2,380 requests with data produced (law-enforcement, IN, 2024-07-01 to 2024-09-30)".
    static func quantities(_ s: Statement) -> String { quantities(s.figures) }

    static func quantities(_ list: [Figure]) -> String { list.map(Words.figure).joined(separator: "; ") }

    /// The figures as HTML, escaped, one a line: a report's dozen figures read as a list, not
    /// as one run of text.
    static func figureLines(_ list: [Figure]) -> String { list.map { HTML.escape(Words.figure($0)) }.joined(separator: "<br>") }

    /// The statement's one-line gist: its summary, else the start of its quote.
    /// The statement's summary (else its quote) on one line, whole unless `limit` is given (a
    /// feed entry's title): pages show what the signer wrote, not a cut of it.
    static func gist(_ s: Statement, limit: Int? = nil) -> String {
        let text = (s.summary ?? s.quote).replacingOccurrences(of: "\n", with: " ")
        guard let limit, text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}

extension StoredEntry {
    /// The statement this entry carries, if it is one and its body is not withheld.
    var parsedStatement: Statement? {
        guard kind == EntryKind.statement.rawValue, let body, let parsed = try? Body(stored: body) else { return nil }
        return parsed.statement
    }
}
