import LedgerCore

/// Why a mirror round stopped. `kind` names the evidence kind stored in `mirror_evidence`.
public enum MirrorError: Error, CustomStringConvertible {
    /// The source could not be reached, or answered with an error status.
    case unreachable(url: String, reason: String)
    /// The source answered something that is not what the protocol says (unparsable, wrong size).
    case badResponse(url: String, reason: String)
    /// The source's checkpoint is not signed by the pinned log key.
    case badSignature(reason: String)
    /// The source's tree is smaller than the one this mirror already verified.
    case rollback(localSize: Int64, remoteSize: Int64)
    /// The source's tree does not extend the one this mirror verified (no valid consistency proof).
    case fork(reason: String, proof: String? = nil)
    /// An entry, body, hash or checkpoint of the source fails the audit.
    case verification(String)
    /// This file cannot mirror that log (another log's ledger, no key pinned).
    case usage(String)
    /// The local copy could not be read or written, or fails its own audit: not the source's doing.
    case local(String)

    /// The proof the source served that shows the refusal, if any.
    var proof: String? {
        if case .fork(_, let proof) = self { return proof }
        return nil
    }

    /// Any error of a fetch, as a mirror error.
    static func from(_ error: any Error) -> MirrorError {
        (error as? MirrorError) ?? .badResponse(url: "", reason: "\(error)")
    }

    /// The name a refusal is kept under in `mirror_evidence.kind`.
    public var evidenceKind: String {
        switch self {
        case .unreachable: return "unreachable"
        case .badResponse: return "bad-response"
        case .badSignature: return "bad-signature"
        case .rollback: return "rollback"
        case .fork: return "fork"
        case .verification: return "verification"
        case .usage: return "usage"
        case .local: return "local"
        }
    }

    /// True for what shows the source misbehaving (exit 1), false for what only stopped the round (exit 2).
    public var isIntegrityFailure: Bool {
        switch self {
        case .badSignature, .rollback, .fork, .verification, .badResponse: return true
        case .unreachable, .usage, .local: return false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): return "the source is unreachable: \(url): \(reason)"
        case .badResponse(let url, let reason): return "the source answered badly: \(url): \(reason)"
        case .badSignature(let reason): return "the source's checkpoint is not signed by the pinned log key: \(reason)"
        case .rollback(let l, let r):
            return "ROLLBACK: the source now shows \(r) entries, but this mirror already verified \(l) signed by the same log key"
        case .fork(let reason, _): return "FORK: the source's tree does not extend the tree this mirror verified: \(reason)"
        case .verification(let reason): return "the source's entries fail verification: \(reason)"
        case .usage(let reason): return reason
        case .local(let reason): return "the local copy: \(reason)"
        }
    }
}

extension MirrorError: KindedError {
    /// What the source served is wrong (integrity); a usage mistake (caller); or this side's
    /// network or disk (local).
    public var kind: FailureKind {
        if isIntegrityFailure { return .integrity }
        if case .usage = self { return .caller }
        return .local
    }
}
