import Foundation
import LedgerCompare
import LedgerCore
import LedgerTestSupport
import XCTest

final class HistoryTests: XCTestCase {
    typealias Q = Fixture.Q
    let gov = "government-requests"

    func testChangesBetweenConsecutiveLiveClaims() throws {
        let a = Fixture.claim(1, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 100)], recipients: ["governments"]))
        let b = Fixture.claim(2, try Fixture.statement("wa", gov, "2021-06-30", [Q(unit: "requests-received", value: 150), Q(unit: "requests-complied", value: 20)],
                                                       dataKinds: ["ip-address"], period: ("2021-01-01", "2021-06-30")))
        let h = History(platform: "wa", category: nil, claims: [b, a])
        XCTAssertEqual(h.events.map(\.claim.seq), [1, 2], "oldest first")
        XCTAssertNil(h.events[0].changes)
        let c = try XCTUnwrap(h.events[1].changes)
        XCTAssertEqual(c.sinceSeq, 1)
        XCTAssertEqual(c.added, ["data_kinds", "period"])
        XCTAssertEqual(c.removed, ["recipients"])
        XCTAssertEqual(c.changed, ["figures", "source.url"])
        // A figure at a date against one over a half-year: not comparable, and not shown as a change.
        XCTAssertEqual(c.figureDeltas, [])
        XCTAssertEqual(c.notComparable.map(\.text), ["requests-received (periods differ)", "requests-with-data-produced (only after)"])
        // The same period length: compared, the change in words.
        let d = Fixture.claim(3, try Fixture.statement("wa", gov, "2022-06-30", [Q(unit: "requests-received", value: 2461), Q(unit: "requests-complied", value: 20)],
                                                       dataKinds: ["ip-address"], period: ("2022-01-01", "2022-06-30")))
        let e = try XCTUnwrap(History(platform: "wa", category: nil, claims: [a, b, d]).events[2].changes)
        XCTAssertEqual(e.figureDeltas.map(\.text), ["requests-received: 150 -> 2,461, up 2,311"])
        XCTAssertEqual(e.figureDeltas.last?.delta, 2311)
        XCTAssertEqual(e.notComparable, [])
    }

    /// Lists compare as sets (order does not count), a figure on one side only is not comparable
    /// (never a change to or from nothing), and unchanged keys give no delta; figures of
    /// different recipients (and so jurisdictions) are separate keys.
    /// A page cut from a whole history (`page`), what the static platform page shows, and a
    /// page built with `only` (what the query builds) hold the same events, and name the next.
    func testAPageCutFromTheWholeEqualsAPageBuiltAlone() throws {
        let claims = try (1...7).map { i in
            Fixture.claim(Int64(i), try Fixture.statement("wa", gov, "202\(i)-06-30", [Q(unit: "requests-received", value: 100 * i)]))
        }
        let whole = History(platform: "wa", category: nil, claims: claims)
        let newest = whole.page(.newest(before: nil, limit: 3))
        XCTAssertEqual(newest.events.map(\.claim.seq), [5, 6, 7])
        XCTAssertEqual(newest.next, .newest(before: TimelineCursor(effectiveDate: "2025-06-30", seq: 5), limit: 3))
        let older = whole.page(newest.next ?? .all)
        XCTAssertEqual(older.events.map(\.claim.seq), [2, 3, 4])
        XCTAssertEqual(whole.page(.oldest(after: TimelineCursor(effectiveDate: "2026-06-30", seq: 6), limit: 3)).events.map(\.claim.seq), [7])
        XCTAssertNil(whole.page(.oldest(after: TimelineCursor(effectiveDate: "2026-06-30", seq: 6), limit: 3)).next)
        // Built alone from the page's claims and the one its first change is measured against.
        let alone = History(platform: "wa", category: nil, claims: Array(claims[3...]), only: [5, 6, 7])
        XCTAssertEqual(alone.events.map(\.claim.seq), newest.events.map(\.claim.seq))
        XCTAssertEqual(alone.events.map(\.changes), newest.events.map(\.changes))
        XCTAssertEqual(whole.page(.entry(4)).events.map(\.claim.seq), [4])
    }

    func testChangesCompareListsAsSetsAndRemovedFigures() throws {
        let a = Fixture.claim(1, try Fixture.statement("wa", gov, "2020-06-30", [
            Q(unit: "requests-received", value: 100), Q(unit: "requests-complied", value: 5, recipient: "law-enforcement"),
            Q(unit: "requests-complied", value: 9, recipient: "governments"), Q(unit: "accounts-affected", value: 3),
        ], recipients: ["governments", "law-enforcement"], dataKinds: ["ip-address", "contacts"]))
        let b = Fixture.claim(2, try Fixture.statement("wa", gov, "2021-06-30", [
            Q(unit: "requests-complied", value: 9, recipient: "governments"), Q(unit: "requests-received", value: 100),
            Q(unit: "requests-complied", value: 6, recipient: "law-enforcement"),
        ], recipients: ["law-enforcement", "governments"], dataKinds: ["contacts", "ip-address"]))
        let c = try XCTUnwrap(History(platform: "wa", category: nil, claims: [a, b]).events[1].changes)
        XCTAssertEqual(c.added, [])
        XCTAssertEqual(c.removed, [])
        XCTAssertEqual(c.changed, ["figures", "source.url"], "recipients and data kinds in another order are the same")
        XCTAssertEqual(c.figureDeltas.map(\.text), ["requests-with-data-produced@law-enforcement: 5 -> 6, up 1"])
        XCTAssertEqual(c.notComparable.map(\.text), ["accounts-affected (only before)"])
        // The same figures in another order: no quantity change at all.
        let d = Fixture.claim(3, try Fixture.statement("wa", gov, "2022-06-30", [
            Q(unit: "requests-complied", value: 6, recipient: "law-enforcement"), Q(unit: "requests-received", value: 100),
            Q(unit: "requests-complied", value: 9, recipient: "governments"),
        ], recipients: ["governments", "law-enforcement"], dataKinds: ["ip-address", "contacts"]))
        let e = try XCTUnwrap(History(platform: "wa", category: nil, claims: [a, b, d]).events[2].changes)
        XCTAssertEqual(e.changed, ["source.url"])
        XCTAssertEqual(e.figureDeltas, [])
    }

    func testStatusesOfCorrections() throws {
        let orig = Fixture.claim(1, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 100)]),
                                 supersededBy: .init(seq: 3, kind: .amendment))
        let amend = Fixture.claim(3, try Fixture.statement("wa", gov, "2020-06-30", [Q(unit: "requests-received", value: 90)]),
                                  corrects: .init(seq: 1, kind: .amendment))
        let gone = Fixture.claim(4, try Fixture.statement("wa", "encryption", "2020-01-01"), supersededBy: .init(seq: 5, kind: .retraction))
        let retraction = Fixture.claim(5, try Fixture.statement("wa", "encryption", "2020-01-01", summary: "withdrawn"),
                                       corrects: .init(seq: 4, kind: .retraction))
        let h = History(platform: "wa", category: nil, claims: [orig, amend, gone, retraction])
        XCTAssertEqual(h.events.map(\.status), [.retracted(by: 5), .retraction(of: 4), .amended(by: 3), .live])
        let amended = try XCTUnwrap(h.events.last?.changes)
        XCTAssertEqual(amended.sinceSeq, 1, "an amendment shows what it corrected")
        XCTAssertEqual(amended.figureDeltas.first?.delta, -10)
    }

    func testSamePeriodConflictAndZeroContradiction() throws {
        let a = Fixture.claim(1, try Fixture.statement("tg", gov, "2022-07-01", [Q(unit: "requests-complied", value: 0)], period: ("2022-01-01", "2022-06-30")))
        let b = Fixture.claim(2, try Fixture.statement("tg", gov, "2022-09-01", [Q(unit: "requests-complied", value: 7)], period: ("2022-01-01", "2022-06-30")),
                              signer: "bob", endorsements: 2, disputes: 1)
        let h = History(platform: "tg", category: gov, claims: [a, b])
        XCTAssertEqual(h.events[0].marks, [Mark(.conflict, [2]), Mark(.contradictedBy, [2])])
        XCTAssertEqual(h.events[1].marks, [Mark(.conflict, [1]), Mark(.contradicts, [1])])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(h.render(.json).utf8)) as? [String: Any])
        let events = try XCTUnwrap(json["events"] as? [[String: Any]])
        XCTAssertEqual(events.count, 2)
        XCTAssertEqual((events[1]["claim"] as? [String: Any])?["endorsements"] as? Int, 2)
        let deltas = try XCTUnwrap((events[1]["changes"] as? [String: Any])?["figure_deltas"] as? [[String: Any]])
        XCTAssertEqual(deltas.first?["delta"] as? Int, 7)
        let csv = parseCSV(h.render(.csv))
        XCTAssertEqual(csv.count, 3)
        XCTAssertEqual(csv[0].count, 14)
        XCTAssertTrue(csv.allSatisfy { $0.count == 14 })
        XCTAssertEqual(csv[2][8], "conflict:1 contradicts:1")
        XCTAssertEqual(h.render(.markdown).split(separator: "\n").filter { $0.hasPrefix("|") }.count, 4)
    }

    func testOnlyTheFirstLaterFigureIsPairedWithAZeroClaim() throws {
        let zero = Fixture.claim(1, try Fixture.statement("tg", "third-party-sharing", "2019-03-14", [Q(unit: "bytes", value: 0)], recipients: ["governments"]))
        let received = Fixture.claim(2, try Fixture.statement("tg", gov, "2020-01-01", [Q(unit: "requests-received", value: 9)]))
        let first = Fixture.claim(3, try Fixture.statement("tg", gov, "2021-01-01", [Q(unit: "requests-complied", value: 3, recipient: "governments")]))
        let second = Fixture.claim(4, try Fixture.statement("tg", gov, "2022-01-01", [Q(unit: "requests-complied", value: 4, recipient: "governments")]))
        let h = History(platform: "tg", category: nil, claims: [zero, received, first, second])
        XCTAssertEqual(h.events.map(\.marks), [[Mark(.contradictedBy, [3])], [], [Mark(.contradicts, [1])], []])
    }
}
