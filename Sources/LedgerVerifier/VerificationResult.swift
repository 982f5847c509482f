import LedgerCore
import LedgerCrypto

/// Where an integrity failure is: an entry, or a stored checkpoint (named by its tree size).
public enum FailureLocation: Equatable, Sendable, CustomStringConvertible {
    case entry(seq: Int64)
    case checkpoint(size: Int64)
    case ledger
    /// A checkpoint, receipt or state the user supplied, named as given (e.g. "--state audit.json").
    case given(String)

    public var description: String {
        switch self {
        case .entry(let seq): return "seq \(seq)"
        case .checkpoint(let size): return "checkpoint at size \(size)"
        case .ledger: return "ledger"
        case .given(let what): return what
        }
    }

    /// Order of discovery in a front-to-back audit: entry s comes before the checkpoint of size s+1.
    var position: Double {
        switch self {
        case .entry(let seq): return Double(seq)
        case .checkpoint(let size): return Double(size) - 0.5
        case .ledger, .given: return .infinity
        }
    }
}

/// The first thing wrong with a ledger, and why.
public struct IntegrityFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let location: FailureLocation
    public let reason: String
    /// Two signed checkpoints that cannot both be true, when the failure is a split view or rollback.
    public let evidence: SplitViewEvidence?

    public init(_ location: FailureLocation, _ reason: String, evidence: SplitViewEvidence? = nil) {
        self.location = location
        self.reason = reason
        self.evidence = evidence
    }

    public var description: String { "\(location): \(reason)" }
}

/// What a clean audit saw.
public struct VerificationReport: Sendable {
    public let origin: String
    public let size: Int64
    public let root: Digest
    public let checkpointsChecked: Int
    public let withheld: [Int64]
    public let signers: [String]
    /// The latest stored checkpoint note, verified.
    public let latestCheckpoint: String
    /// How many entries this run checked, and the size it resumed from (nil: from the start).
    public let entriesChecked: Int64
    public let resumedFrom: Int64?
    /// What a later run needs to resume after this one.
    public let resumeState: AuditResumeState
    /// The checkpoints given with `--checkpoint` that the ledger was shown to contain.
    public var containsGiven: [Checkpoint] = []
}

extension IntegrityFailure: KindedError { public var kind: FailureKind { .integrity } }
extension OfflineUsageError: KindedError { public var kind: FailureKind { .caller } }
extension AuditResumeError: KindedError { public var kind: FailureKind { .caller } }
