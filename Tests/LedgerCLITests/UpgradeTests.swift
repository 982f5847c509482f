import Foundation
import XCTest

/// A ledger written before the links tables existed (migration v1 only) still reads, audits,
/// and after `ledger upgrade` compares with its corrections resolved.
final class UpgradeTests: XCTestCase {
    func testAnOlderLedgerIsUpgradedFromItsBodies() throws {
        let s = try Sandbox()
        try s.setUp()
        let first = try s.add(statementJSON("whatsapp", "government-requests", "2020-06-30", quantities: [qty("bytes", 0)]))
        let amendment = try s.add(statementJSON("whatsapp", "government-requests", "2020-06-30", quantities: [qty("bytes", 10)],
                                                supersedes: (first.seq, first.leaf, "amendment")))
        // Back to what an older `ledger` wrote: no v2 tables, index or migration row.
        try s.sqlite("""
            DROP TRIGGER links_no_update; DROP TRIGGER links_no_delete; DROP TRIGGER zero_claims_no_update; DROP TRIGGER zero_claims_no_delete;
            DROP TABLE links; DROP TABLE zero_claims; DROP INDEX entries_signer; DELETE FROM grdb_migrations WHERE identifier = 'v2';
            """)
        XCTAssertEqual(try s.verify().status, 0)
        let refused = try s.ledger("compare")
        XCTAssertEqual(refused.status, 1)
        XCTAssertEqual(refused.stderr, "ledger: ledger/ledger.sqlite was written by an older ledger without the links tables; run `ledger upgrade` once\n")
        XCTAssertEqual(try s.ok("upgrade"), "ledger/ledger.sqlite: up to date\n")
        XCTAssertEqual(try s.sqlite("SELECT seq, target, kind, signer FROM links").stdout, "\(amendment.seq)|\(first.seq)|amendment|alice\n")
        XCTAssertEqual(try s.sqlite("SELECT seq FROM zero_claims").stdout, "\(first.seq)\n")
        let json = try s.json("compare", "--as-of", "2021-01-01", "--format", "json", "--category", "government-requests")
        let cell = try XCTUnwrap((json["cells"] as? [[String: Any]])?.first)
        XCTAssertEqual((cell["claim"] as? [String: Any])?["seq"] as? Int, amendment.seq)
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// A ledger from before `disclosures` (revision 5's migration `v10-disclosures`): a page of
    /// its history, read-only, decodes every claim instead and gives the same events;
    /// `ledger upgrade` fills the table from the bodies as the appender would have.
    func testALedgerWithoutDisclosuresPagesItsHistoryAndIsUpgraded() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.add(statementJSON("telegram", "third-party-sharing", "2019-01-01", quantities: [qty("bytes", 0, "governments")], recipients: ["governments"]))
        for year in 2019...2023 {
            try s.add(statementJSON("telegram", "government-requests", "\(year)-06-30", quantities: [qty("requests-complied", year - 2018, "governments")]))
        }
        let page = try s.ok("history", "telegram", "--latest", "--limit", "2", "--format", "json")
        let rows = try s.sqlite("SELECT seq, scopes FROM disclosures ORDER BY seq").stdout
        XCTAssertEqual(rows.split(separator: "\n").count, 5)
        try s.sqlite("DROP TABLE disclosures; DELETE FROM grdb_migrations WHERE identifier = 'v10-disclosures'")
        try s.sqlite("PRAGMA journal_mode = DELETE")
        XCTAssertEqual(try s.verify().status, 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: s.ledgerPath)
        XCTAssertEqual(try s.ok("history", "telegram", "--latest", "--limit", "2", "--format", "json"), page, "the same page, read-only")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: s.ledgerPath)
        XCTAssertEqual(try s.ok("upgrade"), "ledger/ledger.sqlite: up to date\n")
        XCTAssertEqual(try s.sqlite("SELECT seq, scopes FROM disclosures ORDER BY seq").stdout, rows)
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// A file a newer ledger wrote (a schema revision this build does not know) is read but never
    /// written: a write would leave the newer derived tables without this entry's rows.
    func testAFileFromANewerLedgerIsReadButNotWritten() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.add(statementJSON("telegram", "government-requests", "2021-06-30", quantities: [qty("requests-complied", 5, "governments")]))
        try s.sqlite("INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')")
        try s.write("more.json", statementJSON("telegram", "government-requests", "2022-06-30"))
        let before = try s.contentFingerprint()
        for args in [["append", "--key", "keys/alice.key", "more.json"], ["upgrade"]] {
            let refused = try s.ledger(args)
            XCTAssertNotEqual(refused.status, 0, "\(args)")
            XCTAssertEqual(refused.stderr, "ledger: ledger/ledger.sqlite was written by a newer ledger (schema v99-future); this one reads it but does not write to it: use the newer ledger\n")
        }
        XCTAssertEqual(try s.contentFingerprint(), before, "nothing written")
        XCTAssertTrue(try s.ok("history", "telegram").contains("5 requests"))
        XCTAssertEqual(try s.verify().status, 0)
    }
}
