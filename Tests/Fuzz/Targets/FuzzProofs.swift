// libFuzzer target 4 (proofs): `disclosure-proof/v1` inclusion and consistency documents,
// `disclosure-receipt/v1` receipts and `disclosure-audit-state/v1` audit states.
// Built by Tests/Fuzz/run.sh; not part of `swift test`.
import LedgerCore
import LedgerCrypto

func checkInclusion(_ doc: InclusionProofDocument) {
    fuzzCheck(doc.encoded == CanonicalJSON.encode(doc.json), "InclusionProofDocument.encoded is not canonical(json)")
    fuzzCheck((try? InclusionProofDocument(parsing: doc.encoded)) == doc, "inclusion proof does not round-trip")
    let p = doc.proof
    fuzzCheck(p.index >= 0 && p.index < p.size, "leaf_index not in [0, tree_size)")
    let expected = InclusionProof.expectedLength(index: p.index, size: p.size)
    fuzzCheck((0...63).contains(expected), "expected inclusion length \(expected)")
    if let root = p.impliedRoot(leafHash: doc.leafHash) {
        fuzzCheck(p.hashes.count == expected, "a proof of \(p.hashes.count) hashes implied a root; expected \(expected)")
        fuzzCheck(p.verify(leafHash: doc.leafHash, root: root), "verify disagrees with impliedRoot")
    }
    _ = p.verify(leafHash: doc.leafHash, root: doc.root)
}

func fuzzOne(_ bytes: [UInt8]) {
    if let doc = try? InclusionProofDocument(parsing: bytes) { checkInclusion(doc) }

    if let doc = try? ConsistencyProofDocument(parsing: bytes) {
        fuzzCheck((try? ConsistencyProofDocument(parsing: doc.encoded)) == doc, "consistency proof does not round-trip")
        let p = doc.proof
        fuzzCheck(p.oldSize >= 0 && p.oldSize <= p.newSize, "sizes out of order")
        fuzzCheck((0...126).contains(doc.expectedLength), "expected consistency length \(doc.expectedLength)")
        let ok = doc.verify(oldRoot: doc.oldRoot, newRoot: doc.newRoot)
        if ok && p.oldSize > 0 && p.oldSize < p.newSize {
            fuzzCheck(p.hashes.count == doc.expectedLength, "a consistency proof of \(p.hashes.count) hashes verified; expected \(doc.expectedLength)")
        }
    }

    if let receipt = try? Receipt(parsing: bytes) {
        fuzzCheck((try? Receipt(parsing: receipt.encoded)) == receipt, "receipt does not round-trip")
        checkInclusion(receipt.proof)
        if let note = try? SignedNote.parse(Array(receipt.checkpoint.utf8)) {
            _ = try? Checkpoint.parse(text: note.text)
        }
        if let body = receipt.body { _ = try? Body(stored: body) }
    }

    if let state = try? AuditResumeState(parsing: bytes) {
        let encoded = state.encoded
        guard let again = try? AuditResumeState(parsing: encoded) else {
            fatalError("fuzz invariant violated: an audit state's own encoding does not parse")
        }
        fuzzCheck(again == state && again.encoded == encoded, "audit state does not round-trip")
        fuzzCheck(state.rightEdge.count == state.size.nonzeroBitCount, "right edge has \(state.rightEdge.count) hashes for size \(state.size)")
        var range = (try? CompactRange(size: state.size, edge: state.rightEdge))
        fuzzCheck(range?.root == state.checkpoint.root, "right edge does not fold to the root")
        range?.append(leafHash: state.lastLeafHash)
        _ = state.keyHistory
    }
}
