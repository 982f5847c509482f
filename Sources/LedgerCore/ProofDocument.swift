import LedgerCrypto

/// The JSON form of proofs (`disclosure-proof/v1`, docs/FORMAT.md §16): an RFC 9162 proof with the
/// sizes and roots it is about, hashes in base64. Members use RFC 9162's names
/// (`leaf_index`, `tree_size`, `inclusion_path`; `tree_size_1`, `tree_size_2`, `consistency_path`)
/// so the path is a plain RFC 9162 / RFC 6962 proof that CT tooling checks as is.
public enum ProofFormat {
    public static let version = "disclosure-proof/v1"
    /// RFC 9162 paths are at most 63 (inclusion) or 126 (consistency) hashes for sizes < 2^63.
    static let maxHashes = 128
}

/// An inclusion proof document: leaf `leaf_index` with hash `leaf_hash` is in the tree of
/// `tree_size` leaves whose root is `root`.
public struct InclusionProofDocument: Equatable, Sendable {
    public let origin: String
    public let proof: InclusionProof
    public let leafHash: Digest
    public let root: Digest

    public init(origin: String, proof: InclusionProof, leafHash: Digest, root: Digest) {
        self.origin = origin
        self.proof = proof
        self.leafHash = leafHash
        self.root = root
    }

    public var json: JSONValue {
        .object([
            "format": .string(ProofFormat.version), "type": .string("inclusion"), "origin": .string(origin),
            "leaf_index": .integer(proof.index), "tree_size": .integer(proof.size),
            "leaf_hash": .string(leafHash.base64), "root": .string(root.base64),
            "inclusion_path": .array(proof.hashes.map { .string($0.base64) }),
        ])
    }

