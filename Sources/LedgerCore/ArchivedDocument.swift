import LedgerCrypto

/// A `disclosure-document/v1` body: a platform's own page (a privacy policy, its terms, a
/// transparency report…) as it was fetched, with the text a reader quotes from. Its own entry
/// kind (`document`) under its own signature context, so an archived page can never pass for a
/// statement or the other way round (docs/FORMAT.md §5c).
public struct ArchivedDocument: Equatable, Sendable {
    public static let schema = "disclosure-document/v1"
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
    }

    /// What the content is, without parameters (its charset was used to decode the text).
    public enum MediaType: String, CaseIterable, Sendable {
        case html = "text/html"
        case plain = "text/plain"
    }

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
        guard try r.string("schema", maxLength: 64) == Self.schema else { throw ValidationError("schema", "must be \"\(Self.schema)\"") }
        platform = try r.slug("platform")
        type = try r.choice("document_type", among: DocumentType.allCases)
        url = try r.string("url", maxLength: 2048)
        guard Statement.isWebURL(url) else { throw ValidationError("url", "must be an http:// or https:// URL") }
        let retrievedText = try r.string("retrieved_at", maxLength: 20)
        guard let retrieved = Timestamp(retrievedText), retrieved.secondsText == retrievedText else {
            throw ValidationError("retrieved_at", "must be a UTC time to the second, like 2019-03-14T09:00:00Z")
        }
        retrievedAt = retrieved
        mediaType = try r.choice("media_type", among: MediaType.allCases)
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
        .object(JSONObject([
            "schema": .string(Self.schema), "platform": .string(platform), "document_type": .string(type.rawValue),
            "url": .string(url), "retrieved_at": .string(retrievedAt.secondsText), "media_type": .string(mediaType.rawValue),
            "content": .string(Base64.encode(content)), "content_sha256": .string(contentSHA256.hex),
            "text_rules": .string(Self.textRules), "text": .string(text),
        ]))
    }

    public init(platform: String, type: DocumentType, url: String, retrievedAt: Timestamp, mediaType: MediaType, content: [UInt8], text: String) {
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
