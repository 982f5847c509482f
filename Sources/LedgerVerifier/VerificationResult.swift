import LedgerCore
import LedgerCrypto

/// Where an integrity failure is: an entry, or a stored checkpoint (named by its tree size).
public enum FailureLocation: Equatable, Sendable, CustomStringConvertible {
    case entry(seq: Int64)
    case checkpoint(size: Int64)
    case ledger

    public var description: String {
        switch self {
        case .entry(let seq): return "seq \(seq)"
        case .checkpoint(let size): return "checkpoint at size \(size)"
        case .ledger: return "ledger"
        }
    }

    /// Order of discovery in a front-to-back audit: entry s comes before the checkpoint of size s+1.
    var position: Double {
        switch self {
        case .entry(let seq): return Double(seq)
        case .checkpoint(let size): return Double(size) - 0.5
        case .ledger: return .infinity
        }
    }
}

/// The first thing wrong with a ledger, and why.
public struct IntegrityFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let location: FailureLocation
    public let reason: String

    public init(_ location: FailureLocation, _ reason: String) {
        self.location = location
        self.reason = reason
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
}
