import LedgerCrypto

/// A `disclosure-document/v2` (or `/v1`) body: a page about a platform (its privacy policy, its
/// terms, a transparency report, a news report of one…) as it was fetched or as an editor
/// transcribed it from an archived copy, with the text a reader quotes from. Its own entry kind
/// (`document`) under its own signature context, so an archived page can never pass for a
/// statement or the other way round (docs/FORMAT.md §5c).
public struct ArchivedDocument: Equatable, Sendable {
    public static let schema = "disclosure-document/v2"
    /// Revision 4's form: no `capture` (every page fetched) and the first six document types.
    public static let schemaV1 = "disclosure-document/v1"
    /// The text rules `text` follows (docs/FORMAT.md §5c, "Text").
    public static let textRules = "disclosure-text/v1"
    /// The most bytes one document's content may hold: larger pages are refused, not cut.
    public static let maxContentBytes = 3 * 1024 * 1024
    /// The most UTF-8 bytes of extracted text.
    public static let maxTextBytes = 1024 * 1024

    public enum DocumentType: String, CaseIterable, Sendable {
        case privacyPolicy = "privacy-policy"
        case terms
        case transparencyReport = "transparency-report"
        case faq
        case lawEnforcementGuidelines = "law-enforcement-guidelines"
        case blogPost = "blog-post"
        /// A third party's news article reporting what the platform said or published (v2).
        case newsReport = "news-report"
        /// A third party's record of the platform's words or figures: a review site's point, a
        /// compilation of reports (v2).
        case thirdPartyRecord = "third-party-record"

        /// The types a `disclosure-document/v1` body may name.
        public static let v1Cases: [DocumentType] = [.privacyPolicy, .terms, .transparencyReport, .faq, .lawEnforcementGuidelines, .blogPost]
    }

    /// How the content was obtained (v2's `capture`; every v1 page was fetched).
    public enum Capture: String, CaseIterable, Sendable {
        /// The bytes the URL answered at `retrieved_at`: a version of the page.
        case fetched
        /// Text an editor transcribed from a copy of the page (an archive's, a crawler's, a site
        /// quoting it), beginning with a header that names the copy and what part of the page it
        /// holds; `retrieved_at` is when the copy was read. Not a version of the page: tracking
        /// and stale-quote marks compare fetched pages only.
        case transcribed

        /// How a reader is told where the content came from: "fetched from URL at T" or
        /// "transcribed from a copy of URL read at T".
        public func provenance(url: String, at time: String) -> String {
            switch self {
            case .fetched: return "fetched from \(url) at \(time)"
            case .transcribed: return "transcribed from a copy of \(url) read at \(time) (its header names the copy)"
            }
        }
    }

    /// What the content is, without parameters (its charset was used to decode the text).
    public enum MediaType: String, CaseIterable, Sendable {
        case html = "text/html"
        case plain = "text/plain"
    }

    /// `schema` or `schemaV1`, as the body gives it.
    public let schemaName: String
    public let capture: Capture
    public let platform: String
    public let type: DocumentType
    /// The address the content was fetched from (after redirects).
    public let url: String
    public let retrievedAt: Timestamp
    public let mediaType: MediaType
    /// The bytes as received.
    public let content: [UInt8]
    public let contentSHA256: Digest
    /// The content's readable text by the `textRules` (the signer's extraction: verifiers check
    /// its form, not that they would extract the same).
    public let text: String

    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        schemaName = try r.string("schema", maxLength: 64)
        guard schemaName == Self.schema || schemaName == Self.schemaV1 else {
            throw ValidationError("schema", "must be \"\(Self.schema)\" (or \"\(Self.schemaV1)\")")
        }
        let isV1 = schemaName == Self.schemaV1
        capture = isV1 ? .fetched : try r.choice("capture", among: Capture.allCases)
        platform = try r.slug("platform")
        type = try r.choice("document_type", among: isV1 ? DocumentType.v1Cases : DocumentType.allCases)
        url = try r.string("url", maxLength: 2048)
        guard Statement.isWebURL(url) else { throw ValidationError("url", "must be an http:// or https:// URL") }
        let retrievedText = try r.string("retrieved_at", maxLength: 20)
        guard let retrieved = Timestamp(retrievedText), retrieved.secondsText == retrievedText else {
            throw ValidationError("retrieved_at", "must be a UTC time to the second, like 2019-03-14T09:00:00Z")
        }
        retrievedAt = retrieved
        mediaType = try r.choice("media_type", among: MediaType.allCases)
        guard capture == .fetched || mediaType == .plain else {
            throw ValidationError("media_type", "must be text/plain for a transcribed page (its content is an editor's text, not the page as served)")
        }
        guard case .string(let encoded) = try r.required("content"), let bytes = Base64.decode(encoded) else {
            throw ValidationError("content", "must be the padded standard base64 of the bytes as fetched")
        }
        guard !bytes.isEmpty, bytes.count <= Self.maxContentBytes else {
            throw ValidationError("content", "holds \(bytes.count) bytes; 1 to \(Self.maxContentBytes) (3 MiB) allowed")
        }
        content = bytes
        let hashText = try r.string("content_sha256", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError("content_sha256", "must be the 64 lowercase hex digits of the content's SHA-256")
        }
        guard SHA256.hash(bytes) == hash else { throw ValidationError("content_sha256", "is not the SHA-256 of content (\(SHA256.hash(bytes).hex))") }
        contentSHA256 = hash
        guard try r.string("text_rules", maxLength: 64) == Self.textRules else {
            throw ValidationError("text_rules", "must be \"\(Self.textRules)\"")
        }
        text = try r.string("text", maxLength: Self.maxTextBytes, allowNewlines: true)
        guard !text.utf8.contains(0x09), !text.utf8.contains(0x0D) else {
            throw ValidationError("text", "holds a tab or carriage return; \(Self.textRules) text has only spaces and line feeds")
        }
        try r.finish()
    }

    /// The body as canonical JSON's value (what `ledger source add` signs).
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "schema": .string(schemaName), "platform": .string(platform), "document_type": .string(type.rawValue),
            "url": .string(url), "retrieved_at": .string(retrievedAt.secondsText), "media_type": .string(mediaType.rawValue),
            "content": .string(Base64.encode(content)), "content_sha256": .string(contentSHA256.hex),
            "text_rules": .string(Self.textRules), "text": .string(text),
        ]
        if schemaName != Self.schemaV1 { members["capture"] = .string(capture.rawValue) }
        return .object(JSONObject(members))
    }

    /// A `disclosure-document/v2` page.
    public init(capture: Capture = .fetched, platform: String, type: DocumentType, url: String, retrievedAt: Timestamp, mediaType: MediaType, content: [UInt8], text: String) {
        self.schemaName = Self.schema
        self.capture = capture
        self.platform = platform
        self.type = type
        self.url = url
        self.retrievedAt = retrievedAt
        self.mediaType = mediaType
        self.content = content
        self.contentSHA256 = SHA256.hash(content)
        self.text = text
    }
}
