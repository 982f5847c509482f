import LedgerCrypto

/// A body document in canonical form: the bytes the ledger stores, their digest, and what they say.
public struct Body: Sendable {
    public enum Document: Sendable, Equatable {
        case statement(Statement)
        case signer(SignerEvent)
        case withhold(WithholdNotice)
        case response(Response)
        case archive(ArchivedDocument)
    }

    /// The most bytes of a statement, response, signer event or notice.
    public static let maxBytes = 64 * 1024
    /// The most bytes of an archived document's body (its content is base64, its text beside it).
    public static let maxDocumentBytes = 6 * 1024 * 1024

    /// The limit for a body of `kind`.
    public static func maxBytes(for kind: EntryKind) -> Int { kind == .document ? maxDocumentBytes : maxBytes }

    public let canonical: [UInt8]
    public let sha256: Digest
    public let document: Document

    public var kind: EntryKind { Body.kind(of: document) }

    static func kind(of document: Document) -> EntryKind {
        switch document {
        case .statement: return .statement
        case .signer: return .signer
        case .withhold: return .withhold
        case .response: return .response
        case .archive: return .document
        }
    }

    public var statement: Statement? {
        if case .statement(let s) = document { return s }
        return nil
    }

    /// Parses, validates and canonicalises raw input. Accepts any valid JSON spelling of a
    /// document (whitespace, member order, escapes) and refuses what has no exact canonical form.
    /// Input is what people and clients submit (statements and responses), so it is bounded by
    /// `maxBytes` before parsing; archived pages are built with `init(value:)`.
    public init(parsing raw: [UInt8]) throws {
        guard raw.count <= Body.maxBytes else { throw BodyError.tooLarge(bytes: raw.count, limit: Body.maxBytes) }
        let value: JSONValue
        do { value = try JSONParser.parse(raw) } catch let e as JSONError { throw BodyError.invalidJSON(e) }
        try self.init(value: value)
    }

    public init(value: JSONValue) throws {
        try self.init(value: value, canonical: nil)
    }

    /// `canonical` is given when the caller already knows the canonical bytes of `value`.
    private init(value: JSONValue, canonical known: [UInt8]?) throws {
        guard case .string(let schema)? = value["schema"] else {
            throw BodyError.invalid(ValidationError("schema", "is required (\"\(Statement.schema)\" for a statement)"))
        }
        do {
            switch schema {
            case Statement.schema, Statement.schemaV1: document = .statement(try Statement(validating: value))
            case SignerEvent.schema: document = .signer(try SignerEvent(validating: value))
            case WithholdNotice.schema, WithholdNotice.schemaV1, WithholdNotice.schemaV3: document = .withhold(try WithholdNotice(validating: value))
            case Response.schema: document = .response(try Response(validating: value))
            case ArchivedDocument.schema, ArchivedDocument.schemaV1: document = .archive(try ArchivedDocument(validating: value))
            default: throw ValidationError("schema", "unknown schema \"\(schema)\"; expected \"\(Statement.schema)\" (or \"\(Statement.schemaV1)\"), \"\(Response.schema)\" or \"\(ArchivedDocument.schema)\"")
            }
        } catch let e as ValidationError {
            throw BodyError.invalid(e)
        }
        canonical = known ?? CanonicalJSON.encode(value)
        let limit = Body.maxBytes(for: Body.kind(of: document))
        guard canonical.count <= limit else { throw BodyError.tooLarge(bytes: canonical.count, limit: limit) }
        sha256 = SHA256.hash(canonical)
    }

    /// Checks stored bytes: they must parse, validate, and already be canonical.
    public init(stored bytes: [UInt8]) throws {
        guard bytes.count <= Body.maxDocumentBytes else { throw BodyError.tooLarge(bytes: bytes.count, limit: Body.maxDocumentBytes) }
        let parsed: (value: JSONValue, isCanonical: Bool)
        do { parsed = try JSONParser.parseCheckingCanonical(bytes) } catch let e as JSONError { throw BodyError.invalidJSON(e) }
        try self.init(value: parsed.value, canonical: bytes)
        guard parsed.isCanonical else { throw BodyError.notCanonical }
    }
}

public enum BodyError: Error, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int, limit: Int)
    case invalidJSON(JSONError)
    case invalid(ValidationError)
    case notCanonical

    public var description: String {
        switch self {
        case .tooLarge(let n, let limit): return "document is \(n) bytes; at most \(limit) (\(limit >> 10) KiB) allowed"
        case .invalidJSON(let e): return "invalid JSON: \(e)"
        case .invalid(let e): return e.description
        case .notCanonical: return "stored body is not in RFC 8785 canonical form"
        }
    }
}
