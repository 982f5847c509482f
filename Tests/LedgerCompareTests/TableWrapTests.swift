@testable import LedgerCompare
import XCTest

/// Tables fitted to a terminal: prose columns narrow and wrap, names and dates never do, every
/// word of a cell is still there, and a table that fits is the unwrapped one byte for byte.
final class TableWrapTests: XCTestCase {
    let rows = [
        ["PLATFORM", "SEQ", "FIGURES", "SUMMARY"],
        ["telegram", "77", "2,461 requests with data produced (law-enforcement, IN, 2024-01-01 to 2024-03-31); "
            + "75 requests with data produced (law-enforcement, BR, 2024-01-01 to 2024-03-31)", "India and Brazil, Q1 2024"],
        ["signal", "-", "-", "(no claim)"],
        ["whatsapp", "-", "-", "(no claim)"],
    ]

    func testATableThatFitsIsTheUnwrappedTable() {
        XCTAssertEqual(Render.table(rows, width: 500, wrapping: [2, 3]), Render.table(rows))
        XCTAssertEqual(Render.table(rows, width: nil, wrapping: [2, 3]), Render.table(rows))
    }

    func testProseColumnsWrapWithinTheWidth() throws {
        let text = Render.table(rows, width: 80, wrapping: [2, 3])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertTrue(lines.allSatisfy { $0.unicodeScalars.count <= 80 }, text)
        // One figure a line: the second starts a line of its own, in the FIGURES column.
        let figures = try XCTUnwrap(text.range(of: "FIGURES")).lowerBound
        let column = text.distance(from: text.startIndex, to: figures)
        let second = try XCTUnwrap(lines.first { $0.contains("75 requests") })
        XCTAssertEqual(second.unicodeScalars.count - second.drop { $0 == " " }.unicodeScalars.count, column, text)
        // Every word is kept, in order; names and dates are not cut.
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        XCTAssertTrue(words.contains("2024-01-01"), text)
        XCTAssertTrue(words.contains("telegram") && words.contains("whatsapp"), text)
        let joined = words.joined(separator: " ")
        XCTAssertTrue(joined.contains("(law-enforcement, IN, 2024-01-01 to 2024-03-31); 75 requests"), joined)
        // The wrapped row is set apart by blank lines; one-line rows stay together.
        XCTAssertTrue(text.contains("\n\nsignal"), text)
        XCTAssertFalse(text.contains("\n\nwhatsapp"), text)
    }

    func testWrappingBreaksAtSpacesAndBetweenLettersAtHyphens() {
        XCTAssertEqual(Render.wrap("discloses data to service-providers if asked", 20),
                       ["discloses data to", "service-providers if", "asked"])
        XCTAssertEqual(Render.wrap("governments 2024-01-01", 16), ["governments", "2024-01-01"])
        XCTAssertEqual(Render.wrap("abcdefghij", 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(Render.wrap("short", 10), ["short"])
        XCTAssertEqual(Render.wrap("a; b", 10), ["a; b"])
        XCTAssertEqual(Render.wrap("first item; second item", 12), ["first item;", "second item"])
    }

    func testOnlyTheWidestProseColumnsNarrow() {
        XCTAssertEqual(Render.narrowed([200, 30, 60], to: 120), [45, 30, 45])
        XCTAssertEqual(Render.narrowed([200, 30], to: 10), [16, 16])
        XCTAssertEqual(Render.narrowed([20, 10], to: 100), [20, 10])
    }
}
