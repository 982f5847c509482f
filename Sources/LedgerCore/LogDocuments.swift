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

/// `disclosure-withhold/v1`: the log key's notice that an entry's body is no longer served.
/// The entry, its hashes and its signature stay; only the body bytes go.
public struct WithholdNotice: Equatable, Sendable {
    public static let schema = "disclosure-withhold/v1"

    public let seq: Int64
    public let bodySHA256: Digest
    public let reason: String

    public init(seq: Int64, bodySHA256: Digest, reason: String) {
        self.seq = seq
        self.bodySHA256 = bodySHA256
        self.reason = reason
    }

    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        guard try r.string("schema", maxLength: 64) == WithholdNotice.schema else { throw ValidationError("schema", "must be \"\(WithholdNotice.schema)\"") }
        seq = try r.integer("seq", min: 0)
        let hashText = try r.string("body_sha256", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError("body_sha256", "must be 64 lowercase hex digits")
        }
        bodySHA256 = hash
        reason = try r.string("reason", maxLength: 2000, allowNewlines: true)
        try r.finish()
    }

    public var json: JSONValue {
        .object(["schema": .string(WithholdNotice.schema), "seq": .integer(seq),
                 "body_sha256": .string(bodySHA256.hex), "reason": .string(reason)])
    }
}

/// Names of signers: 1-64 characters of a-z, 0-9, '.', '-', '_'. `log` is the log key itself.
public enum SignerName {
    public static let log = "log"
    static let rule = "must be 1-64 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit"

    public static func isValid(_ s: String) -> Bool { Slug.isValid(s) }
}
