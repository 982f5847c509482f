import LedgerCrypto

/// Who may sign what, replayed from the log's `signer` entries: the log key signs key events and
/// withhold notices; registered, unrevoked signers (and the log key) sign statements.
public struct KeyHistory: Sendable {
    public let logKey: Ed25519PublicKey
    private var active: [String: Ed25519PublicKey] = [:]
    private var revokedAt: [String: Int64] = [:]

    public init(logKey: Ed25519PublicKey) { self.logKey = logKey }

    /// Restores a history saved from `activeSigners` and `revocations` (an audit resuming from its state).
    public init(logKey: Ed25519PublicKey, active: [(name: String, key: Ed25519PublicKey)], revokedAt: [String: Int64]) {
        self.logKey = logKey
        self.active = Dictionary(active.map { ($0.name, $0.key) }, uniquingKeysWith: { a, _ in a })
        self.revokedAt = revokedAt
    }

    /// The seq at which each name was last revoked (kept if the name was added again; error messages use it).
    public var revocations: [String: Int64] { revokedAt }

    /// Applies a key event recorded at `seq`; refuses events that make no sense in order.
    public mutating func apply(_ event: SignerEvent, at seq: Int64) throws {
        guard event.name != SignerName.log else { throw KeyHistoryError.reservedName }
        switch event.action {
        case .add:
            guard active[event.name] == nil else { throw KeyHistoryError.alreadyRegistered(event.name) }
            if let weakness = Ed25519PointCheck.weakness(event.publicKey) { throw KeyHistoryError.weakKey(event.name, weakness) }
            let key = try Ed25519PublicKey(raw: event.publicKey)
            guard key != logKey else { throw KeyHistoryError.keyInUse(by: SignerName.log) }
            if let other = active.first(where: { $0.value == key })?.key { throw KeyHistoryError.keyInUse(by: other) }
            active[event.name] = key
        case .revoke:
            guard let key = active[event.name] else { throw KeyHistoryError.unknownSigner(event.name, revokedAt: revokedAt[event.name]) }
            guard key.raw == event.publicKey else { throw KeyHistoryError.revokeKeyMismatch(event.name) }
            active[event.name] = nil
            revokedAt[event.name] = seq
        }
    }

    /// The key that must have signed an entry of `kind` by `signer`, as of now. Registered
    /// signers sign statements, responses and archived documents; only the log key signs key
    /// events and notices.
    public func key(for signer: String, kind: EntryKind) throws -> Ed25519PublicKey {
        if signer == SignerName.log { return logKey }
        guard kind == .statement || kind == .response || kind == .document else { throw KeyHistoryError.needsLogKey(kind) }
        guard let key = active[signer] else { throw KeyHistoryError.unknownSigner(signer, revokedAt: revokedAt[signer]) }
        return key
    }

    /// The name under which `key` may currently sign statements.
    public func signerName(for key: Ed25519PublicKey) -> String? {
        if key == logKey { return SignerName.log }
        return active.first(where: { $0.value == key })?.key
    }

    public var activeSigners: [(name: String, key: Ed25519PublicKey)] {
        active.map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
    }
}

public enum KeyHistoryError: Error, Equatable, CustomStringConvertible {
    case reservedName
    case alreadyRegistered(String)
    case keyInUse(by: String)
    case unknownSigner(String, revokedAt: Int64?)
    case revokeKeyMismatch(String)
    case needsLogKey(EntryKind)
    case weakKey(String, String)

    public var description: String {
        switch self {
        case .reservedName: return "the signer name 'log' is reserved for the log key"
        case .alreadyRegistered(let n): return "signer '\(n)' is already registered; revoke it first"
        case .keyInUse(let n): return "this public key is already registered as '\(n)'"
        case .unknownSigner(let n, let seq?): return "signer '\(n)' was revoked at seq \(seq)"
        case .unknownSigner(let n, nil): return "signer '\(n)' is not registered"
        case .revokeKeyMismatch(let n): return "the revocation names a different key than signer '\(n)' has"
        case .weakKey(let n, let why): return "the key registered for '\(n)' is not a valid Ed25519 public key: \(why)"
        case .needsLogKey(let k): return "\(k.rawValue) entries must be signed by the log key"
        }
    }
}
