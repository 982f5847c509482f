import LedgerCompare
import LedgerCore
import XCTest

/// Builds statements and claims for pure tests: only what a test names differs from a default.
enum Fixture {
    struct Q {
        let unit: String
        let value: Int
        var recipient: String? = nil
        var dataKind: String? = nil
    }

    static func statement(_ platform: String, _ category: String, _ date: String, _ quantities: [Q] = [],
                          recipients: [String] = [], dataKinds: [String] = [], period: (String, String)? = nil,
                          summary: String = "s", quote: String = "q") throws -> Statement {
        var members = [
            #""schema":"disclosure-statement/v1""#, #""platform":"\#(platform)""#, #""category":"\#(category)""#,
            #""effective_date":"\#(date)""#, #""summary":"\#(summary)""#, #""quote":"\#(quote)""#, #""language":"en""#,
            #""source":{"url":"https://example.org/\#(date)","retrieved_at":"2024-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"}"#,
        ]
        if !quantities.isEmpty {
            let qs = quantities.map { q in
                "{\"unit\":\"\(q.unit)\",\"value\":\(q.value)" + (q.recipient.map { ",\"recipient\":\"\($0)\"" } ?? "")
                    + (q.dataKind.map { ",\"data_kind\":\"\($0)\"" } ?? "") + "}"
            }
            members.append("\"quantities\":[\(qs.joined(separator: ","))]")
        }
        if !recipients.isEmpty { members.append("\"recipients\":[\(recipients.map { "\"\($0)\"" }.joined(separator: ","))]") }
        if !dataKinds.isEmpty { members.append("\"data_kinds\":[\(dataKinds.map { "\"\($0)\"" }.joined(separator: ","))]") }
        if let period { members.append("\"period\":{\"start\":\"\(period.0)\",\"end\":\"\(period.1)\"}") }
        let body = try Body(parsing: Array("{\(members.joined(separator: ","))}".utf8))
        return try XCTUnwrap(body.statement)
    }

    static func claim(_ seq: Int64, _ s: Statement, signer: String = "alice", supersededBy: Claim.Correction? = nil,
                      corrects: Claim.Correction? = nil, endorsements: Int = 0, disputes: Int = 0) -> Claim {
        Claim(seq: seq, signer: signer, appendedAt: "2026-01-01T00:00:00.000Z", platform: s.platform, category: s.category.rawValue,
              effectiveDate: s.published.description, statement: s, supersededBy: supersededBy, corrects: corrects,
              endorsements: endorsements, disputes: disputes)
    }
}
