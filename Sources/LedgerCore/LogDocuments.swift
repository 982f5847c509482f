import LedgerCrypto

/// `disclosure-signer/v1`: the log key registers or revokes a key allowed to sign statements.
public struct SignerEvent: Equatable, Sendable {
    public static let schema = "disclosure-signer/v1"
    public enum Action: String, Sendable { case add, revoke }

    public let action: Action
    public let name: String
    public let publicKey: [UInt8]

    public init(action: Action, name: String, publicKey: [UInt8]) {
        self.action = action
        self.name = name
        self.publicKey = publicKey
    }

    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        guard try r.string("schema", maxLength: 64) == SignerEvent.schema else { throw ValidationError("schema", "must be \"\(SignerEvent.schema)\"") }
        let actionText = try r.string("action", maxLength: 16)
        guard let action = Action(rawValue: actionText) else { throw ValidationError("action", "must be \"add\" or \"revoke\"") }
        self.action = action
        name = try r.string("name", maxLength: 64)
        guard SignerName.isValid(name) else { throw ValidationError("name", SignerName.rule) }
        let keyText = try r.string("public_key", maxLength: 44)
        guard let key = Base64.decode(keyText), key.count == 32 else {
            throw ValidationError("public_key", "must be the base64 of a 32-byte Ed25519 public key")
        }
        publicKey = key
        try r.finish()
    }

    public var json: JSONValue {
        .object(["schema": .string(SignerEvent.schema), "action": .string(action.rawValue),
                 "name": .string(name), "public_key": .string(Base64.encode(publicKey))])
    }
}

/// The log key's notice that an entry's body is no longer served. The entry, its hashes and its
/// signature stay; only the body bytes go.
///
/// `disclosure-withhold/v2` (written since v2 exists) also carries what the withheld body implied
/// for the tables the appender and the comparison read (`DerivedFacts`): once the body is gone
/// these can no longer be re-derived from it, so the log signs them here and the audit checks
/// the stored rows against the notice. `disclosure-withhold/v1` notices (older ledgers) carry
/// none, and the rows of what they withheld stay as stored (FORMAT.md §12).
public struct WithholdNotice: Equatable, Sendable {
    public static let schemaV1 = "disclosure-withhold/v1"
    public static let schema = "disclosure-withhold/v2"

    /// What a statement's body implies for the query columns and the derived tables.
    public struct DerivedFacts: Equatable, Sendable {
        public let platform: String
        public let category: String
        public let effectiveDate: String
        /// The correction or response the body made: (target seq, kind).
        public let link: (target: Int64, kind: LinkKind)?
        /// `zero_claims.scopes` of the body's zero claim, if it made one.
        public let zeroScopes: String?

        public init(platform: String, category: String, effectiveDate: String, link: (target: Int64, kind: LinkKind)?, zeroScopes: String?) {
            self.platform = platform
            self.category = category
            self.effectiveDate = effectiveDate
            self.link = link
            self.zeroScopes = zeroScopes
        }

        /// The facts of a statement body (the one being withheld).
        public init(of body: Body) throws {
            guard let s = body.statement else { throw ValidationError("seq", "only statements can be withheld") }
            self.init(platform: s.platform, category: s.category.rawValue, effectiveDate: s.published.description,
                      link: body.link.map { ($0.target, $0.kind) }, zeroScopes: s.zeroDisclosureScopes)
        }

        public static func == (a: DerivedFacts, b: DerivedFacts) -> Bool {
            a.platform == b.platform && a.category == b.category && a.effectiveDate == b.effectiveDate
                && a.link?.target == b.link?.target && a.link?.kind == b.link?.kind && a.zeroScopes == b.zeroScopes
        }
    }

    /// What an archived page's body implies for its `documents` row (`disclosure-withhold/v3`).
    public struct DocumentFacts: Equatable, Sendable {
        public let platform: String
        public let documentType: ArchivedDocument.DocumentType
        public let url: String
        public let retrievedAt: String
        public let contentSHA256: Digest
        /// How the page was obtained: `capture` in the notice, present only when not `fetched`.
        public let capture: ArchivedDocument.Capture

        public init(_ d: ArchivedDocument) {
            self.init(platform: d.platform, documentType: d.type, url: d.url, retrievedAt: d.retrievedAt.secondsText, contentSHA256: d.contentSHA256,
                      capture: d.capture)
        }

        public init(platform: String, documentType: ArchivedDocument.DocumentType, url: String, retrievedAt: String, contentSHA256: Digest,
                    capture: ArchivedDocument.Capture = .fetched) {
            self.capture = capture
            self.platform = platform
            self.documentType = documentType
            self.url = url
            self.retrievedAt = retrievedAt
            self.contentSHA256 = contentSHA256
        }
    }

    public static let schemaV3 = "disclosure-withhold/v3"

    public let seq: Int64
    public let bodySHA256: Digest
    public let reason: String
    /// A withheld statement's facts; nil in a v1 notice and in a v3 one.
    public let facts: DerivedFacts?
    /// A withheld archived page's facts: exactly in a v3 notice.
    public let document: DocumentFacts?

