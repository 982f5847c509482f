import LedgerCore
import LedgerCrypto

/// Checks that need no database, only the log's verifier key: a receipt, and a consistency proof
/// between two checkpoints. Each throws `IntegrityFailure` at `.given(label)` naming the first
/// thing wrong, or `ProofDocumentError.unsupportedFormat` for a document of another version.
public enum OfflineCheck {
    /// What a valid receipt shows.
    public struct ReceiptReport: Sendable {
        public let entry: Entry
        public let checkpoint: Checkpoint
        public let bodyChecked: Bool
        /// True when the entry is signed by the log key and that signature was checked too.
        public let signatureChecked: Bool
    }

    /// A receipt (`disclosure-receipt/v1`): the note verifies under `logKey` and names its origin;
    /// the proof is for that origin, size and root; the leaf is a well-formed entry whose seq is
    /// the proof's leaf index and whose hash is `leaf_hash`; the inclusion path has exactly the
    /// RFC 9162 length and leads to the root; a body, if present, is canonical and hashes to the
    /// leaf's `body_sha256`.
    public static func receipt(_ bytes: [UInt8], logKey: NoteVerifierKey, label: String) throws -> ReceiptReport {
        let at = FailureLocation.given(label)
        func fail(_ why: String) -> IntegrityFailure { IntegrityFailure(at, why) }
        let receipt: Receipt
        do { receipt = try Receipt(parsing: bytes) } catch let e as ProofDocumentError {
            if case .unsupportedFormat = e { throw e }
            throw fail("\(e)")
        }
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint.open(Array(receipt.checkpoint.utf8), logKey: logKey).checkpoint } catch {
            throw fail("the checkpoint does not verify under the log key \(logKey.text): \(error)")
        }
        let proof = receipt.proof
        try requireSameTree(proof.origin, proof.proof.size, proof.root, checkpoint, "the inclusion proof", at)
        let entry: Entry
        do { entry = try Entry(leaf: receipt.leaf) } catch { throw fail("the leaf is not a valid entry: \(error)") }
        guard entry.seq == proof.proof.index else {
            throw fail("the leaf says seq \(entry.seq), but the proof is for leaf_index \(proof.proof.index)")
        }
        let leafHash = MerkleHash.leaf(receipt.leaf)
        guard leafHash == proof.leafHash else {
            throw fail("the leaf hashes to \(leafHash.base64), not to the proof's leaf_hash \(proof.leafHash.base64) (the leaf was altered)")
        }
        let expected = InclusionProof.expectedLength(index: proof.proof.index, size: proof.proof.size)
        guard proof.proof.hashes.count == expected else {
            throw fail("the inclusion path has \(proof.proof.hashes.count) hashes, but a proof for leaf \(proof.proof.index) in a tree of \(proof.proof.size) has exactly \(expected) (\(proof.proof.hashes.count < expected ? "truncated" : "extra hashes"))")
        }
        guard proof.proof.verify(leafHash: leafHash, root: checkpoint.root) else {
            throw fail("the inclusion path does not lead from the leaf to the checkpoint's root (a proof hash was altered)")
        }
        if let bytes = receipt.body {
            let body: Body
            do { body = try Body(stored: bytes) } catch { throw fail("the body is not a valid canonical body: \(error)") }
            guard body.sha256 == entry.bodySHA256 else {
                throw fail("the body's SHA-256 is \(body.sha256.hex), but the leaf's body_sha256 is \(entry.bodySHA256.hex) (the body was altered)")
            }
            guard body.kind == entry.kind else { throw fail("a \(entry.kind.rawValue) entry carries a \(body.kind.rawValue) body") }
        }
        var signatureChecked = false
        if entry.signer == SignerName.log {
            guard logKey.publicKey.verify(signature: entry.signature, message: entry.kind.signedMessage(bodySHA256: entry.bodySHA256)) else {
                throw fail("the entry's signature by the log key does not verify")
            }
            signatureChecked = true
        }
        return ReceiptReport(entry: entry, checkpoint: checkpoint, bodyChecked: receipt.body != nil, signatureChecked: signatureChecked)
    }

    /// Two checkpoints and a consistency proof (`disclosure-proof/v1`, type consistency) between
    /// them: both notes verify under `logKey`; equal sizes need equal roots; otherwise the proof must
    /// be for these sizes and roots, of exactly the RFC 9162 length, and verify. A failure between
    /// two validly signed checkpoints carries both notes as split-view evidence.
    public static func consistency(old oldNote: [UInt8], new newNote: [UInt8], proof bytes: [UInt8], logKey: NoteVerifierKey,
                                   labels: (old: String, new: String, proof: String)) throws -> (old: Checkpoint, new: Checkpoint) {
        let old = try open(oldNote, logKey: logKey, label: labels.old)
        let new = try open(newNote, logKey: logKey, label: labels.new)
        let at = FailureLocation.given(labels.proof)
        let evidence = SplitViewEvidence(old.note, new.note)
        let (m, n) = (old.checkpoint.size, new.checkpoint.size)
        guard m <= n else { throw OfflineUsageError("\(labels.old) is of size \(m), larger than \(labels.new) (size \(n)); give the older checkpoint first") }
        if m == n, old.checkpoint.root != new.checkpoint.root {
            throw IntegrityFailure(at, "split view: both checkpoints are of size \(m) but their roots differ", evidence: evidence)
        }
        let document: ConsistencyProofDocument
        do { document = try ConsistencyProofDocument(parsing: bytes) } catch let e as ProofDocumentError {
            if case .unsupportedFormat = e { throw e }
            throw IntegrityFailure(at, "\(e)")
        }
        let p = document.proof
        guard document.origin == old.checkpoint.origin else {
            throw IntegrityFailure(at, "the proof is for origin '\(document.origin)', the checkpoints for '\(old.checkpoint.origin)'")
        }
        guard p.oldSize == m, p.newSize == n else {
            throw IntegrityFailure(at, "the proof is from size \(p.oldSize) to \(p.newSize), but the checkpoints are of sizes \(m) and \(n)\(p.newSize > n ? " (a size larger than the newer tree)" : "")")
        }
        guard document.oldRoot == old.checkpoint.root, document.newRoot == new.checkpoint.root else {
            throw IntegrityFailure(at, "the proof names other roots than the checkpoints")
        }
        guard p.hashes.count == document.expectedLength else {
            throw IntegrityFailure(at, "the consistency path has \(p.hashes.count) hashes, but from size \(m) to \(n) it has exactly \(document.expectedLength) (\(p.hashes.count < document.expectedLength ? "truncated" : "extra hashes"))")
        }
        guard document.verify(oldRoot: old.checkpoint.root, newRoot: new.checkpoint.root) else {
            throw IntegrityFailure(at, "the proof does not show that the tree of size \(n) extends the tree of size \(m): the proof was altered, or the log forked (unless a valid proof exists, the two signed checkpoints are evidence of a split view)",
                                   evidence: evidence)
        }
        return (old.checkpoint, new.checkpoint)
    }

    private static func open(_ note: [UInt8], logKey: NoteVerifierKey, label: String) throws -> SignedCheckpoint {
        do { return try SignedCheckpoint(opening: note, logKey: logKey) } catch {
            throw IntegrityFailure(.given(label), "not a checkpoint signed by the log key \(logKey.text): \(error)")
        }
    }

    private static func requireSameTree(_ origin: String, _ size: Int64, _ root: Digest, _ checkpoint: Checkpoint,
                                        _ what: String, _ at: FailureLocation) throws {
        guard origin == checkpoint.origin else {
            throw IntegrityFailure(at, "\(what) is for origin '\(origin)', but the checkpoint is of '\(checkpoint.origin)'")
        }
        guard size == checkpoint.size else {
            throw IntegrityFailure(at, "\(what) is for a tree of size \(size), but the checkpoint is of size \(checkpoint.size)\(size > checkpoint.size ? " (a size larger than the checkpoint's tree)" : "")")
        }
        guard root == checkpoint.root else {
            throw IntegrityFailure(at, "\(what) names root \(root.base64), but the checkpoint's root is \(checkpoint.root.base64)")
        }
    }
}

/// The checker was called the wrong way round (exit 2).
public struct OfflineUsageError: Error, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
