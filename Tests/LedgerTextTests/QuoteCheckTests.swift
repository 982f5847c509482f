import LedgerText
import XCTest

/// A quote is checked against an archived page's text as `disclosure-text/v1` normalises both.
final class QuoteCheckTests: XCTestCase {
    let text = """
        8.3. Law Enforcement Authorities
        If Telegram receives a court order that confirms you're a terror suspect, we may disclose your IP address and phone number to the relevant authorities. So far, this has never happened.
        """

    func testAnExactQuoteIsFound() {
        XCTAssertEqual(QuoteCheck.check("we may disclose your IP address and phone number to the relevant authorities.", in: text), .found)
    }

    func testSpacingAndUnicodeFormDoNotMatter() {
        // Line breaks and runs of spaces, a no-break space, and "é" decomposed, on either side.
        XCTAssertEqual(QuoteCheck.check("So far,\n  this\u{A0}has never happened.", in: text), .found)
        XCTAssertEqual(QuoteCheck.check("Authorities If Telegram", in: text), .found, "a quote across a line break of the text")
        XCTAssertEqual(QuoteCheck.check("caf\u{65}\u{301} policy", in: "The caf\u{E9} policy applies."), .found)
    }

    func testAParaphraseIsRefusedWithTheNearestPassage() {
        let outcome = QuoteCheck.check("we might hand over your IP address and phone number to the authorities", in: text)
        guard case .notFound(let nearest?) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(nearest.contains("IP address and phone number to the relevant"), nearest)
        XCTAssertEqual(QuoteCheck.check("Nothing in common here", in: text), .notFound(nearest: nil))
    }

    func testWordsAndPunctuationStillCount() {
        XCTAssertNotEqual(QuoteCheck.check("we may disclose your IP address and phone number to authorities.", in: text), .found)
        XCTAssertNotEqual(QuoteCheck.check("So far this has never happened.", in: text), .found, "a comma dropped is a different quote")
    }
}
