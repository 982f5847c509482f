import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Does the ledger's tree contain a checkpoint someone saw before? Checked with an RFC 9162
/// consistency proof built from the stored hashes, O(log n), so it works equally after a full
/// audit and at the start of an incremental one. When the answer is no and the ledger's own
/// hashes support its latest checkpoint, the two signed notes are split-view evidence.
enum TreeContainment {
    /// Throws unless `given` is a prefix of the tree of `top` (a checkpoint of the same log whose
    /// note has been verified). `what` names `given` in messages ("the state's checkpoint").
    static func require(_ given: SignedCheckpoint, within top: SignedCheckpoint, logKey: NoteVerifierKey,
                        location: FailureLocation, what: String, reader: SnapshotReader) throws {
        let m = given.checkpoint.size, n = top.checkpoint.size
        guard m <= n else {
            throw IntegrityFailure(location, "\(what) is of size \(m), but the ledger's latest checkpoint is of size \(n): the ledger was rolled back, or this is another history of the log",
                                   evidence: SplitViewEvidence(given.note, top.note))
        }
        if consistent(m, given.checkpoint.root, with: top, reader: reader) { return }
        // Not a prefix. It is a split view if the ledger's own hashes support its checkpoint and give
        // another root at size m; otherwise the stored hashes themselves are damaged.
        guard let storedRoot = try? reader.root(size: m), storedRoot != given.checkpoint.root,
              (try? reader.root(size: n)) == top.checkpoint.root, consistent(m, storedRoot, with: top, reader: reader) else {
            throw IntegrityFailure(location, "\(what) (size \(m)) is not part of the ledger's tree, and the stored Merkle hashes do not support the ledger's own checkpoint at size \(n): the hashes table was altered; run a full audit")
        }
        // Prefer the ledger's own signed checkpoint at the same size: same size, different roots.
        var other = top
        if let note = try reader.checkpointNote(size: m),
           let same = try? SignedCheckpoint(opening: Array(note.utf8), logKey: logKey), same.checkpoint.root == storedRoot {
            other = same
        }
        throw IntegrityFailure(location, "split view: \(what) has root \(given.checkpoint.root.base64) at size \(m), but this ledger's tree has root \(storedRoot.base64) at that size (its checkpoint at size \(other.checkpoint.size) is signed by the same key)",
                               evidence: SplitViewEvidence(given.note, other.note))
    }

    /// True if the tree (m, root) is a prefix of `top` according to the stored hashes.
    private static func consistent(_ m: Int64, _ root: Digest, with top: SignedCheckpoint, reader: SnapshotReader) -> Bool {
        let n = top.checkpoint.size
        if m == 0 { return root == MerkleHash.emptyRoot }
        if m == n { return root == top.checkpoint.root }
        guard let proof = try? reader.consistencyProof(oldSize: m, newSize: n) else { return false }
        return proof.verify(oldRoot: root, newRoot: top.checkpoint.root)
    }

}
