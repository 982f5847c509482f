import Foundation
import GRDB
import LedgerCore
import LedgerCrypto
import LedgerStorage
@testable import LedgerVerifier
import XCTest

/// The audit's count of derived rows (no row that no entry accounts for). A mirror's batch
/// audit counts only the rows from the size its previous batch verified, in the same write
/// transaction; a new transaction, or a withhold notice, counts whole tables again.
final class DerivedRowCountTests: XCTestCase {
    func testCountsFromTheLastVerifiedSizeAndWholeTablesOtherwise() throws {
        let scratch = try ScratchLedger("counts")
        defer { try? FileManager.default.removeItem(at: scratch.dir) }
        for i in 0..<3 {
            try scratch.store.append([try PendingEntry.sign(try ForcedEntryTests.statement(i), origin: .generated("s\(i)"),
                                                            signer: "log", key: scratch.logKey)], logKey: scratch.logKey)
        }
        var replay = LinkReplay()
        replay.tablesPresent = true
        replay.searchPresent = true
        replay.searchRows = 3
        try scratch.store.snapshot { try replay.finish(reader: $0, size: 3) }
        XCTAssertEqual(replay.counted?.size, 3)
        XCTAssertEqual(replay.counted?.rows["search"], 3)
        XCTAssertEqual(replay.counted?.rows["links"], 0)

        let file = try DatabaseQueue(path: scratch.dir.appendingPathComponent("l.sqlite").path)
        // A row past the verified size, which no entry accounts for: the range count finds it.
        try file.write { try $0.execute(sql: "INSERT INTO search(rowid, platform, category, recipients, text) VALUES (7, 'p', 'c', '', 'forged')") }
        var next = replay
        XCTAssertThrowsError(try scratch.store.snapshot { try next.finish(reader: $0, size: 3) }) {
            XCTAssertTrue("\($0)".contains("the search table holds 4 rows, but the signed bodies account for 3"), "\($0)")
        }
        // A row removed below it is not what the range count reads: a batch in a new write
        // transaction (`enteringTransaction`) counts the whole table and finds it.
        try file.write {
            try $0.execute(sql: "DELETE FROM search WHERE rowid = 7")
            try $0.execute(sql: "DELETE FROM search WHERE rowid = 1")
        }
        next = replay
        XCTAssertNoThrow(try scratch.store.snapshot { try next.finish(reader: $0, size: 3) })
        next = LinkHistory(size: 3, replay: replay).enteringTransaction.replay
        XCTAssertNil(next.counted)
        XCTAssertThrowsError(try scratch.store.snapshot { try next.finish(reader: $0, size: 3) }) {
            XCTAssertTrue("\($0)".contains("the search table holds 2 rows, but the signed bodies account for 3"), "\($0)")
        }
    }
}
