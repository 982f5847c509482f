import LedgerCrypto

/// A body document in canonical form: the bytes the ledger stores, their digest, and what they say.
public struct Body: Sendable {
    public enum Document: Sendable, Equatable {
        case statement(Statement)
        case signer(SignerEvent)
        case withhold(WithholdNotice)
        case response(Response)
    }

    public static let maxBytes = 64 * 1024

    public let canonical: [UInt8]
    public let sha256: Digest
    public let document: Document

    public var kind: EntryKind {
        switch document {
        case .statement: return .statement
        case .signer: return .signer
        case .withhold: return .withhold
        case .response: return .response
        }
    }

    public var statement: Statement? {
        if case .statement(let s) = document { return s }
        return nil
    }

    /// Parses, validates and canonicalises raw input. Accepts any valid JSON spelling of a
    /// document (whitespace, member order, escapes) and refuses what has no exact canonical form.
    public init(parsing raw: [UInt8]) throws {
        guard raw.count <= Body.maxBytes else { throw BodyError.tooLarge(bytes: raw.count) }
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
            case WithholdNotice.schema, WithholdNotice.schemaV1: document = .withhold(try WithholdNotice(validating: value))
            case Response.schema: document = .response(try Response(validating: value))
            default: throw ValidationError("schema", "unknown schema \"\(schema)\"; expected \"\(Statement.schema)\" (or \"\(Statement.schemaV1)\") or \"\(Response.schema)\"")
            }
        } catch let e as ValidationError {
            throw BodyError.invalid(e)
        }
        canonical = known ?? CanonicalJSON.encode(value)
        guard canonical.count <= Body.maxBytes else { throw BodyError.tooLarge(bytes: canonical.count) }
        sha256 = SHA256.hash(canonical)
    }

    /// Checks stored bytes: they must parse, validate, and already be canonical.
    public init(stored bytes: [UInt8]) throws {
        guard bytes.count <= Body.maxBytes else { throw BodyError.tooLarge(bytes: bytes.count) }
        let parsed: (value: JSONValue, isCanonical: Bool)
        do { parsed = try JSONParser.parseCheckingCanonical(bytes) } catch let e as JSONError { throw BodyError.invalidJSON(e) }
        try self.init(value: parsed.value, canonical: bytes)
        guard parsed.isCanonical else { throw BodyError.notCanonical }
    }
}

public enum BodyError: Error, Equatable, CustomStringConvertible {
    case tooLarge(bytes: Int)
    case invalidJSON(JSONError)
    case invalid(ValidationError)
    case notCanonical

    public var description: String {
        switch self {
        case .tooLarge(let n): return "document is \(n) bytes; at most \(Body.maxBytes) (64 KiB) allowed"
        case .invalidJSON(let e): return "invalid JSON: \(e)"
        case .invalid(let e): return e.description
        case .notCanonical: return "stored body is not in RFC 8785 canonical form"
        }
    }
}
