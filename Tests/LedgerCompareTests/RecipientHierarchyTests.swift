import LedgerCompare
import LedgerCore
import XCTest

/// A claim of absence about a recipient is contradicted by a figure for that recipient or a
/// narrower one (law enforcement in India is within governments, within third parties), and
/// by nothing broader or unrelated.
final class RecipientHierarchyTests: XCTestCase {
    typealias Q = Fixture.Q
    let gov = "government-requests", tps = "third-party-sharing"

    func testWithin() {
        for (r, s) in [("law-enforcement-india", "law-enforcement"), ("law-enforcement-india", "governments"),
                       ("law-enforcement-india", "third-parties"), ("courts", "governments"), ("advertisers", "third-parties"),
                       ("governments-us", "governments"), ("governments", "governments")] {
            XCTAssertTrue(RecipientHierarchy.isWithin(r, s), "\(r) within \(s)")
        }
        for (r, s) in [("governments", "law-enforcement"), ("third-parties", "governments"), ("advertisers", "governments"),
                       ("law-enforcement", "law-enforcement-india"), ("law-enforcement-brazil", "law-enforcement-india"),
                       ("lawyers", "law-enforcement"), ("unknown-body", "governments")] {
            XCTAssertFalse(RecipientHierarchy.isWithin(r, s), "\(r) not within \(s)")
        }
    }

    /// Telegram's 2019 "0 bytes of user data to third parties, including governments" against its
    /// own 2024 figure of requests complied with for law enforcement in India.
    func testZeroToThirdPartiesIsContradictedByAFigureForANarrowerRecipient() throws {
        let zero = Fixture.claim(1, try Fixture.statement("telegram", tps, "2019-03-14", [Q(unit: "bytes", value: 0, recipient: "third-parties")],
                                                          recipients: ["third-parties", "governments"]))
        let india = Fixture.claim(6, try Fixture.statement("telegram", gov, "2024-09-30",
                                                           [Q(unit: "requests-complied", value: 2380, recipient: "law-enforcement-india")],
                                                           recipients: ["law-enforcement"]))
        let facts = DisclosureFacts(india)
        XCTAssertTrue(facts.contradicts(DisclosureFacts(zero)))
        // Broader than the claim: a zero about law enforcement in India is not contradicted by a
        // figure for governments in general, nor by another country's.
        let narrowZero = Fixture.claim(2, try Fixture.statement("telegram", tps, "2019-03-14",
                                                                [Q(unit: "bytes", value: 0, recipient: "law-enforcement-india")]))
        let governments = Fixture.claim(7, try Fixture.statement("telegram", gov, "2024-09-30",
                                                                 [Q(unit: "requests-complied", value: 14, recipient: "governments")]))
        let brazil = Fixture.claim(8, try Fixture.statement("telegram", gov, "2024-09-30",
                                                            [Q(unit: "requests-complied", value: 65, recipient: "law-enforcement-brazil")]))
        XCTAssertFalse(DisclosureFacts(governments).contradicts(DisclosureFacts(narrowZero)))
        XCTAssertFalse(DisclosureFacts(brazil).contradicts(DisclosureFacts(narrowZero)))
        XCTAssertTrue(facts.contradicts(DisclosureFacts(narrowZero)))
        // An unrelated recipient: advertisers are third parties but not governments.
        let adsZero = Fixture.claim(3, try Fixture.statement("telegram", tps, "2019-03-14", [Q(unit: "bytes", value: 0, recipient: "advertisers")]))
        XCTAssertFalse(facts.contradicts(DisclosureFacts(adsZero)))
    }
}
