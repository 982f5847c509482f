import LedgerCrypto

/// A receipt (`disclosure-receipt/v1`, docs/FORMAT.md §17): everything a reader needs to check,
/// offline and with only the log's verifier key, that one entry is in the log: the entry's leaf
/// bytes, optionally its canonical body, a checkpoint signed by the log, and the RFC 9162
/// inclusion proof of the leaf in that checkpoint's tree.
public struct Receipt: Equatable, Sendable {
    public static let version = "disclosure-receipt/v1"

    /// The exact leaf bytes (ASCII canonical JSON, §7).
    public let leaf: [UInt8]
    /// The canonical body bytes, or nil (withheld, or left out on request).
    public let body: [UInt8]?
    /// The signed checkpoint note, exactly as the log signed it.
    public let checkpoint: String
    public let proof: InclusionProofDocument

    public init(leaf: [UInt8], body: [UInt8]?, checkpoint: String, proof: InclusionProofDocument) {
        self.leaf = leaf
        self.body = body
        self.checkpoint = checkpoint
        self.proof = proof
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "format": .string(Receipt.version),
            "leaf": .string(String(decoding: leaf, as: UTF8.self)),
            "checkpoint": .string(checkpoint),
            "inclusion_proof": proof.json,
        ]
        if let body { members["body"] = .string(String(decoding: body, as: UTF8.self)) }
        return .object(JSONObject(members))
    }

    /// Canonical JSON (RFC 8785), no trailing newline.
    public var encoded: [UInt8] { CanonicalJSON.encode(json) }

    /// Reads a receipt. Throws `ProofDocumentError.unsupportedFormat` for a JSON object of another
    /// format, `.malformed` naming the member for anything else wrong. Checks nothing cryptographic.
    public init(parsing bytes: [UInt8]) throws {
        let value = try ProofFields.parse(bytes, document: "receipt")
        do {
            var r = try FieldReader(value, path: "")
            let format = try r.string("format", maxLength: 64)
            guard format == Receipt.version else {
                throw ProofDocumentError.unsupportedFormat(found: format, expected: Receipt.version)
            }
            leaf = Array(try r.string("leaf", maxLength: 1024).utf8)
            body = try r.optionalString("body", maxLength: Body.maxBytes).map { Array($0.utf8) }
            checkpoint = try r.string("checkpoint", maxLength: 64 * 1024, allowNewlines: true)
            proof = try InclusionProofDocument(json: try r.required("inclusion_proof"), path: "inclusion_proof")
            try r.finish()
        } catch let e as ValidationError {
            throw ProofDocumentError.malformed(document: "receipt", reason: e.description)
        }
    }
}
