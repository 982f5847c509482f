import LedgerCrypto

/// Whose failure an error is, which decides what the caller should do: fix the request
/// (`caller`), distrust the data (`integrity`: signed or stored bytes disagree), or look at the
/// machine (`local`: a file that cannot be opened, a full disk). The command-line programs map
/// kinds to exit statuses and the service to HTTP statuses, each in one place.
public enum FailureKind: Sendable, Equatable {
    case caller
    case integrity
    case local
}

/// An error that says which `FailureKind` it is. Every error type of the project conforms: a
/// parser or validator of bytes reports the caller's bytes (`caller`); a reader of stored or
/// signed bytes that finds them wrong reports `integrity` (StorageError.corrupt,
/// IntegrityFailure, a mirror's refusal of its source).
public protocol KindedError: Error {
    var kind: FailureKind { get }
}

extension FailureKind {
    /// The kind of any error: its own, or `local` for an error of the system or a library (a
    /// file that cannot be read, a socket that closed).
    public static func of(_ error: any Error) -> FailureKind { (error as? KindedError)?.kind ?? .local }
}

// The kinds of LedgerCore's errors (and LedgerCrypto's, which sits below FailureKind). Each is
// about bytes a caller gave, except a hash the store should hold and does not, and the
// failures of OpenSSL itself.
extension BodyError: KindedError { public var kind: FailureKind { .caller } }
extension CheckpointError: KindedError { public var kind: FailureKind { .caller } }
extension CosignatureError: KindedError { public var kind: FailureKind { .caller } }
extension EntryError: KindedError { public var kind: FailureKind { .caller } }
extension EntryBundle.FramingError: KindedError { public var kind: FailureKind { .caller } }
extension KeyHistoryError: KindedError { public var kind: FailureKind { .caller } }
extension ProofDocumentError: KindedError { public var kind: FailureKind { .caller } }
extension NoteError: KindedError { public var kind: FailureKind { .caller } }
extension WitnessError: KindedError { public var kind: FailureKind { .caller } }
extension MerkleError: KindedError {
    public var kind: FailureKind {
        if case .missingHash = self { return .integrity }
        return .caller
    }
}
extension CryptoError: KindedError {
    public var kind: FailureKind {
        switch self {
        case .keyGenerationFailed, .signingFailed, .encodingFailed: return .local
        case .notPEM, .notEd25519, .badRawKey, .encryptedKey, .publicKeyGiven: return .caller
        }
    }
}
extension TimestampError: KindedError {
    public var kind: FailureKind {
        if case .openssl = self { return .local }
        return .caller
    }
}
