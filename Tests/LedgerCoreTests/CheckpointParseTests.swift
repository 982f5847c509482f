import LedgerCore
import XCTest

/// Checkpoint texts found by the fuzzer or the hardening review.
final class CheckpointParseTests: XCTestCase {
    /// As Characters, "\r\n" is one and "\n" never split it: the origin swallowed a second line.
    func testCarriageReturnsAndHugeSizesAreRefused() {
        let root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        XCTAssertThrowsError(try Checkpoint.parse(text: "origin\r\nsecond\n5\n\(root)\n"))
        XCTAssertThrowsError(try Checkpoint.parse(text: "origin\n5\n\(root)\r\n"))
        XCTAssertThrowsError(try Checkpoint.parse(text: "origin\n9007199254740993\n\(root)\n")) { XCTAssertTrue("\($0)".contains("2^53"), "\($0)") }
        XCTAssertEqual(try Checkpoint.parse(text: "origin\n9007199254740992\n\(root)\n").size, 9_007_199_254_740_992)
        XCTAssertEqual(try Checkpoint.parse(text: "example.org/log\n5\n\(root)\n").origin, "example.org/log")
    }
}
