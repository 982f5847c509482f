import Foundation
import XCTest

/// What the mirror tests share: a source ledger to serve, and readings of a copy.
extension XCTestCase {
    func mirrorJSON(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// A source ledger: signer alice at seq 0 (checkpoint 1), then `statements` at seq i + 1,
    /// appended with a checkpoint every `every` entries.
    func source(_ statements: Range<Int>, every: Int = 7) throws -> Sandbox {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", "--batch-size", "\(every)", stdin: statementLines(statements))
        return s
    }

    func verifyJSON(_ s: Sandbox, logKey: String) throws -> [String: Any] {
        let r = try s.verify("--log-key", logKey, "--json")
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        return try mirrorJSON(r.stdout)
    }

    func evidence(_ m: Sandbox) throws -> [String] {
        try m.sqlite("SELECT kind FROM mirror_evidence ORDER BY id").stdout.split(separator: "\n").map(String.init)
    }
}
