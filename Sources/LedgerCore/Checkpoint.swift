import LedgerCrypto

/// A C2SP tlog-checkpoint body: origin, tree size and RFC 9162 root hash, one per line,
/// then optional extension lines. It is the text of a signed note.
public struct Checkpoint: Equatable, Sendable {
    public let origin: String
    public let size: Int64
    public let root: Digest
    public let extensions: [String]

    public init(origin: String, size: Int64, root: Digest, extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    public var text: String {
        ([origin, String(size), root.base64] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body; refuses an empty origin, a size with a sign or leading zeros,
    /// a root that is not 32 bytes of padded base64, and empty extension lines.
    public static func parse(text: String) throws -> Checkpoint {
        // Lines are split by byte: as Characters, CR LF is one and would hide inside a line.
        guard text.utf8.last == 0x0A else { throw CheckpointError.malformed("the checkpoint does not end in a newline") }
        guard !text.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A }) else {
            throw CheckpointError.malformed("the checkpoint holds a control character (only LF ends its lines)")
        }
        let lines = text.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else { throw CheckpointError.malformed("a checkpoint has at least three lines (origin, size, root)") }
        guard !lines[0].isEmpty else { throw CheckpointError.malformed("the origin line is empty") }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              sizeText == "0" || !sizeText.hasPrefix("0"), let size = Int64(sizeText) else {
            throw CheckpointError.malformed("the size line '\(sizeText)' is not a decimal number without leading zeros")
        }
        // Entries carry their seq as a JSON integer, so no log of this kind grows past 2^53; a
        // larger size is refused here rather than reaching the Merkle index arithmetic.
        guard size <= StoredHashIndex.maxTreeSize else {
            throw CheckpointError.malformed("the size \(size) is beyond any ledger's (at most 2^53 entries)")
        }
        guard let rootBytes = Base64.decode(lines[2]), let root = Digest(bytes: rootBytes) else {
            throw CheckpointError.malformed("the root line is not a base64 SHA-256 hash")
        }
        let extensions = Array(lines.dropFirst(3))
        guard extensions.allSatisfy({ !$0.isEmpty }) else { throw CheckpointError.malformed("an extension line is empty") }
        return Checkpoint(origin: lines[0], size: size, root: root, extensions: extensions)
    }

    /// Parses a signed checkpoint and checks it against the log's key: the note must verify under
    /// `logKey`, and its origin must be the key's name.
    public static func open(_ note: [UInt8], logKey: NoteVerifierKey) throws -> (checkpoint: Checkpoint, note: SignedNote) {
        let signed = try SignedNote.parse(note)
        _ = try signed.verify([logKey])
        let checkpoint = try parse(text: signed.text)
        guard checkpoint.origin == logKey.name else {
            throw CheckpointError.wrongOrigin(found: checkpoint.origin, expected: logKey.name)
        }
        return (checkpoint, signed)
    }
}

public enum CheckpointError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case wrongOrigin(found: String, expected: String)

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed checkpoint: \(why)"
        case .wrongOrigin(let f, let e): return "checkpoint origin '\(f)' is not the log's origin '\(e)'"
        }
    }
}
