import LedgerCore
import LedgerCrypto
import XCTest

/// The JSON documents of proofs, receipts and audit states (docs/FORMAT.md §16–18), carrying the
/// conformance vectors: real CT proofs and transparency-dev's probes survive a round trip through
/// `disclosure-proof/v1` and still verify, and every malformed document is refused by name.
final class ProofDocumentTests: XCTestCase {
    func roundTrip(_ d: InclusionProofDocument) throws -> InclusionProofDocument {
        try InclusionProofDocument(parsing: d.encoded)
    }

    /// The directly written `encoded` is exactly the canonical encoding of `json`: empty and long
    /// paths, the largest sizes, origins that need escaping or are not ASCII.
    func testInclusionDocumentBytesAreCanonicalJSON() {
        let hashes = (0..<63).map { i in MerkleHash.leaf([UInt8(i)]) }
        for origin in ["example.org/log", "odd \"origin\"\\ with\tescapes", "журнал.example/😀"] {
            for (index, size, count) in [(0, 1, 0), (5, 6, 3), (Int64.max - 1, Int64.max, 63)] as [(Int64, Int64, Int)] {
                let doc = InclusionProofDocument(origin: origin, proof: InclusionProof(index: index, size: size, hashes: Array(hashes.prefix(count))),
                                                 leafHash: hashes[1], root: hashes[2])
                XCTAssertEqual(doc.encoded, CanonicalJSON.encode(doc.json), "\(origin) \(index)/\(size)")
            }
        }
    }

