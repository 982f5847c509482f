import Foundation
import LedgerConcurrency
import XCTest

/// `ChunkPipeline`: results come back in the order the chunks were added, whichever thread
/// mapped them; the first error is thrown; no chunk at all gives no result.
final class ChunkPipelineTests: XCTestCase {
    struct Odd: Error, Equatable { let value: Int }

    func testResultsKeepTheOrderOfTheChunks() throws {
        let pipeline = ChunkPipeline<Int, String> { n in
            if n % 97 == 0 { usleep(200) }  // uneven work, so both threads take chunks out of turn
            return String(n * 2)
        }
        let input = Array(0..<10_000)
        for start in stride(from: 0, to: input.count, by: 37) { pipeline.add(Array(input[start..<min(start + 37, input.count)])) }
        XCTAssertEqual(try pipeline.finish(), input.map { String($0 * 2) })
    }

    func testAnErrorIsThrownFromFinish() {
        let pipeline = ChunkPipeline<Int, Int> { n in
            if n == 4_321 { throw Odd(value: n) }
            return n
        }
        for start in stride(from: 0, to: 10_000, by: 100) { pipeline.add(Array(start..<start + 100)) }
        XCTAssertThrowsError(try pipeline.finish()) { XCTAssertEqual($0 as? Odd, Odd(value: 4_321)) }
    }

    func testNoChunksGiveNoResults() throws {
        XCTAssertEqual(try ChunkPipeline<Int, Int> { $0 }.finish(), [])
    }
}
