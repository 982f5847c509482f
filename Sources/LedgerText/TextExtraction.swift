import CLibXML2
import Foundation
import LedgerCore

/// The readable text of an archived page by the rules `disclosure-text/v1` (docs/FORMAT.md §5c):
/// what a reader quotes from, and what versions are compared by. Pure: bytes in, text out.
public enum TextExtraction {
    /// Elements whose content is never the page's text: code, styling, navigation and chrome.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside", "form",
        "button", "iframe", "select", "object", "canvas",
    ]
    /// Words of a `class` or `id` that mark a page's chrome (sites build menus from `div`s):
    /// an element with one of them as a whole part of a class or its id (split at `-`, `_` and
    /// spaces) is left out, as is one whose ARIA `role` is in `skippedRoles`.
    static let chromeWords: Set<String> = [
        "nav", "navbar", "navigation", "menu", "dropdown", "toolbar", "header", "head", "footer", "breadcrumb", "breadcrumbs",
        "sidebar", "cookie", "cookies", "banner", "skip",
    ]
    static let skippedRoles: Set<String> = ["navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search"]

    /// Elements that end a paragraph: their text starts and ends on lines of its own.
    static let blocks: Set<String> = [
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main",
        "br", "tr", "td", "th", "table", "thead", "tbody", "blockquote", "pre", "figure", "figcaption", "address", "hr",
        "body", "html",
    ]

    /// The text of `content`, a page of `mediaType` (`charset`: the one the server named, if
    /// any). Throws when nothing readable is left, so an empty version is never archived.
    /// Linear in the content's size (libxml2's parse, then one walk of the tree).
    public static func text(of content: [UInt8], mediaType: ArchivedDocument.MediaType, charset: String? = nil) throws -> String {
        let paragraphs: [String]
        switch mediaType {
        case .html: paragraphs = try htmlParagraphs(content, charset: charset)
        case .plain: paragraphs = try decode(content, charset: charset).split(whereSeparator: \.isNewline).map(String.init)
        }
        let text = paragraphs.map(normalise).filter { !$0.isEmpty }.joined(separator: "\n")
        guard !text.isEmpty else { throw TextError.noText }
        return text
    }

    /// One paragraph by the rules: Unicode NFC, every run of whitespace (no-break and other
    /// Unicode spaces included) one space, none at either end. Quotes are compared in this form.
    public static func normalise(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for scalar in s.precomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.value == 0xA0 {
                pendingSpace = !out.isEmpty
            } else if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format && scalar.value != 0x200D {
                continue
            } else {
                if pendingSpace { out.unicodeScalars.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Bytes of a plain-text page as text: a byte-order mark or the named charset decides;
    /// otherwise UTF-8 when the bytes are valid UTF-8, else ISO 8859-1.
    static func decode(_ bytes: [UInt8], charset: String?) throws -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return try utf16(bytes) }
        switch charset?.lowercased() {
        case "utf-16", "utf-16le", "utf-16be": return try utf16(bytes)
        case "iso-8859-1", "latin1", "latin-1", "windows-1252", "us-ascii": return latin1(bytes)
        default:
            if let s = String(validating: bytes, as: UTF8.self) { return s }
            return latin1(bytes)
        }
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        var s = ""
        s.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return s
    }

    static func utf16(_ bytes: [UInt8]) throws -> String {
        guard bytes.count % 2 == 0 else { throw TextError.undecodable("UTF-16 text of an odd number of bytes") }
        var big = !bytes.starts(with: [0xFF, 0xFE])
        var start = 0
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { start = 2 } else { big = false }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = start
        while i + 1 < bytes.count {
            units.append(big ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}

/// Why a page gives no text.
public enum TextError: KindedError, Equatable, CustomStringConvertible {
    case undecodable(String)
    case noText
    case tooLarge(bytes: Int)

    public var kind: FailureKind { .caller }

    public var description: String {
        switch self {
        case .undecodable(let why): return "the page cannot be decoded: \(why)"
        case .noText: return "the page holds no readable text (scripts, styles and navigation are left out)"
        case .tooLarge(let n): return "the page is \(n) bytes; at most \(ArchivedDocument.maxContentBytes) (3 MiB) are archived"
        }
    }
}
