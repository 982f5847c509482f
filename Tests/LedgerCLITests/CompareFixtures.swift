import Foundation
import XCTest

/// A statement document for CLI tests; only what a test names differs.
func statementJSON(_ platform: String, _ category: String, _ date: String, quantities: [String] = [], recipients: [String] = [],
                   period: (String, String)? = nil, supersedes: (seq: Int, leaf: String, kind: String)? = nil,
                   summary: String = "a claim", unit: String? = nil) -> String {
    var m = [#""schema":"disclosure-statement/v1""#, #""platform":"\#(platform)""#, #""category":"\#(category)""#,
             #""effective_date":"\#(date)""#, #""summary":"\#(summary)""#, #""quote":"\#(summary) (\#(date))""#, #""language":"en""#,
             #""source":{"url":"https://example.org/\#(platform)/\#(date)","retrieved_at":"2024-01-01T00:00:00Z","sha256":"\#(String(repeating: "0", count: 64))"}"#]
    if !quantities.isEmpty { m.append("\"quantities\":[\(quantities.joined(separator: ","))]") }
    if !recipients.isEmpty { m.append("\"recipients\":[\(recipients.map { "\"\($0)\"" }.joined(separator: ","))]") }
    if let period { m.append("\"period\":{\"start\":\"\(period.0)\",\"end\":\"\(period.1)\"}") }
    if let s = supersedes { m.append("\"supersedes\":{\"seq\":\(s.seq),\"leaf_hash\":\"\(s.leaf)\",\"kind\":\"\(s.kind)\"}") }
    return "{\(m.joined(separator: ","))}"
}

/// `{"unit":U,"value":V[,"recipient":R]}`
func qty(_ unit: String, _ value: Int, _ recipient: String? = nil) -> String {
    "{\"unit\":\"\(unit)\",\"value\":\(value)" + (recipient.map { ",\"recipient\":\"\($0)\"" } ?? "") + "}"
}

func responseJSON(_ seq: Int, _ leaf: String, _ stance: String, reason: String = "checked against the report") -> String {
    #"{"schema":"disclosure-response/v1","target":{"seq":\#(seq),"leaf_hash":"\#(leaf)"},"stance":"\#(stance)","reason":"\#(reason)","source":{"url":"https://example.org/evidence/\#(seq)","retrieved_at":"2024-02-01T00:00:00Z","sha256":"\#(String(repeating: "1", count: 64))"},"language":"en"}"#
}

extension Sandbox {
    /// Appends one document signed by `signer`; returns its seq and leaf hash.
    @discardableResult
    func add(_ json: String, as signer: String = "alice", file: StaticString = #filePath, line: UInt = #line) throws -> (seq: Int, leaf: String) {
        let name = "doc-\(UUID().uuidString.prefix(8)).json"
        try write(name, json)
        let out = try ok("append", "--key", "keys/\(signer).key", name, file: file, line: line)
        let parts = out.split(separator: " ")
        guard parts.count == 2, let seq = Int(parts[0]) else {
            XCTFail("unexpected append output: \(out)", file: file, line: line)
            return (-1, "")
        }
        return (seq, parts[1].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func addSigner(_ name: String) throws {
        try ok("keygen", name)
        try ok("signer", "add", name, "keys/\(name).pub")
    }

    func json(_ args: String...) throws -> [String: Any] {
        let r = try run("ledger", args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
    }
}

extension Sandbox {
    /// Like `fingerprint()`, but an empty WAL counts as no WAL: a read-only command (such as
    /// `statement check`) may leave SQLite's empty -wal/-shm files behind without writing anything.
    func contentFingerprint() throws -> String {
        let wal = FileManager.default.contents(atPath: ledgerPath + "-wal") ?? Data()
        return "wal:\(wal.count):\(wal.hashValue) " + (try run("/usr/bin/sha256sum", [ledgerPath]).stdout)
    }
}