    /// Argon2020 (a real CT log of 961,984,013 leaves): both proofs as documents.
    func testArgon2020ProofsAsDocuments() throws {
        let ct = try Fixtures.json("ct_argon2020.json")
        func strings(_ key: String) throws -> [String] {
            if let a = ct[key] as? [String] { return a }
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data((ct[key] as! String).utf8)) as? [String])
        }
        var leafB64 = try XCTUnwrap(ct["leaf_input_b64"] as? String)
        if leafB64.hasPrefix("\"") { leafB64 = String(leafB64.dropFirst().dropLast()) }
        let leafHash = MerkleHash.leaf(try XCTUnwrap(Base64.decode(leafB64)))
        let root = try XCTUnwrap(digest(b64: ct["sha256_root_hash"] as! String))
        let size = Int64(ct["tree_size"] as! Int), index = Int64(ct["leaf_index"] as! Int)
        let path = try strings("audit_path_b64").map { try XCTUnwrap(digest(b64: $0)) }
        XCTAssertEqual(InclusionProof.expectedLength(index: index, size: size), path.count)
        let doc = try roundTrip(InclusionProofDocument(origin: "ct.googleapis.com/logs/argon2020",
                                                       proof: InclusionProof(index: index, size: size, hashes: path), leafHash: leafHash, root: root))
        XCTAssertEqual(doc.proof.hashes, path)
        XCTAssertTrue(doc.proof.verify(leafHash: doc.leafHash, root: doc.root))
        // The document's path is the CT audit path, byte for byte in base64.
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(doc.encoded)) as? [String: Any])
        XCTAssertEqual(json["inclusion_path"] as? [String], try strings("audit_path_b64"))

        let oldSize = Int64(ct["old_tree_size"] as! Int)
        let oldRoot = try XCTUnwrap(digest(b64: ct["old_root_b64"] as! String))
        let hashes = try strings("consistency_b64").map { try XCTUnwrap(digest(b64: $0)) }
        XCTAssertEqual(ConsistencyProof.expectedLength(oldSize: oldSize, newSize: size), hashes.count)
        let c = try ConsistencyProofDocument(parsing: ConsistencyProofDocument(
            origin: "ct.googleapis.com/logs/argon2020", proof: ConsistencyProof(oldSize: oldSize, newSize: size, hashes: hashes),
            oldRoot: oldRoot, newRoot: root).encoded)
        XCTAssertTrue(c.verify(oldRoot: oldRoot, newRoot: root))
        XCTAssertFalse(c.verify(oldRoot: root, newRoot: oldRoot))
    }

    /// Every valid transparency-dev probe has exactly the RFC 9162 length and survives a round trip.
    func testProbesThroughDocumentsAndExpectedLengths() throws {
        var checked = 0
        for (name, p) in try Fixtures.probes("inclusion") where !(p["wantErr"] as! Bool) {
            let hashes = (p["proof"] as? [String] ?? []).compactMap(digest(b64:))
            let index = try XCTUnwrap(int64(p["leafIdx"])), size = try XCTUnwrap(int64(p["treeSize"]))
            XCTAssertEqual(InclusionProof.expectedLength(index: index, size: size), hashes.count, name)
            let doc = try roundTrip(InclusionProofDocument(origin: "probe", proof: InclusionProof(index: index, size: size, hashes: hashes),
                                                           leafHash: try XCTUnwrap(digest(b64: p["leafHash"] as! String)),
                                                           root: try XCTUnwrap(digest(b64: p["root"] as! String))))
            XCTAssertTrue(doc.proof.verify(leafHash: doc.leafHash, root: doc.root), name)
            checked += 1
        }
        for (name, p) in try Fixtures.probes("consistency") where !(p["wantErr"] as! Bool) {
            guard let r1 = digest(b64: p["root1"] as! String), let r2 = digest(b64: p["root2"] as! String),
                  let m = int64(p["size1"]), let n = int64(p["size2"]), m > 0 else { continue }
            let hashes = (p["proof"] as? [String] ?? []).compactMap(digest(b64:))
            XCTAssertEqual(ConsistencyProof.expectedLength(oldSize: m, newSize: n), hashes.count, name)
            let doc = try ConsistencyProofDocument(parsing: ConsistencyProofDocument(
                origin: "probe", proof: ConsistencyProof(oldSize: m, newSize: n, hashes: hashes), oldRoot: r1, newRoot: r2).encoded)
            XCTAssertTrue(doc.verify(oldRoot: r1, newRoot: r2), name)
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 10)
    }

    /// RFC 6962 reference proofs: their lengths, and the empty tree as the old tree of a document.
    func testReferenceLengthsAndEmptyOldTree() throws {
        let basic = try Fixtures.json("rfc6962_basic.json")
        for case let p as [String: Any] in basic["inclusion_proofs"] as! [Any] {
            XCTAssertEqual(InclusionProof.expectedLength(index: Int64(p["index"] as! Int), size: Int64(p["size"] as! Int)),
                           (p["proof_hex"] as! [String]).count)
        }
        for case let p as [String: Any] in basic["consistency_proofs"] as! [Any] {
            XCTAssertEqual(ConsistencyProof.expectedLength(oldSize: Int64(p["size1"] as! Int), newSize: Int64(p["size2"] as! Int)),
                           (p["proof_hex"] as! [String]).count)
        }
        let roots = basic["roots_hex_by_size"] as! [String: String]
        let empty = ConsistencyProofDocument(origin: "x", proof: ConsistencyProof(oldSize: 0, newSize: 8, hashes: []),
                                             oldRoot: MerkleHash.emptyRoot, newRoot: digest(hex: roots["8"]!))
        XCTAssertTrue(empty.verify(oldRoot: MerkleHash.emptyRoot, newRoot: digest(hex: roots["8"]!)))
        XCTAssertFalse(empty.verify(oldRoot: digest(hex: roots["1"]!), newRoot: digest(hex: roots["8"]!)))
    }

    func testMalformedDocumentsAreRefusedByName() throws {
        let good = InclusionProofDocument(origin: "o", proof: InclusionProof(index: 1, size: 2, hashes: [.zero]), leafHash: .zero, root: .zero)
        let text = String(decoding: good.encoded, as: UTF8.self)
        func refused(_ edit: (String) -> String, _ message: String, line: UInt = #line) {
            XCTAssertThrowsError(try InclusionProofDocument(parsing: Array(edit(text).utf8)), line: line) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)", line: line)
            }
        }
        XCTAssertEqual(try InclusionProofDocument(parsing: good.encoded), good)
        refused({ $0.replacingOccurrences(of: "\"leaf_index\":1", with: "\"leaf_index\":2") }, "leaf_index: must be less than tree_size (2)")
        refused({ $0.replacingOccurrences(of: "\"tree_size\":2", with: "\"tree_size\":0") }, "tree_size: must be at least 1")
        refused({ $0.replacingOccurrences(of: "\"type\":\"inclusion\"", with: "\"type\":\"consistency\"") }, "type: is 'consistency', expected 'inclusion'")
        refused({ $0.replacingOccurrences(of: "disclosure-proof/v1", with: "disclosure-proof/v9") }, "unsupported format 'disclosure-proof/v9'")
        refused({ $0.replacingOccurrences(of: "\"inclusion_path\":[", with: "\"inclusion_path\":[\"AAAA\",") }, "inclusion_path[0]: must be base64 of a 32-byte SHA-256 hash")
        refused({ $0.replacingOccurrences(of: "\"origin\":\"o\"", with: "\"origin\":\"o\",\"x\":1") }, "x: is not a field of this schema")
        refused({ $0.replacingOccurrences(of: "\"leaf_index\":1", with: "\"leaf_index\":1.5") }, "floating-point")
        refused({ String($0.dropLast()) }, "not JSON")
        refused({ $0.replacingOccurrences(of: "\"inclusion_path\":[\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"],", with: "") }, "inclusion_path: is required")
    }
}
