import LedgerCrypto

/// A `disclosure-response/v1` document: a registered signer endorses or disputes an earlier
/// statement, with its reason and source. It is its own entry kind (`response`), signed under
/// its own context, so a response can never be replayed as a statement or the other way round.
public struct Response: Equatable, Sendable {
    public static let schema = "disclosure-response/v1"

    public enum Stance: String, CaseIterable, Sendable {
        case endorsement
        case dispute
    }

    /// The statement responded to, named like a correction names its target.
    public let targetSeq: Int64
    public let targetLeafHash: Digest
    public let stance: Stance
    public let reason: String
    public let source: Statement.Source
    public let language: String

    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        guard try r.string("schema", maxLength: 64) == Response.schema else { throw ValidationError("schema", "must be \"\(Response.schema)\"") }
        var t = try r.object("target")
        targetSeq = try t.integer("seq", min: 0)
        let hashText = try t.string("leaf_hash", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError(t.child("leaf_hash"), "must be the 64 lowercase hex digits of the target entry's leaf hash")
        }
        targetLeafHash = hash
        try t.finish()
        let stanceText = try r.string("stance", maxLength: 32)
        guard let stance = Stance(rawValue: stanceText) else {
            throw ValidationError("stance", "must be \"endorsement\" or \"dispute\", found \"\(stanceText)\"")
        }
        self.stance = stance
        reason = try r.string("reason", maxLength: 4000, allowNewlines: true)
        source = try Statement.source(&r)
        language = try Statement.language(&r)
        try r.finish()
    }
}
