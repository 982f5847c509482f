import Foundation
import LedgerCore
import LedgerText
import XCTest

/// `disclosure-text/v1` on pages written to exercise one rule each (the real pages are in
/// `ArchivedPageTests`).
final class TextExtractionTests: XCTestCase {
    func testMainContentOnlyWithoutScriptsStylesOrNavigation() throws {
        let page = """
            <!DOCTYPE html><html><head><title>Policy</title><style>p { color: red }</style>
            <script>var tracking = "do not extract";</script></head>
            <body><nav><ul><li><a href="/">Home</a></li><li>Deutsch</li></ul></nav>
            <header>Site header</header>
            <main><h1>Privacy&nbsp;Policy</h1>
            <p>We   do not
               sell your data.<br>Ever.</p><ul><li>First</li><li>Second &amp; last</li></ul>
            <script>document.write("nor this")</script><noscript>Enable JavaScript</noscript></main>
            <footer>© Example</footer></body></html>
            """
        let text = try TextExtraction.text(of: Array(page.utf8), mediaType: .html)
        XCTAssertEqual(text, "Privacy Policy\nWe do not sell your data.\nEver.\nFirst\nSecond & last")
    }

    func testWithoutAMainElementTheBodyIsRead() throws {
        let text = try TextExtraction.text(of: Array("<p>One <b>bold</b> claim</p><div>Two</div>".utf8), mediaType: .html)
        XCTAssertEqual(text, "One bold claim\nTwo")
    }

    func testCharsetsAreDecoded() throws {
        let words = "Données personnelles: nous ne vendons pas vos données."
        // Latin-1 named by the page, and UTF-16 with a byte-order mark.
        let latin1 = Array("<html><head><meta charset=\"iso-8859-1\"></head><body><p>".utf8) + words.unicodeScalars.map { UInt8($0.value) }
            + Array("</p></body></html>".utf8)
        XCTAssertEqual(try TextExtraction.text(of: latin1, mediaType: .html), words)
        let utf16 = [UInt8]([0xFF, 0xFE]) + "<html><body><p>\(words)</p></body></html>".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(try TextExtraction.text(of: utf16, mediaType: .html), words)
        XCTAssertEqual(try TextExtraction.text(of: words.unicodeScalars.map { UInt8($0.value) }, mediaType: .plain), words, "Latin-1 plain text")
        XCTAssertEqual(try TextExtraction.text(of: Array(words.utf8), mediaType: .plain, charset: "utf-8"), words)
    }

    func testUnicodeFormAndWhitespaceAreNormalised() throws {
        // "é" decomposed (e + U+0301) and a no-break space become one form and one space.
        let decomposed = "caf\u{65}\u{301}\u{A0}\u{2003} policy\u{200B}"
        XCTAssertEqual(TextExtraction.normalise(decomposed), "caf\u{E9} policy")
        XCTAssertEqual(TextExtraction.normalise("  a \n\t b  "), "a b")
    }

    func testAPageWithoutTextIsRefused() {
        XCTAssertThrowsError(try TextExtraction.text(of: Array("<html><script>x()</script><nav>Menu</nav></html>".utf8), mediaType: .html)) {
            XCTAssertEqual($0 as? TextError, .noText)
        }
    }

    func testDeepNestingDoesNotExhaustTheStack() throws {
        func nested(_ depth: Int) -> [UInt8] {
            Array((String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth)).utf8)
        }
        XCTAssertEqual(try TextExtraction.text(of: nested(200), mediaType: .html), "deep")
        // Past libxml2's depth limit a hostile page is refused with a reason, not a crash.
        XCTAssertThrowsError(try TextExtraction.text(of: nested(20_000), mediaType: .html)) { XCTAssertNotNil($0 as? TextError) }
    }
}

extension TextExtractionTests {
    /// With no charset named anywhere, UTF-8 bytes read as UTF-8 (FORMAT.md §5c, rule 1).
    func testUTF8WithoutADeclaredCharset() throws {
        XCTAssertEqual(try TextExtraction.text(of: Array("<p>Daten für Behörden: „keine“</p>".utf8), mediaType: .html), "Daten für Behörden: „keine“")
    }
}
