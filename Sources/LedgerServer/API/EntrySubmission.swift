import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The body of `POST /v1/entries`: `{"statement": {...}, "signer": NAME, "signature": BASE64}`,
/// where the signature is Ed25519 over the entry message of docs/FORMAT.md §6 (the statement
/// context prefix and the SHA-256 of the statement's canonical bytes).
struct EntrySubmission {
    let body: Body
    let signer: String
    let signature: [UInt8]

    /// Parses and checks a submission against the key history as of now; every refusal is an
    /// `APIError` naming what is wrong. Nothing is written here.
    static func check(_ bytes: [UInt8], backend: LedgerBackend) throws -> PendingEntry {
        let submission = try EntrySubmission(parsing: bytes)
        let (signerMarker, existing) = try backend.store.appendPrecheck(bodySHA256: submission.body.sha256)
        let keys = try backend.keyHistory(marker: signerMarker)
        let pending = try submission.authorized(by: keys, existing: existing)
        try submission.checkLink(backend.store)
        return pending
    }

    /// The submission's members, each checked for shape; the statement validated and canonicalised.
    init(parsing bytes: [UInt8]) throws {
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
        let body: Body
        do { body = try Body(value: statement) } catch let e as BodyError { throw APIError.invalidStatement(e.description) }
        guard body.kind == .statement else {
            throw APIError.invalidStatement("schema must be \"\(Statement.schema)\" (or \"\(Statement.schemaV1)\"); signer events and withhold notices are appended by the log operator")
        }
        self.body = body
        self.signer = signer
        self.signature = signature
    }

    /// The entry to append, once the signer is current in `keys` and the signature verifies;
    /// `existing` is the seq of the same statement already in the ledger (a replay), if any.
    /// `label` names the entry in refusals the appender finds later.
    func authorized(by keys: KeyHistory, existing: Int64?, label: String = "statement") throws -> PendingEntry {
        let key: Ed25519PublicKey
        do {
            key = try keys.key(for: signer, kind: .statement)
        } catch KeyHistoryError.unknownSigner(let name, let revokedAt) {
            if let seq = revokedAt { throw APIError.revokedSigner(name, seq: seq) }
            throw APIError.unknownSigner(name)
        }
        let pending: PendingEntry
        do {
            pending = try PendingEntry.verified(body, label: label, signer: signer, key: key, signature: signature)
        } catch is StorageError {
            throw APIError.badSignature(signer: signer)
        }
        if let seq = existing { throw APIError.replay(seq: seq) }
        return pending
    }

    /// A correction must name an existing entry by seq and leaf hash and be signed by its signer;
    /// a response may not answer itself twice (LinkRules, docs/FORMAT.md): checked against the
    /// ledger as it is now (the appender checks again in its transaction).
    func checkLink(_ store: LedgerStore) throws {
        guard body.link != nil else { return }
        do { try store.checkLink(body, signer: signer) } catch let e as ValidationError { throw APIError.invalidStatement(e.description) }
    }
}
