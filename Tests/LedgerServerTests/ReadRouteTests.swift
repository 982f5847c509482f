import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import XCTest

/// The read routes: listings and look-ups, checkpoint, proofs (checked against roots computed
/// here), platforms, signers, health and metrics, and their refusals of bad parameters.
final class ReadRouteTests: XCTestCase {
    func testEntryListingFiltersAndPages() async throws {
        let f = try ServerFixture(statements: 5)  // seqs 3…7: telegram, signal, telegram, signal, telegram
        try await f.app(try f.backend()).test(.router) { client in
            let all = try await client.execute(uri: "/v1/entries", method: .get)
            XCTAssertEqual(try all.json["size"]?.int, 8)
            XCTAssertEqual(try all.json["entries"]?.array?.count, 8)
            XCTAssertEqual(try all.json["next"], .null)

            let page = try await client.execute(uri: "/v1/entries?from=1&to=6&limit=2", method: .get)
            XCTAssertEqual(try page.json["entries"]?.array?.compactMap { $0["seq"]?.int }, [1, 2])
            XCTAssertEqual(try page.json["next"]?.int, 3)

            let telegram = try await client.execute(uri: "/v1/entries?platform=telegram", method: .get)
            XCTAssertEqual(try telegram.json["entries"]?.array?.compactMap { $0["seq"]?.int }, [3, 5, 7])
            let signers = try await client.execute(uri: "/v1/entries?kind=signer&signer=log", method: .get)
            XCTAssertEqual(try signers.json["entries"]?.array?.count, 3)
            let category = try await client.execute(uri: "/v1/entries?category=advertising", method: .get)
            XCTAssertEqual(try category.json["entries"]?.array?.count, 0)

            // By statement hash: the body's SHA-256.
            let one = try await client.execute(uri: "/v1/entries/4", method: .get)
            let digest = try XCTUnwrap(try one.json["body_sha256"]?.string)
            let byHash = try await client.execute(uri: "/v1/entries?statement=\(digest)", method: .get)
            XCTAssertEqual(try byHash.json["entries"]?.array?.compactMap { $0["seq"]?.int }, [4])
            // The raw leaf and body are the exact stored bytes.
            let leaf = try await client.execute(uri: "/v1/entries/4/leaf", method: .get)
            XCTAssertEqual(MerkleHash.leaf(Array(leaf.body.readableBytesView)).hex, try one.json["leaf_hash"]?.string)
            let body = try await client.execute(uri: "/v1/entries/4/body", method: .get)
            XCTAssertEqual(SHA256.hash(Array(body.body.readableBytesView)).hex, digest)

            for (uri, code) in [
                ("/v1/entries?from=5&to=2", "bad_range"), ("/v1/entries?from=-1", "bad_parameter"),
                ("/v1/entries?from=abc", "bad_parameter"), ("/v1/entries?to=%2B3", "bad_parameter"),
                ("/v1/entries?limit=0", "bad_parameter"), ("/v1/entries?limit=1001", "bad_parameter"),
                ("/v1/entries?platform=Tele%20gram", "bad_parameter"), ("/v1/entries?category=gossip", "bad_parameter"),
                ("/v1/entries?statement=ABC", "bad_parameter"), ("/v1/entries?kind=other", "bad_parameter"),
                ("/v1/entries/x", "bad_parameter"), ("/v1/entries/-1", "bad_parameter"),
            ] {
                try await client.execute(uri: uri, method: .get) { try $0.assertError(.badRequest, code) }
            }
            try await client.execute(uri: "/v1/entries/99", method: .get) { try $0.assertError(.notFound, "not_found") }
            try await client.execute(uri: "/v1/nothing", method: .get) { try $0.assertError(.notFound, "not_found") }
        }
    }

    func testCheckpointAndProofsVerify() async throws {
        let f = try ServerFixture(statements: 6)
        let key = try f.logVerifierKey
        try await f.app(try f.backend()).test(.router) { client in
            let note = try await client.execute(uri: "/v1/checkpoint", method: .get)
            XCTAssertEqual(note.headers[.contentType], "text/plain; charset=utf-8")
            let (checkpoint, _) = try Checkpoint.open(Array(note.body.readableBytesView), logKey: key)
            XCTAssertEqual(checkpoint.size, 9)
            let tiles = try await client.execute(uri: "/checkpoint", method: .get)
            XCTAssertEqual(tiles.text, note.text)

            // Twice: the second round is answered from cached hashes alone. Each proof is the
            // `disclosure-proof/v1` document `ledger prove` prints, read by the same parser.
            for seq in Array(0..<checkpoint.size) + Array(0..<checkpoint.size) {
                let leaf = try await client.execute(uri: "/v1/entries/\(seq)/leaf", method: .get)
                let proof = try await client.execute(uri: "/v1/proof/inclusion?seq=\(seq)", method: .get)
                let document = try InclusionProofDocument(parsing: Array(proof.body.readableBytesView.dropLast()))
                XCTAssertEqual(document.proof.index, seq)
                XCTAssertEqual(document.root, checkpoint.root)
                XCTAssertTrue(document.proof.verify(leafHash: MerkleHash.leaf(Array(leaf.body.readableBytesView)), root: checkpoint.root), "seq \(seq)")
                // The receipt carries the same proof and the signed checkpoint: it checks offline.
                let receipt = try await client.execute(uri: "/v1/receipt/\(seq)", method: .get)
                let checked = try checkReceipt(try receipt.json, logKey: key)
                XCTAssertEqual(checked.entry.seq, seq)
                XCTAssertEqual(checked.checkpoint.size, checkpoint.size)
            }
            // Against an older tree: its root is the one that tree's stored checkpoint signed.
            let old = try await client.execute(uri: "/v1/proof/inclusion?seq=2&size=5", method: .get)
            let oldDocument = try InclusionProofDocument(parsing: Array(old.body.readableBytesView.dropLast()))
            let oldNote = try LedgerStore(path: f.path, readonly: true).snapshot { try $0.checkpoints(from: 5, to: 5) }.first?.note
            XCTAssertEqual(try Checkpoint.open(Array(try XCTUnwrap(oldNote).utf8), logKey: key).checkpoint.root, oldDocument.root)

            for from in 1...checkpoint.size {
                let r = try await client.execute(uri: "/v1/proof/consistency?from=\(from)", method: .get)
                let document = try ConsistencyProofDocument(parsing: Array(r.body.readableBytesView.dropLast()))
                XCTAssertTrue(document.verify(oldRoot: document.oldRoot, newRoot: checkpoint.root), "from \(from)")
                XCTAssertEqual(document.proof.newSize, checkpoint.size)
                XCTAssertEqual(document.origin, ServerFixture.origin)
            }
            for (uri, code) in [
                ("/v1/proof/inclusion", "bad_parameter"), ("/v1/proof/inclusion?seq=9", "bad_range"),
                ("/v1/proof/inclusion?seq=1&size=50", "bad_range"), ("/v1/proof/inclusion?seq=1&size=0", "bad_parameter"),
                ("/v1/proof/inclusion?seq=x", "bad_parameter"), ("/v1/proof/consistency?from=0", "bad_parameter"),
                ("/v1/proof/consistency?from=5&to=3", "bad_range"), ("/v1/proof/consistency?from=2&to=40", "bad_range"),
                ("/v1/proof/consistency", "bad_parameter"),
            ] {
                try await client.execute(uri: uri, method: .get) { try $0.assertError(.badRequest, code) }
            }
        }
    }

