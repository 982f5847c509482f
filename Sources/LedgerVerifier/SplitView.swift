import LedgerCore

/// Evidence that a log showed two histories: two checkpoints, each validly signed by the log key,
/// that cannot both be true (same size and different roots, or no consistency proof from the
/// smaller to the larger). Anyone holding the log's verifier key can check both signatures.
public struct SplitViewEvidence: Equatable, Sendable {
    /// The two signed notes, exactly as signed: the one the checker held first, then the other.
    public let first: String
    public let second: String

    public init(_ first: String, _ second: String) {
        self.first = first
        self.second = second
    }

    public var notes: [String] { [first, second] }

    /// Both notes, each under a header line, for printing.
    public var text: String {
        "split-view evidence: two checkpoints signed by the log that cannot both be true\n"
            + "--- checkpoint 1\n" + first + "--- checkpoint 2\n" + second
    }
}

/// A checkpoint together with the note that carries its signature.
public struct SignedCheckpoint: Sendable {
    public let checkpoint: Checkpoint
    public let note: String

    public init(checkpoint: Checkpoint, note: String) {
        self.checkpoint = checkpoint
        self.note = note
    }

    /// Opens `note` under the log key: signature, origin, checkpoint syntax.
    public init(opening note: [UInt8], logKey: NoteVerifierKey) throws {
        self.checkpoint = try Checkpoint.open(note, logKey: logKey).checkpoint
        self.note = String(decoding: note, as: UTF8.self)
    }
}
