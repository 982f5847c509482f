import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import XCTest

/// What mirrors read besides tiles: `GET /v1/bodies` and `GET /v1/checkpoints`; and the
/// read-only service a mirror runs.
final class ReplicationRouteTests: XCTestCase {
    func testBodiesStreamHoldsEachStoredBodyAndBlankLinesForWithheldOnes() async throws {
        let f = try ServerFixture(statements: 4)
        let store = try LedgerStore(path: f.path)
        try store.withhold(seq: f.statementSeqs[1], reason: "court order", logKey: f.logKey)
        let size = try store.size()
        let stored = try (0..<size).map { try store.entry(seq: $0).body }
        try store.close()
        try await f.app(try f.backend()).test(.router) { client in
            let all = try await client.execute(uri: "/v1/bodies?from=0&count=\(size)", method: .get)
            XCTAssertEqual(all.status, .ok)
            XCTAssertEqual(all.headers[.contentType], "application/x-ndjson")
            let lines = try EntryBundle.bodies(Array(all.body.readableBytesView), expected: Int(size))
            XCTAssertEqual(lines, stored)
            XCTAssertNil(lines[Int(f.statementSeqs[1])], "a withheld body is an empty line")
            XCTAssertEqual(lines.filter { $0 == nil }.count, 1)
            // A window, and the default count refused past the checkpoint.
            let window = try await client.execute(uri: "/v1/bodies?from=3&count=2", method: .get)
            XCTAssertEqual(try EntryBundle.bodies(Array(window.body.readableBytesView), expected: 2), Array(stored[3..<5]))
            for (uri, status, code) in [
                ("/v1/bodies?from=0", HTTPResponse.Status.badRequest, "bad_range"),
                ("/v1/bodies?from=\(size)&count=1", .badRequest, "bad_range"),
                ("/v1/bodies?from=9223372036854775807&count=1", .badRequest, "bad_range"),   // no overflow trap
                ("/v1/bodies?count=2", .badRequest, "bad_parameter"),
                ("/v1/bodies?from=0&count=0", .badRequest, "bad_parameter"),
                ("/v1/bodies?from=0&count=4097", .badRequest, "bad_parameter"),
                ("/v1/bodies?from=-1&count=2", .badRequest, "bad_parameter"),
                ("/v1/bodies?from=x&count=2", .badRequest, "bad_parameter"),
            ] {
                try await client.execute(uri: uri, method: .get).assertError(status, code)
            }
        }
    }

    func testCheckpointListingAscendingDescendingAndRefusals() async throws {
        let f = try ServerFixture(statements: 3)
        let key = try f.logVerifierKey
        try await f.app(try f.backend()).test(.router) { client in
            // One checkpoint per append: sizes 0 (creation), 1, 2, ... 6.
            let all = try await client.execute(uri: "/v1/checkpoints", method: .get)
            XCTAssertEqual(all.status, .ok)
            guard case .array(let items)? = try all.json["checkpoints"] else { return XCTFail(all.text) }
            let sizes: [Int64] = items.compactMap { if case .integer(let n)? = $0["size"] { return n } else { return nil } }
            XCTAssertEqual(sizes, Array(0...6))
            for item in items {
                guard case .string(let note)? = item["note"], case .integer(let size)? = item["size"] else { return XCTFail() }
                XCTAssertEqual(try Checkpoint.open(Array(note.utf8), logKey: key).checkpoint.size, size)
            }
            let last = try await client.execute(uri: "/v1/checkpoints?from=2&to=4&order=desc&limit=1", method: .get)
            guard case .array(let one)? = try last.json["checkpoints"] else { return XCTFail(last.text) }
            XCTAssertEqual(one.count, 1)
            XCTAssertEqual(one.first?["size"], .integer(4))
            let none = try await client.execute(uri: "/v1/checkpoints?from=7&to=9", method: .get)
            XCTAssertEqual(none.text, "{\"checkpoints\":[]}\n")
            for (uri, code) in [("/v1/checkpoints?from=5&to=2", "bad_range"), ("/v1/checkpoints?order=sideways", "bad_parameter"),
                                ("/v1/checkpoints?limit=0", "bad_parameter"), ("/v1/checkpoints?limit=1001", "bad_parameter")] {
                try await client.execute(uri: uri, method: .get).assertError(.badRequest, code)
            }
        }
    }

    /// Without the log key the service reads but refuses every write, and writes nothing.
    func testReadOnlyServiceRefusesAppendsAndCosignatures() async throws {
        let f = try ServerFixture(statements: 2)
        let backend = try f.backend(readOnly: true)
        let before = try f.fingerprint()
        try await f.app(backend).test(.router) { client in
            let append = try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(10))
            try append.assertError(.methodNotAllowed, "method_not_allowed")
            XCTAssertTrue(append.text.contains("is read-only (a mirror, or started with --read-only)"), append.text)
            let note = try await client.execute(uri: "/checkpoint", method: .get)
            XCTAssertEqual(note.status, .ok)
            try await client.execute(uri: "/v1/cosignatures", method: .post, body: note.body).assertError(.methodNotAllowed, "method_not_allowed")
            let entry = try await client.execute(uri: "/v1/entries/3", method: .get)
            XCTAssertEqual(entry.status, .ok)
        }
        XCTAssertEqual(try f.fingerprint(), before)
    }
}
