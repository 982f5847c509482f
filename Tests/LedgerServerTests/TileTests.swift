import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import XCTest

/// C2SP tlog-tiles: path encoding, and tiles that a client can turn back into the signed root.
final class TileTests: XCTestCase {
    func testTilePathEncoding() {
        XCTAssertEqual(TilePath.encode(index: 1_234_067), "x001/x234/067")
        XCTAssertEqual(TilePath.encode(index: 5), "005")
        XCTAssertEqual(TilePath.encode(index: 1000), "x001/000")
        XCTAssertEqual(TilePath(kind: .hashes(level: 0), index: 1_234_067, width: 8).path, "tile/0/x001/x234/067.p/8")
        XCTAssertEqual(TilePath(kind: .entries, index: 0, width: 256).path, "tile/entries/000")
        func parse(_ s: String) -> TilePath? { TilePath.parse(s.split(separator: "/", omittingEmptySubsequences: false)) }
        XCTAssertEqual(parse("0/x001/x234/067.p/8"), TilePath(kind: .hashes(level: 0), index: 1_234_067, width: 8))
        XCTAssertEqual(parse("entries/005"), TilePath(kind: .entries, index: 5, width: 256))
        XCTAssertEqual(parse("63/000"), TilePath(kind: .hashes(level: 63), index: 0, width: 256))
        for bad in ["0/5", "0/0005", "0/x000/005", "0/001/002", "00/000", "64/000", "0/000.p/0", "0/000.p/256", "0/000.p/08",
                    "0/000.p", "0/abc", "0", "x/000", "0/x001", "0/000.q/5", "-1/000",
                    // Beyond Int64: the last group's addition overflowed and trapped the service.
                    "0/x009/x223/x372/x036/x854/x775/808", "entries/x009/x223/x372/x036/x854/x775/808",
                    "0/x999/x999/x999/x999/x999/x999/x999/999"] {
            XCTAssertNil(parse(bad), bad)
        }
    }

    /// 600 entries: two full level-0 tiles and a partial one, a partial level-1 tile of width 2;
    /// recomputing the root from the served tiles gives the checkpoint's root.
    func testServedTilesRebuildTheSignedRoot() async throws {
        let f = try ServerFixture(statements: 0)
        let store = try LedgerStore(path: f.path)
        let bodies = try (0..<597).map { try Body(parsing: Array(ServerFixture.statement($0).utf8)) }
        try store.append(try bodies.map { try PendingEntry.sign($0, origin: .generated("bulk"), signer: "alice", key: f.alice) }, logKey: f.logKey)
        try store.close()
        let key = try f.logVerifierKey
        try await f.app(try f.backend()).test(.router) { client in
            let note = try await client.execute(uri: "/checkpoint", method: .get)
            let checkpoint = try Checkpoint.open(Array(note.body.readableBytesView), logKey: key).checkpoint
            XCTAssertEqual(checkpoint.size, 600)
            XCTAssertEqual(TileReader.tiles(forTreeSize: 600).map(\.path),
                           ["tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/entries/000", "tile/entries/001", "tile/entries/002.p/88", "tile/1/000.p/2"])

            var leafHashes: [Digest] = []
            var leaves: [[UInt8]] = []
            for path in ["tile/0/000", "tile/0/001", "tile/0/002.p/88"] {
                let tile = try await client.execute(uri: "/" + path, method: .get)
                XCTAssertEqual(tile.status, .ok, path)
                XCTAssertEqual(tile.headers[.contentType], "application/octet-stream")
                XCTAssertEqual(tile.headers[.cacheControl], "public, max-age=31536000, immutable")
                let bytes = Array(tile.body.readableBytesView)
                leafHashes += stride(from: 0, to: bytes.count, by: 32).compactMap { Digest(bytes: bytes[$0..<$0 + 32]) }
            }
            for path in ["tile/entries/000", "tile/entries/001", "tile/entries/002.p/88"] {
                var bundle = Array(try await client.execute(uri: "/" + path, method: .get).body.readableBytesView)[...]
                while !bundle.isEmpty {
                    let n = Int(bundle[bundle.startIndex]) << 8 | Int(bundle[bundle.startIndex + 1])
                    leaves.append(Array(bundle.dropFirst(2).prefix(n)))
                    bundle = bundle.dropFirst(2 + n)
                }
            }
            XCTAssertEqual(leaves.count, 600)
            XCTAssertEqual(leaves.map(MerkleHash.leaf), leafHashes, "bundle entries hash to the level-0 tile hashes")
            var range = CompactRange()
            for h in leafHashes { range.append(leafHash: h) }
            XCTAssertEqual(range.root, checkpoint.root)

            // Level 1 holds the roots of the two full level-0 tiles.
            let level1 = Array(try await client.execute(uri: "/tile/1/000.p/2", method: .get).body.readableBytesView)
            XCTAssertEqual(level1.count, 64)
            func mth(_ hashes: ArraySlice<Digest>) -> Digest {
                var r = CompactRange()
                for h in hashes { r.append(leafHash: h) }
                return r.root
            }
            XCTAssertEqual(Digest(bytes: level1[0..<32]), mth(leafHashes[0..<256]))
            XCTAssertEqual(Digest(bytes: level1[32..<64]), mth(leafHashes[256..<512]))

            for path in ["/tile/0/002", "/tile/0/002.p/89", "/tile/1/000", "/tile/2/000.p/1", "/tile/entries/003.p/1", "/tile/0/2", "/tile/nonsense",
                         "/tile/0/x009/x223/x372/x036/x854/x775/808", "/tile/entries/x009/x223/x372/x036/x854/x775/808",
                         "/tile/0/x009/x223/x372/x036/x854/x775/807", "/tile/62/x009/x223/x372/x036/x854/x775/807.p/255"] {
                try await client.execute(uri: path, method: .get) { try $0.assertError(.notFound, "not_found") }
            }
        }
    }
}
