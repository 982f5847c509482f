import Foundation
import LedgerConcurrency
import XCTest

/// The bounded stage the mirror's pipeline is built from: results in order, never more than
/// `capacity` produced ahead, errors after the items before them, cancellation that stops a
/// stage at once.
final class AheadTests: XCTestCase {
    struct Boom: Error, Equatable {}

    func testItemsComeInOrderAndTheStageStopsAtNil() throws {
        let counter = SharedValue(0)
        let stage = Ahead<Int>(capacity: 3, name: "test") {
            let n = counter.value
            guard n < 100 else { return nil }
            counter.value = n + 1
            return n
        }
        var out: [Int] = []
        while let n = try stage.next() { out.append(n) }
        XCTAssertEqual(out, Array(0..<100))
        XCTAssertNil(try stage.next(), "stays finished")
    }

    func testNoMoreThanCapacityIsProducedAhead() throws {
        let produced = SharedValue(0)
        let stage = Ahead<Int>(capacity: 2, name: "test") {
            produced.value += 1
            return produced.value
        }
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(produced.value, 2, "two ready, none more until taken")
        XCTAssertEqual(try stage.next(), 1)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(produced.value, 3)
        stage.setCapacity(5)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(produced.value, 6, "a larger capacity lets it run further ahead")
        stage.cancelAndWait()
    }

    func testAnErrorComesAfterTheItemsBeforeIt() throws {
        let counter = SharedValue(0)
        let stage = Ahead<Int>(capacity: 4, name: "test") {
            counter.value += 1
            if counter.value == 3 { throw Boom() }
            return counter.value
        }
        XCTAssertEqual(try stage.next(), 1)
        XCTAssertEqual(try stage.next(), 2)
        XCTAssertThrowsError(try stage.next()) { XCTAssertEqual($0 as? Boom, Boom()) }
        XCTAssertEqual(counter.value, 3, "nothing is produced after the error")
    }

    /// A consumer waiting on a stage whose producer hangs is released by cancel, and a stage fed
    /// by a cancelled one ends too.
    func testCancellationReleasesWaitersAndDownstreamStages() throws {
        let gate = NSCondition()
        let upstream = Ahead<Int>(capacity: 1, name: "hanging") {
            gate.lock()
            gate.wait(until: Date().addingTimeInterval(2))  // a request that hangs
            gate.unlock()
            return nil
        }
        let downstream = Ahead<Int>(capacity: 1, name: "fed") { try upstream.next() }
        let started = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { upstream.cancel() }
        XCTAssertNil(try downstream.next())
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "cancel does not wait for the hanging producer")
        downstream.cancelAndWait()
    }
}
