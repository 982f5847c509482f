import LedgerCore
import XCTest

/// Framing of what a source serves to mirrors: entry bundles (uint16 length + leaf) and the
/// bodies stream (one line per entry, empty when withheld). Every mis-framing is refused.
final class EntryBundleTests: XCTestCase {
    func bundle(_ leaves: [[UInt8]]) -> [UInt8] {
        leaves.flatMap { [UInt8($0.count >> 8), UInt8($0.count & 0xFF)] + $0 }
    }

    func testLeavesRoundTripAndEveryTruncationIsRefused() throws {
        let leaves = (0..<5).map { Array("{\"seq\":\($0),\"pad\":\"\(String(repeating: "x", count: 300 * $0))\"}".utf8) }
        let bytes = bundle(leaves)
        XCTAssertEqual(try EntryBundle.leaves(bytes, expected: 5), leaves)
        XCTAssertEqual(try EntryBundle.leaves([], expected: 0), [])
        for cut in 1..<bytes.count {
            // A prefix is either refused, or (cut on a leaf boundary) holds too few leaves.
            XCTAssertThrowsError(try EntryBundle.leaves(Array(bytes[0..<cut]), expected: 5), "cut at \(cut)")
        }
        XCTAssertThrowsError(try EntryBundle.leaves(bytes, expected: 4)) { XCTAssertTrue("\($0)".contains("holds 5 leaves, expected 4"), "\($0)") }
        XCTAssertThrowsError(try EntryBundle.leaves(bytes + [0], expected: 5)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
        XCTAssertThrowsError(try EntryBundle.leaves([0, 0], expected: 1), "a zero-length leaf")
    }

    func testBodiesStream() throws {
        let text = Array("{\"a\":1}\n\n{\"b\":2}\n".utf8)
        XCTAssertEqual(try EntryBundle.bodies(text, expected: 3), [Array("{\"a\":1}".utf8), nil, Array("{\"b\":2}".utf8)])
        XCTAssertThrowsError(try EntryBundle.bodies(text, expected: 2)) { XCTAssertTrue("\($0)".contains("3 lines, expected 2"), "\($0)") }
        XCTAssertThrowsError(try EntryBundle.bodies(Array(text.dropLast()), expected: 3)) { XCTAssertTrue("\($0)".contains("newline"), "\($0)") }
        XCTAssertEqual(try EntryBundle.bodies([], expected: 0), [])
    }
}
