import Foundation
import LedgerConcurrency
import XCTest

/// `parallelMap` keeps the order of its input whatever thread maps each item; `Background`
/// hands back what its work returned, an error included, to whoever waits.
final class ParallelTests: XCTestCase {
    struct Failure: Error, Equatable { let value: Int }

    func testParallelMapKeepsOrderAndRunsOnSeveralThreads() {
        let input = Array(0..<10_000)
        final class Threads: @unchecked Sendable {
            let lock = NSLock()
            var seen: Set<String> = []
            func note() { lock.withLock { _ = seen.insert("\(Thread.current)") } }
        }
        let threads = Threads()
        let output = parallelMap(input) { n -> Int in
            threads.note()
            return n * n
        }
        XCTAssertEqual(output, input.map { $0 * $0 })
        XCTAssertEqual(parallelMap([Int](), { $0 }), [])
        XCTAssertEqual(parallelMap([7], { $0 + 1 }), [8])
        if ProcessInfo.processInfo.activeProcessorCount > 1 {
            XCTAssertGreaterThan(threads.seen.count, 1, "more than one thread mapped")
        }
    }

    func testErrorsComeBackAsResultsInOrder() {
        let results = parallelMap(Array(0..<100)) { n in Result<Int, any Error> { if n % 7 == 3 { throw Failure(value: n) }; return n } }
        XCTAssertEqual(results.compactMap { try? $0.get() }.count, 100 - 14)
        let firstError = results.first { (try? $0.get()) == nil }
        XCTAssertThrowsError(try firstError?.get()) { XCTAssertEqual($0 as? Failure, Failure(value: 3), "the first in input order") }
    }

    func testBackgroundHandsBackItsResultOrItsError() throws {
        let work = Background { (1...1000).reduce(0, +) }
        XCTAssertEqual(work.wait(), 500_500)
        let failing = Background { Result<Int, any Error> { throw Failure(value: 9) } }
        XCTAssertThrowsError(try failing.wait().get()) { XCTAssertEqual($0 as? Failure, Failure(value: 9)) }
    }
}
