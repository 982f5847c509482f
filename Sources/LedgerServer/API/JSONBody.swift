import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// JSON responses: RFC 8785 canonical JSON followed by one newline, `application/json`.
enum JSONBody {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var bytes = CanonicalJSON.encode(value)
        bytes.append(0x0A)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Plain responses for non-JSON resources.
enum RawBody {
    static func response(_ bytes: [UInt8], contentType: String, cacheControl: String? = nil) -> Response {
        var fields: HTTPFields = [.contentType: contentType]
        if let cacheControl { fields[.cacheControl] = cacheControl }
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", cacheControl: String? = nil) -> Response {
        response(Array(text.utf8), contentType: contentType, cacheControl: cacheControl)
    }
}

/// The JSON shapes of entries, proofs and receipts (documented in docs/API.md).
enum LedgerJSON {
    /// One entry: its exact leaf, leaf hash, the leaf's members, query columns and its body.
    static func entry(_ e: StoredEntry) -> JSONValue {
        var members: [String: JSONValue] = [
            "seq": .integer(e.seq),
            "leaf": .string(String(decoding: e.leaf, as: UTF8.self)),
            "leaf_hash": .string(MerkleHash.leaf(e.leaf).hex),
            "kind": .string(e.kind),
            "signer": .string(e.signer),
            "time": .string(e.time),
            "body_sha256": .string(Hex.encode(e.bodySHA256)),
            "withheld": .bool(e.body == nil),
            "body": e.body.flatMap { try? JSONParser.parse($0) } ?? .null,
        ]
        if let p = e.platform { members["platform"] = .string(p) }
        if let c = e.category { members["category"] = .string(c) }
        if let d = e.effectiveDate { members["effective_date"] = .string(d) }
        return .object(members)
    }

    static func hashes(_ digests: [Digest]) -> JSONValue { .array(digests.map { .string($0.base64) }) }

    /// An inclusion proof: `index`, `size`, `leaf_hash`, `hashes` (leaf end first), `root`.
    static func inclusion(_ proof: InclusionProof, leafHash: Digest, root: Digest) -> [String: JSONValue] {
        [
            "index": .integer(proof.index), "size": .integer(proof.size), "leaf_hash": .string(leafHash.hex),
            "hashes": hashes(proof.hashes), "root": .string(root.base64),
        ]
    }

    /// A consistency proof in the shape `ledger witness cosign --proof` reads.
    static func consistency(_ proof: ConsistencyProof, oldRoot: Digest, newRoot: Digest) -> JSONValue {
        .object([
            "old_size": .integer(proof.oldSize), "new_size": .integer(proof.newSize), "hashes": hashes(proof.hashes),
            "old_root": .string(oldRoot.base64), "new_root": .string(newRoot.base64),
        ])
    }

    /// A receipt: everything needed to check offline that the entry is in the log the key signs.
    static func receipt(leaf: [UInt8], seq: Int64, checkpoint: String, proof: InclusionProof, root: Digest) -> JSONValue {
        .object([
            "format": .string(Receipt.format),
            "seq": .integer(seq),
            "leaf": .string(String(decoding: leaf, as: UTF8.self)),
            "leaf_hash": .string(MerkleHash.leaf(leaf).hex),
            "checkpoint": .string(checkpoint),
            "inclusion_proof": .object(inclusion(proof, leafHash: MerkleHash.leaf(leaf), root: root)),
        ])
    }
}
