import Foundation
import LedgerCore
import LedgerText
import XCTest

/// `disclosure-text/v1` on a real page: two archived versions of https://telegram.org/privacy
/// (Pages/SOURCES.md), whose menus, language list and footer are `div`s and lists, not `nav`.
final class ArchivedPageTests: XCTestCase {
    static func page(_ name: String) throws -> [UInt8] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "html", subdirectory: "Pages"))
        return [UInt8](try Data(contentsOf: url))
    }

    func testOnlyThePolicyTextIsExtracted() throws {
        let text = try TextExtraction.text(of: try Self.page("telegram-privacy-A"), mediaType: .html)
        XCTAssertTrue(text.hasPrefix("Telegram Privacy Policy\n"), String(text.prefix(200)))
        XCTAssertTrue(text.contains("\nTelegram has two fundamental principles when it comes to collecting and processing private data:\n"))
        XCTAssertTrue(text.contains("We don't use your data to show you ads."), "entities decoded")
        for chrome in ["Deutsch", "Беларуская", "Home\n", "is a cloud-based mobile and desktop messaging app with a focus on security and speed", "dropdownClick"] {
            XCTAssertFalse(text.contains(chrome), "\(chrome) is the site's chrome, not the policy")
        }
        XCTAssertEqual(QuoteCheck.check("Telegram has two fundamental  principles when it comes to collecting and processing private data", in: text), .found)
    }

    func testTheSameTextFromLatin1AndUTF16Copies() throws {
        let utf8 = try Self.page("telegram-privacy-A")
        let html = String(decoding: utf8, as: UTF8.self)
        let expected = try TextExtraction.text(of: utf8, mediaType: .html)
        // UTF-16 with a byte-order mark, its <meta charset="utf-8"> notwithstanding.
        let utf16 = [UInt8]([0xFF, 0xFE]) + html.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(try TextExtraction.text(of: utf16, mediaType: .html), expected)
        // Latin-1: the page's Latin-1 characters kept, the others written as character references.
        let latin1Page = html.replacingOccurrences(of: "charset=\"utf-8\"", with: "charset=\"iso-8859-1\"").unicodeScalars.flatMap { s -> [UInt8] in
            s.value < 256 ? [UInt8(s.value)] : Array("&#\(s.value);".utf8)
        }
        XCTAssertEqual(try TextExtraction.text(of: latin1Page, mediaType: .html), expected)
    }
}

extension ArchivedPageTests {
    /// The two archived versions differ in one address of the policy's section 1.4; the diff
    /// names it and nothing else.
    func testTheDiffOfTwoVersionsNamesTheChangedSentence() throws {
        let a = try TextExtraction.text(of: try Self.page("telegram-privacy-A"), mediaType: .html)
        let b = try TextExtraction.text(of: try Self.page("telegram-privacy-B"), mediaType: .html)
        let diff = TextDiff(from: a, to: b)
        XCTAssertEqual(diff.text(context: 5),
                       "…EDPO’s online request form at [-https://edpo.com/gdpr-data-request/-] {+https://edpo.com/telegram-gdpr-data-request/+} or ¶ by writing to…")
    }
}