    public init(seq: Int64, bodySHA256: Digest, reason: String, facts: DerivedFacts? = nil, document: DocumentFacts? = nil) {
        self.seq = seq
        self.bodySHA256 = bodySHA256
        self.reason = reason
        self.facts = facts
        self.document = document
    }

    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        let schema = try r.string("schema", maxLength: 64)
        guard schema == WithholdNotice.schema || schema == WithholdNotice.schemaV1 || schema == WithholdNotice.schemaV3 else {
            throw ValidationError("schema", "must be \"\(WithholdNotice.schema)\" (or \"\(WithholdNotice.schemaV1)\"; \"\(WithholdNotice.schemaV3)\" for an archived page)")
        }
        seq = try r.integer("seq", min: 0)
        let hashText = try r.string("body_sha256", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError("body_sha256", "must be 64 lowercase hex digits")
        }
        bodySHA256 = hash
        reason = try r.string("reason", maxLength: 2000, allowNewlines: true)
        facts = schema == WithholdNotice.schema ? try Self.facts(&r) : nil
        document = schema == WithholdNotice.schemaV3 ? try Self.document(&r) : nil
        try r.finish()
    }

    /// v3's `document`: `{"platform", "document_type", "url", "retrieved_at", "content_sha256"}`.
    private static func document(_ r: inout FieldReader) throws -> DocumentFacts {
        var d = try r.object("document")
        let platform = try d.slug("platform")
        let type: ArchivedDocument.DocumentType = try d.choice("document_type", among: ArchivedDocument.DocumentType.allCases)
        let url = try d.string("url", maxLength: 2048)
        let retrieved = try d.string("retrieved_at", maxLength: 20)
        guard let t = Timestamp(retrieved), t.secondsText == retrieved else { throw ValidationError(d.child("retrieved_at"), "must be a UTC time to the second") }
        let hashText = try d.string("content_sha256", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError(d.child("content_sha256"), "must be 64 lowercase hex digits")
        }
        // Revision 5: a transcribed page's notice says so; absent, the page was fetched.
        let capture: ArchivedDocument.Capture = try d.optionalString("capture", maxLength: 16).map { text in
            guard let c = ArchivedDocument.Capture(rawValue: text), c != .fetched else { throw ValidationError(d.child("capture"), "must be \"transcribed\" (absent for a fetched page)") }
            return c
        } ?? .fetched
        try d.finish()
        return DocumentFacts(platform: platform, documentType: type, url: url, retrievedAt: retrieved, contentSHA256: hash, capture: capture)
    }

    private static func facts(_ r: inout FieldReader) throws -> DerivedFacts {
        let platform = try r.slug("platform")
        let category = try r.string("category", maxLength: 64)
        guard Category(rawValue: category) != nil else { throw ValidationError("category", "unknown category '\(category)'") }
        let date = try r.string("effective_date", maxLength: 10)
        guard CalendarDate(date) != nil else { throw ValidationError("effective_date", "must be a date like 2019-03-14") }
        var link: (Int64, LinkKind)?
        if var l = try r.optionalObject("link") {
            let target = try l.integer("target", min: 0)
            let kindText = try l.string("kind", maxLength: 16)
            guard let kind = LinkKind(rawValue: kindText) else { throw ValidationError(l.child("kind"), "must be amendment, retraction, endorsement or dispute") }
            try l.finish()
            link = (target, kind)
        }
        let zero = try r.optionalString("zero_scopes", maxLength: 4096)
        return DerivedFacts(platform: platform, category: category, effectiveDate: date, link: link, zeroScopes: zero)
    }

    public var json: JSONValue {
        let schema = document != nil ? WithholdNotice.schemaV3 : facts == nil ? WithholdNotice.schemaV1 : WithholdNotice.schema
        var members: [String: JSONValue] = ["schema": .string(schema), "seq": .integer(seq),
                                            "body_sha256": .string(bodySHA256.hex), "reason": .string(reason)]
        if let d = document {
            var facts: [String: JSONValue] = ["platform": .string(d.platform), "document_type": .string(d.documentType.rawValue), "url": .string(d.url),
                                              "retrieved_at": .string(d.retrievedAt), "content_sha256": .string(d.contentSHA256.hex)]
            if d.capture != .fetched { facts["capture"] = .string(d.capture.rawValue) }
            members["document"] = .object(JSONObject(facts))
        }
        if let facts {
            members["platform"] = .string(facts.platform)
            members["category"] = .string(facts.category)
            members["effective_date"] = .string(facts.effectiveDate)
            if let link = facts.link { members["link"] = .object(["target": .integer(link.target), "kind": .string(link.kind.rawValue)]) }
            if let zero = facts.zeroScopes { members["zero_scopes"] = .string(zero) }
        }
        return .object(JSONObject(members))
    }
}

/// Names of signers: 1-64 characters of a-z, 0-9, '.', '-', '_'. `log` is the log key itself.
public enum SignerName {
    public static let log = "log"
    static let rule = "must be 1-64 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit"

    public static func isValid(_ s: String) -> Bool { Slug.isValid(s) }
}
