import LedgerCrypto

/// What an entry records; each kind has its own body schema and signature context.
public enum EntryKind: String, CaseIterable, Sendable {
    case statement
    case signer
    case withhold
    /// An endorsement or dispute of an earlier statement (`disclosure-response/v1`).
    case response
    /// A platform's page as fetched, with its text (`disclosure-document/v1`).
    case document

    public var bodySchema: String {
        switch self {
        case .statement: return Statement.schema
        case .signer: return SignerEvent.schema
        case .withhold: return WithholdNotice.schema
        case .response: return Response.schema
        case .document: return ArchivedDocument.schema
        }
    }

    /// The domain-separation prefix of this kind's signed message. An Ed25519 signature made for
    /// one kind can never be replayed as another, nor as a checkpoint note (which starts with the origin).
    public var signatureContext: String { "disclosure-ledger/v1 \(rawValue)\n" }

    /// The exact bytes a signer signs: the context prefix, then the 32-byte SHA-256 of the
    /// canonical body. Signing the digest keeps a withheld body's signature checkable.
    public func signedMessage(bodySHA256: Digest) -> [UInt8] {
        Array(signatureContext.utf8) + bodySHA256.bytes
    }
}

/// One ledger entry. Its leaf bytes (RFC 8785 canonical JSON of these fields) are the RFC 9162
/// Merkle leaf, and its leaf hash is what the next entry's `prev` names.
public struct Entry: Equatable, Sendable {
    public static let version: Int64 = 1

    public let seq: Int64
    public let time: Timestamp
    public let kind: EntryKind
    public let bodySHA256: Digest
    public let signer: String
    public let signature: [UInt8]
    public let prev: Digest

    public init(seq: Int64, time: Timestamp, kind: EntryKind, bodySHA256: Digest, signer: String, signature: [UInt8], prev: Digest) {
        self.seq = seq
        self.time = time
        self.kind = kind
        self.bodySHA256 = bodySHA256
        self.signer = signer
        self.signature = signature
        self.prev = prev
    }

    public var json: JSONValue {
        .object([
            "v": .integer(Entry.version),
            "seq": .integer(seq),
            "time": .string(time.description),
            "kind": .string(kind.rawValue),
            "body_sha256": .string(bodySHA256.hex),
            "signer": .string(signer),
            "sig": .string(Base64.encode(signature)),
            "prev": .string(prev.hex),
        ])
    }

    /// The canonical leaf bytes: `CanonicalJSON.encode(json)`, written directly because every
    /// append and every audit computes it. Members are in RFC 8785 order and every value is ASCII
    /// needing no escape (hex, base64, a validated name, an RFC 3339 time), so concatenation is
    /// canonical; tests check the two agree.
    public var leaf: [UInt8] {
        guard SignerName.isValid(signer) else { return CanonicalJSON.encode(json) }
        var out = [UInt8]()
        out.reserveCapacity(384)
        out += #"{"body_sha256":""#.utf8
        out += bodySHA256.hex.utf8
        out += #"","kind":""#.utf8
        out += kind.rawValue.utf8
        out += #"","prev":""#.utf8
        out += prev.hex.utf8
        out += #"","seq":"#.utf8
        out += String(seq).utf8
        out += #","sig":""#.utf8
        out += Base64.encode(signature).utf8
        out += #"","signer":""#.utf8
        out += signer.utf8
        out += #"","time":""#.utf8
        out += time.description.utf8
        out += #"","v":"#.utf8
        out += String(Entry.version).utf8
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Decodes leaf bytes, refusing anything that is not exactly the canonical encoding of a
    /// well-formed entry (so one entry has one leaf, and one leaf hash).
    public init(leaf: [UInt8]) throws {
        let value: JSONValue
        do { value = try JSONParser.parse(leaf) } catch let e as JSONError { throw EntryError.malformed(e.description) }
        do {
            var r = try FieldReader(value, path: "")
            guard try r.integer("v") == Entry.version else { throw ValidationError("v", "unsupported entry version") }
            seq = try r.integer("seq")
            guard let time = Timestamp(try r.string("time", maxLength: 24), millisecondsRequired: true) else {
                throw ValidationError("time", "must be a UTC time with milliseconds")
            }
            self.time = time
            let kindText = try r.string("kind", maxLength: 16)
            guard let kind = EntryKind(rawValue: kindText) else { throw ValidationError("kind", "unknown kind '\(kindText)'") }
            self.kind = kind
            bodySHA256 = try Entry.digest(&r, "body_sha256")
            signer = try r.string("signer", maxLength: 64)
            guard SignerName.isValid(signer) else { throw ValidationError("signer", SignerName.rule) }
            guard let sig = Base64.decode(try r.string("sig", maxLength: 88)), sig.count == 64 else {
                throw ValidationError("sig", "must be a base64 64-byte Ed25519 signature")
            }
            signature = sig
            prev = try Entry.digest(&r, "prev")
            try r.finish()
        } catch let e as ValidationError {
            throw EntryError.malformed(e.description)
        }
        guard CanonicalJSON.encode(value) == leaf else { throw EntryError.notCanonical }
    }

    private static func digest(_ r: inout FieldReader, _ key: String) throws -> Digest {
        let text = try r.string(key, maxLength: 64)
        guard Hex.isLowercaseDigest(text), let d = Digest(hex: text) else { throw ValidationError(key, "must be 64 lowercase hex digits") }
        return d
    }
}

public enum EntryError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case notCanonical

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed entry: \(why)"
        case .notCanonical: return "entry bytes are not in RFC 8785 canonical form"
        }
    }
}
