import LedgerText
import XCTest

/// Word-level diffs of two versions of a page's text.
final class TextDiffTests: XCTestCase {
    func testTheChangedWordsAreNamedWithTheirContext() {
        let old = "8.3. Law Enforcement Authorities\nWe may disclose your IP address and phone number to the relevant authorities. So far, this has never happened."
        let new = "8.3. Law Enforcement Authorities\nWe may disclose your IP address and phone number to the relevant judicial authorities."
        let diff = TextDiff(from: old, to: new)
        XCTAssertFalse(diff.isEmpty)
        XCTAssertEqual(diff.counts.removed, 6)
        XCTAssertEqual(diff.counts.added, 1)
        XCTAssertEqual(diff.text(context: 4), "…number to the relevant {+judicial+} authorities.\nauthorities. [-So far, this has never happened.-]")
    }

    func testParagraphBreaksCountAndEqualTextsHaveNoChanges() {
        XCTAssertTrue(TextDiff(from: "a b\nc", to: "a b\nc").isEmpty)
        XCTAssertEqual(TextDiff(from: "a b\nc d", to: "a b c d").text(), "a b [-¶-] c d")
        XCTAssertEqual(TextDiff(from: "", to: "new text").text(), "{+new text+}")
    }
}
