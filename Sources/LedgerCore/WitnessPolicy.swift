import LedgerCrypto

/// What a witness decides before cosigning (C2SP `tlog-witness` semantics): a checkpoint is
/// cosigned only if it extends, consistently, the last checkpoint the witness cosigned for that
/// origin. A smaller tree is a rollback; a different root at the same size, or a proof that does
/// not link the two roots, is a fork, and both notes are the evidence.
public enum WitnessPolicy {
    /// The last checkpoint a witness cosigned for an origin.
    public struct Latest: Sendable {
        public let checkpoint: Checkpoint
        public let note: String

        public init(checkpoint: Checkpoint, note: String) {
            self.checkpoint = checkpoint
            self.note = note
        }
    }

    /// Throws unless `new` may be cosigned after `latest` (nil: the witness has seen nothing of
    /// this origin, and accepts any first checkpoint). `proof` must link the two sizes when the
    /// tree grew from a non-empty one.
    public static func check(_ new: Checkpoint, newNote: String, after latest: Latest?, proof: ConsistencyProof?) throws {
        guard let latest else { return }
        let old = latest.checkpoint
        guard old.origin == new.origin else { throw WitnessError.wrongOrigin(found: new.origin, expected: old.origin) }
        if new.size < old.size {
            throw WitnessError.rollback(oldSize: old.size, newSize: new.size, evidence: [latest.note, newNote])
        }
        if new.size == old.size {
            guard new.root == old.root else {
                throw WitnessError.fork(reason: "two roots for size \(new.size)", evidence: [latest.note, newNote])
            }
            return
        }
        if old.size == 0 { return }  // every tree extends the empty tree
        guard let proof else { throw WitnessError.proofRequired(oldSize: old.size, newSize: new.size) }
        guard proof.oldSize == old.size, proof.newSize == new.size else {
            throw WitnessError.proofForOtherSizes(proof: (proof.oldSize, proof.newSize), needed: (old.size, new.size))
        }
        guard proof.verify(oldRoot: old.root, newRoot: new.root) else {
            throw WitnessError.fork(reason: "the consistency proof from size \(old.size) to \(new.size) does not verify",
                                    evidence: [latest.note, newNote])
        }
    }
}

extension WitnessPolicy {
    /// The decision of a `tlog-witness` `add-checkpoint` request (C2SP), after the checkpoint's
    /// signature was checked: `oldSize` must not exceed the new size (400) and must be the size
    /// last cosigned, or 0 if none (409, with that size); at equal sizes the roots must match
    /// (409); from 0 the proof must be empty, otherwise it must link the two roots (422). An
    /// empty tree must have the empty root (422). Costs one proof verification.
    public static func checkAddCheckpoint(_ new: Checkpoint, oldSize: Int64, proof: [Digest], after latest: Latest?) throws {
        guard oldSize <= new.size else { throw AddCheckpointError.oldSizeAboveCheckpoint(old: oldSize, size: new.size) }
        let latestSize = latest?.checkpoint.size ?? 0
        guard oldSize == latestSize else { throw AddCheckpointError.staleOldSize(old: oldSize, latest: latestSize) }
        if new.size == 0, new.root != MerkleHash.emptyRoot { throw AddCheckpointError.proofDoesNotVerify(old: oldSize, size: new.size) }
        if let latest, oldSize == new.size {
            guard latest.checkpoint.root == new.root else { throw AddCheckpointError.sameSizeOtherRoot(size: new.size) }
            return
        }
        guard oldSize > 0, let latest else {
            guard proof.isEmpty else { throw AddCheckpointError.proofDoesNotVerify(old: oldSize, size: new.size) }
            return
        }
        let consistency = ConsistencyProof(oldSize: oldSize, newSize: new.size, hashes: proof)
        guard consistency.verify(oldRoot: latest.checkpoint.root, newRoot: new.root) else {
            throw AddCheckpointError.proofDoesNotVerify(old: oldSize, size: new.size)
        }
    }
}

public enum WitnessError: Error, CustomStringConvertible {
    case unknownLog(origin: String)
    case wrongOrigin(found: String, expected: String)
    case rollback(oldSize: Int64, newSize: Int64, evidence: [String])
    case fork(reason: String, evidence: [String])
    case proofRequired(oldSize: Int64, newSize: Int64)
    case proofForOtherSizes(proof: (Int64, Int64), needed: (Int64, Int64))

    /// Both signed notes, when the refusal is evidence against the log.
    public var evidence: [String] {
        switch self {
        case .rollback(_, _, let e), .fork(_, let e): return e
        default: return []
        }
    }

    public var description: String {
        switch self {
        case .unknownLog(let o): return "this witness does not follow log '\(o)'; add its key with `ledger witness add-log VKEY`"
        case .wrongOrigin(let f, let e): return "checkpoint origin '\(f)' is not '\(e)'"
        case .rollback(let o, let n, _): return "rollback: this witness already cosigned size \(o), refusing size \(n)"
        case .fork(let why, _): return "fork: \(why); the log shows two histories (both notes follow)"
        case .proofRequired(let o, let n): return "a consistency proof from size \(o) to \(n) is required (--proof FILE, from `ledger prove consistency \(o) \(n)`)"
        case .proofForOtherSizes(let p, let n): return "the proof links sizes \(p.0) → \(p.1), but \(n.0) → \(n.1) is needed"
        }
    }
}