    /// Canonical JSON (RFC 8785), no trailing newline: the bytes of `CanonicalJSON.encode(json)`
    /// (a test holds them equal), written directly with the members in their canonical order
    /// because the service answers many of these.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + origin.utf8.count + 47 * proof.hashes.count)  // the fixed text is about 225 bytes
        out.append(contentsOf: #"{"format":"\#(ProofFormat.version)","inclusion_path":["#.utf8)
        for (i, hash) in proof.hashes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            ProofFields.writeBase64(hash, into: &out)
        }
        out.append(contentsOf: #"],"leaf_hash":"#.utf8)
        ProofFields.writeBase64(leafHash, into: &out)
        out.append(contentsOf: #","leaf_index":"#.utf8)
        CanonicalJSON.writeInteger(proof.index, into: &out)
        out.append(contentsOf: #","origin":"#.utf8)
        CanonicalJSON.writeString(origin, into: &out)
        out.append(contentsOf: #","root":"#.utf8)
        ProofFields.writeBase64(root, into: &out)
        out.append(contentsOf: #","tree_size":"#.utf8)
        CanonicalJSON.writeInteger(proof.size, into: &out)
        out.append(contentsOf: #","type":"inclusion"}"#.utf8)
        return out
    }

    /// Reads a document, refusing unknown members, another format or type, and malformed values.
    /// Does not check the proof: see `InclusionProof.impliedRoot`.
    public init(json value: JSONValue, path: String = "") throws {
        do {
            var r = try FieldReader(value, path: path)
            try ProofFields.header(&r, type: "inclusion")
            origin = try r.string("origin", maxLength: 1024)
            let index = try r.integer("leaf_index")
            let size = try r.integer("tree_size", min: 1)
            guard index < size else { throw ValidationError(r.child("leaf_index"), "must be less than tree_size (\(size))") }
            leafHash = try ProofFields.digest(&r, "leaf_hash")
            root = try ProofFields.digest(&r, "root")
            proof = InclusionProof(index: index, size: size, hashes: try ProofFields.path(&r, "inclusion_path"))
            try r.finish()
        } catch let e as ValidationError {
            throw ProofDocumentError.malformed(document: "proof", reason: e.description)
        }
    }

    public init(parsing bytes: [UInt8]) throws {
        try self.init(json: try ProofFields.parse(bytes, document: "proof"))
    }
}

/// A consistency proof document: the tree of `tree_size_2` leaves with root `root_2` extends the
/// tree of `tree_size_1` leaves with root `root_1`. `tree_size_1` may be 0 (the empty tree, root
/// SHA-256(""), which every tree extends): the path is then empty.
public struct ConsistencyProofDocument: Equatable, Sendable {
    public let origin: String
    public let proof: ConsistencyProof
    public let oldRoot: Digest
    public let newRoot: Digest

    public init(origin: String, proof: ConsistencyProof, oldRoot: Digest, newRoot: Digest) {
        self.origin = origin
        self.proof = proof
        self.oldRoot = oldRoot
        self.newRoot = newRoot
    }

    public var json: JSONValue {
        .object([
            "format": .string(ProofFormat.version), "type": .string("consistency"), "origin": .string(origin),
            "tree_size_1": .integer(proof.oldSize), "tree_size_2": .integer(proof.newSize),
            "root_1": .string(oldRoot.base64), "root_2": .string(newRoot.base64),
            "consistency_path": .array(proof.hashes.map { .string($0.base64) }),
        ])
    }

    public var encoded: [UInt8] { CanonicalJSON.encode(json) }

    public init(json value: JSONValue, path: String = "") throws {
        do {
            var r = try FieldReader(value, path: path)
            try ProofFields.header(&r, type: "consistency")
            origin = try r.string("origin", maxLength: 1024)
            let oldSize = try r.integer("tree_size_1")
            let newSize = try r.integer("tree_size_2")
            guard oldSize <= newSize else { throw ValidationError(r.child("tree_size_1"), "must not exceed tree_size_2 (\(newSize))") }
            oldRoot = try ProofFields.digest(&r, "root_1")
            newRoot = try ProofFields.digest(&r, "root_2")
            proof = ConsistencyProof(oldSize: oldSize, newSize: newSize, hashes: try ProofFields.path(&r, "consistency_path"))
            try r.finish()
        } catch let e as ValidationError {
            throw ProofDocumentError.malformed(document: "proof", reason: e.description)
        }
    }

    public init(parsing bytes: [UInt8]) throws {
        try self.init(json: try ProofFields.parse(bytes, document: "proof"))
    }

    /// True if the path shows (newSize, newRoot) extends (oldSize, oldRoot): RFC 9162 §2.1.4.2,
    /// plus the empty old tree, which needs an empty path and root SHA-256("").
    public func verify(oldRoot: Digest, newRoot: Digest) -> Bool {
        if proof.oldSize == 0 { return proof.hashes.isEmpty && oldRoot == MerkleHash.emptyRoot }
        return proof.verify(oldRoot: oldRoot, newRoot: newRoot)
    }

    /// The path length these sizes call for.
    public var expectedLength: Int {
        proof.oldSize == 0 ? 0 : ConsistencyProof.expectedLength(oldSize: proof.oldSize, newSize: proof.newSize)
    }
}

public enum ProofDocumentError: Error, Equatable, CustomStringConvertible {
    case malformed(document: String, reason: String)
    case unsupportedFormat(found: String, expected: String)

    public var description: String {
        switch self {
        case .malformed(let document, let why): return "malformed \(document): \(why)"
        case .unsupportedFormat(let f, let e): return "unsupported format '\(f)'; this program reads \(e)"
        }
    }
}

/// Member readers shared by the proof and receipt documents.
enum ProofFields {
    /// A hash as a JSON string of its base64 (which never needs escaping).
    static func writeBase64(_ digest: Digest, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        Base64.append(digest.bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    static func parse(_ bytes: [UInt8], document: String) throws -> JSONValue {
        do { return try JSONParser.parse(bytes) } catch let e as JSONError {
            throw ProofDocumentError.malformed(document: document, reason: "not JSON: \(e)")
        }
    }

    static func header(_ r: inout FieldReader, type: String) throws {
        let format = try r.string("format", maxLength: 64)
        guard format == ProofFormat.version else {
            throw ProofDocumentError.unsupportedFormat(found: format, expected: ProofFormat.version)
        }
        let found = try r.string("type", maxLength: 32)
        guard found == type else { throw ValidationError(r.child("type"), "is '\(found)', expected '\(type)'") }
    }

    static func digest(_ r: inout FieldReader, _ key: String) throws -> Digest {
        guard let bytes = Base64.decode(try r.string(key, maxLength: 44)), let d = Digest(bytes: bytes) else {
            throw ValidationError(r.child(key), "must be base64 of a 32-byte SHA-256 hash")
        }
        return d
    }

    static func path(_ r: inout FieldReader, _ key: String) throws -> [Digest] {
        guard r.has(key) else { throw ValidationError(r.child(key), "is required") }
        return try r.array(key, maxCount: ProofFormat.maxHashes).enumerated().map { i, item in
            guard case .string(let s) = item, let bytes = Base64.decode(s), let d = Digest(bytes: bytes) else {
                throw ValidationError("\(r.child(key))[\(i)]", "must be base64 of a 32-byte SHA-256 hash")
            }
            return d
        }
    }
}
