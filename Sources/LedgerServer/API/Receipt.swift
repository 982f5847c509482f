import LedgerCore
import LedgerCrypto

/// An append receipt (`disclosure-receipt/v1`, docs/API.md): the entry's leaf bytes, the signed
/// checkpoint the append produced, and the inclusion proof of the leaf in that checkpoint's tree.
/// Checking one needs only the log's verifier key, no access to the ledger.
public enum Receipt {
    public static let format = "disclosure-receipt/v1"

    public struct Checked: Sendable, Equatable {
        public let seq: Int64
        public let leafHash: Digest
        public let checkpoint: Checkpoint
    }

    /// Checks a receipt: the checkpoint verifies under `logKey`, the leaf is a well-formed entry
    /// at `seq`, and the proof leads from its leaf hash to the checkpoint's root.
    public static func check(_ bytes: [UInt8], logKey: NoteVerifierKey) throws -> Checked {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch let e as JSONError { throw ReceiptError.malformed(e.description) }
        guard case .string(Receipt.format)? = value["format"] else { throw ReceiptError.malformed("format must be \"\(Receipt.format)\"") }
        guard case .integer(let seq)? = value["seq"], case .string(let leafText)? = value["leaf"],
              case .string(let note)? = value["checkpoint"], let proofValue = value["inclusion_proof"],
              case .integer(let index)? = proofValue["index"], case .integer(let size)? = proofValue["size"],
              case .array(let items)? = proofValue["hashes"] else {
            throw ReceiptError.malformed("needs seq, leaf, checkpoint and inclusion_proof {index, size, hashes}")
        }
        let leaf = Array(leafText.utf8)
        let entry = try Entry(leaf: leaf)
        guard entry.seq == seq, index == seq else { throw ReceiptError.mismatch("the leaf is seq \(entry.seq), the receipt says \(seq), the proof index \(index)") }
        let (checkpoint, _) = try Checkpoint.open(Array(note.utf8), logKey: logKey)
        guard checkpoint.size == size else { throw ReceiptError.mismatch("the proof is for size \(size), the checkpoint is size \(checkpoint.size)") }
        let hashes = try items.map { item -> Digest in
            guard case .string(let text) = item, let raw = Base64.decode(text), let d = Digest(bytes: raw) else {
                throw ReceiptError.malformed("inclusion_proof.hashes must be base64 SHA-256 hashes")
            }
            return d
        }
        let leafHash = MerkleHash.leaf(leaf)
        guard InclusionProof(index: index, size: size, hashes: hashes).verify(leafHash: leafHash, root: checkpoint.root) else {
            throw ReceiptError.mismatch("the inclusion proof does not lead from the leaf to the checkpoint's root")
        }
        return Checked(seq: seq, leafHash: leafHash, checkpoint: checkpoint)
    }
}

public enum ReceiptError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case mismatch(String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed receipt: \(why)"
        case .mismatch(let why): return "receipt does not verify: \(why)"
        }
    }
}