    func testDirectoryHealthAndMetrics() async throws {
        let f = try ServerFixture(statements: 3)
        try await f.app(try f.backend()).test(.router) { client in
            let platforms = try await client.execute(uri: "/v1/platforms", method: .get)
            let list = try XCTUnwrap(try platforms.json["platforms"]?.array)
            XCTAssertEqual(list.compactMap { $0["platform"]?.string }, ["signal", "telegram"])
            XCTAssertEqual(list.compactMap { $0["statements"]?.int }, [1, 2])

            let signers = try await client.execute(uri: "/v1/signers", method: .get)
            XCTAssertEqual(try signers.json["signers"]?.array?.compactMap { $0["name"]?.string }, ["alice"], "bob is revoked")
            XCTAssertEqual(try signers.json["log_key"]?.string, try f.logVerifierKey.text)
            let pem = try XCTUnwrap(try signers.json["signers"]?.array?.first?["public_key_pem"]?.string)
            XCTAssertEqual(try Ed25519PublicKey(pem: Array(pem.utf8)), f.alice.publicKey)

            let health = try await client.execute(uri: "/healthz", method: .get)
            XCTAssertEqual(health.status, .ok)
            XCTAssertEqual(try health.json["size"]?.int, 6)

            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(50))
            try await client.execute(uri: "/v1/entries", method: .post, body: try f.submission(50))  // replay
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertTrue(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            for line in ["ledger_entries 7", "ledger_appends_total 1", "ledger_append_batches_total 1",
                         "ledger_rejections_total{error=\"replay\"} 1", "http_requests_total{status=\"201\"} 1",
                         "http_requests_total{status=\"409\"} 1", "# TYPE http_request_duration_seconds histogram",
                         "http_request_duration_seconds_bucket{le=\"+Inf\"}"] {
                XCTAssertTrue(metrics.text.contains(line), "missing \(line) in\n\(metrics.text)")
            }
        }
    }

    func testCompareAndHistory() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        for (i, date) in [(1, "2019-03-14"), (2, "2021-06-01"), (3, "2018-01-01")] {
            let body = try Body(parsing: Array(ServerFixture.statement(i, date: date).utf8))
            try store.append([try PendingEntry.sign(body, origin: .generated("\(i)"), signer: "alice", key: f.alice)], logKey: f.logKey)
        }
        try store.close()  // seqs 3, 4, 5: telegram third-party-sharing, effective 2019, 2021, 2018
        try await f.app(try f.backend()).test(.router) { client in
            // The comparison model of `ledger compare` (FORMAT.md §14a): a cell per platform and
            // category, its `claim` the one in force.
            func claimSeqs(_ r: TestResponse) throws -> [Int64] {
                try r.json["cells"]?.array?.compactMap { $0["claim"]?["seq"]?.int } ?? []
            }
            let now = try await client.execute(uri: "/v1/compare", method: .get)
            XCTAssertEqual(try claimSeqs(now), [4], "the latest effective date wins")
            let then = try await client.execute(uri: "/v1/compare?as_of=2020-01-01&platform=telegram", method: .get)
            XCTAssertEqual(try claimSeqs(then), [3])
            XCTAssertEqual(try then.json["as_of"], .string("2020-01-01"))
            let before = try await client.execute(uri: "/v1/compare?as_of=2017-01-01", method: .get)
            XCTAssertEqual(try claimSeqs(before), [])
            try await client.execute(uri: "/v1/compare?as_of=soon", method: .get) { try $0.assertError(.badRequest, "bad_parameter") }

            let history = try await client.execute(uri: "/v1/platforms/telegram/history", method: .get)
            XCTAssertEqual(try history.json["events"]?.array?.compactMap { $0["claim"]?["seq"]?.int }, [5, 3, 4], "by effective date")
            try await client.execute(uri: "/v1/platforms/nobody/history", method: .get) { try $0.assertError(.notFound, "not_found") }
        }
    }
}
