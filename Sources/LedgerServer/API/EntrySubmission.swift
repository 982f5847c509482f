import LedgerAppend
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The body of `POST /v1/entries`: `{"statement": {...}, "signer": NAME, "signature": BASE64}`,
/// where the statement is a statement or a response (an endorsement or dispute) and the
/// signature is Ed25519 over the entry message of docs/FORMAT.md §6 (the context prefix and the
/// SHA-256 of the document's canonical bytes).
struct EntrySubmission {
    let submission: Submission
    let signer: String
    let signature: [UInt8]

    var body: Body { submission.body }

    /// Parses and checks a submission against the ledger as of now, with the checks `ledger
    /// append` makes (`AppendPrecheck`); a refusal is an `APIError`, or a `StorageError` that
    /// `APIError.from` maps. Nothing is written here.
    static func check(_ bytes: [UInt8], backend: LedgerBackend) throws -> PendingEntry {
        let entry = try EntrySubmission(parsing: bytes, origin: .request)
        let (signerMarker, existing) = try backend.store.appendPrecheck(bodySHA256s: [entry.body.sha256])
        let pending = try entry.authorized(by: try backend.keyHistory(marker: signerMarker))
        _ = try AppendPrecheck.withoutReplays([entry.submission], existing: existing[0].map { [entry.body.sha256: $0] } ?? [:], skip: false)
        try AppendPrecheck.checkLinks([entry.submission], signer: entry.signer, store: backend.store)
        try AppendPrecheck.checkQuotes([entry.submission], store: backend.store)
        return pending
    }

    /// The submission's members, each checked for shape; the document validated and canonicalised.
    init(parsing bytes: [UInt8], origin: EntryOrigin) throws {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch let e as JSONError { throw APIError.malformedJSON(e.description) }
        guard case .object(let members) = value else {
            throw APIError.invalidRequest("the body must be a JSON object {\"statement\": {...}, \"signer\": NAME, \"signature\": BASE64}")
        }
        if let unknown = members.keys.sorted().first(where: { !["statement", "signer", "signature"].contains($0) }) {
            throw APIError.invalidRequest("'\(unknown)' is not a member of an entry submission (statement, signer, signature)")
        }
        guard let statement = members["statement"] else { throw APIError.invalidRequest("'statement' is required: the statement as a JSON object") }
        guard case .object = statement else { throw APIError.invalidRequest("'statement' must be a JSON object, found \(statement.typeName)") }
        guard case .string(let signer)? = members["signer"] else { throw APIError.invalidRequest("'signer' is required: the registered signer's name") }
        guard SignerName.isValid(signer) else { throw APIError.invalidRequest("'signer' must be a signer name (1-64 characters of a-z, 0-9, '.', '-', '_')") }
        guard case .string(let signatureText)? = members["signature"] else {
            throw APIError.invalidRequest("'signature' is required: base64 of the 64-byte Ed25519 signature")
        }
        guard let signature = Base64.decode(signatureText), signature.count == 64 else {
            throw APIError.invalidRequest("'signature' must be strict base64 of a 64-byte Ed25519 signature (88 characters)")
        }
        submission = try Submission(value: statement, origin: origin)
        self.signer = signer
        self.signature = signature
    }

    /// The entry to append, once the signer is current in `keys` and the signature verifies.
    func authorized(by keys: KeyHistory) throws -> PendingEntry {
        let key: Ed25519PublicKey
        do {
            key = try keys.key(for: signer, kind: body.kind)
        } catch KeyHistoryError.unknownSigner(let name, let revokedAt) {
            if let seq = revokedAt { throw APIError.revokedSigner(name, seq: seq) }
            throw APIError.unknownSigner(name)
        }
        do {
            return try PendingEntry.verified(body, origin: submission.origin, signer: signer, key: key, signature: signature)
        } catch StorageError.signerRefused {
            throw APIError.badSignature(signer: signer)
        }
    }
}
