import LedgerCrypto

/// What an audit keeps to resume where it stopped (`disclosure-audit-state/v1`, docs/FORMAT.md §18):
/// the last checkpoint it verified, and everything needed to check the entries after it without
/// reading the ones before — the tree's right edge, the chain head (last leaf hash and time), and
/// the key history as of that point.
public struct AuditResumeState: Equatable, Sendable {
    public static let version = "disclosure-audit-state/v1"

    /// The log key the audit pinned.
    public let logKey: NoteVerifierKey
    /// The verified checkpoint note at `size`, exactly as the log signed it.
    public let checkpointNote: String
    public let checkpoint: Checkpoint
    /// The hashes of the complete subtrees covering [0, size), largest first (`CompactRange.edge`).
    public let rightEdge: [Digest]
    /// The leaf hash of entry size − 1 (32 zero bytes when size is 0): the next entry's `prev`.
    public let lastLeafHash: Digest
    /// The time of entry size − 1 (1970-01-01T00:00:00.000Z when size is 0).
    public let lastTime: Timestamp
    /// Active signers and last revocations after replaying entries 0 … size − 1.
    public let signers: [(name: String, key: Ed25519PublicKey)]
    public let revoked: [String: Int64]

    public var size: Int64 { checkpoint.size }

    public init(logKey: NoteVerifierKey, checkpointNote: String, checkpoint: Checkpoint, rightEdge: [Digest],
                lastLeafHash: Digest, lastTime: Timestamp, signers: [(name: String, key: Ed25519PublicKey)], revoked: [String: Int64]) {
        self.logKey = logKey
        self.checkpointNote = checkpointNote
        self.checkpoint = checkpoint
        self.rightEdge = rightEdge
        self.lastLeafHash = lastLeafHash
        self.lastTime = lastTime
        self.signers = signers.sorted { $0.name < $1.name }
        self.revoked = revoked
    }

    public static func == (a: AuditResumeState, b: AuditResumeState) -> Bool {
        a.encoded == b.encoded
    }

    public var json: JSONValue {
        .object([
            "format": .string(Self.version),
            "log_key": .string(logKey.text),
            "checkpoint": .string(checkpointNote),
            "size": .integer(size),
            "right_edge": .array(rightEdge.map { .string($0.base64) }),
            "last_leaf_hash": .string(lastLeafHash.base64),
            "last_time": .string(lastTime.description),
            "signers": .array(signers.map { .object(["name": .string($0.name), "public_key": .string(Base64.encode($0.key.raw))]) }),
            "revoked": .array(revoked.sorted { $0.key < $1.key }.map { .object(["name": .string($0.key), "seq": .integer($0.value)]) }),
        ])
    }

    /// Canonical JSON (RFC 8785) and a newline.
    public var encoded: [UInt8] { CanonicalJSON.encode(json) + [0x0A] }

    /// The key history the state records.
    public var keyHistory: KeyHistory {
        KeyHistory(logKey: logKey.publicKey, active: signers, revokedAt: revoked)
    }

    /// Reads a state file and checks it is self-consistent: the checkpoint verifies under the
    /// recorded log key, its size is `size`, and the right edge folds to its root.
    public init(parsing bytes: [UInt8]) throws {
        let value = try ProofFields.parse(bytes, document: "audit state")
        do {
            var r = try FieldReader(value, path: "")
            let format = try r.string("format", maxLength: 64)
            guard format == Self.version else { throw ProofDocumentError.unsupportedFormat(found: format, expected: Self.version) }
            logKey = try NoteVerifierKey(parsing: try r.string("log_key", maxLength: 1024))
            checkpointNote = try r.string("checkpoint", maxLength: 64 * 1024, allowNewlines: true)
            checkpoint = try Checkpoint.open(Array(checkpointNote.utf8), logKey: logKey).checkpoint
            guard try r.integer("size") == checkpoint.size else { throw ValidationError("size", "differs from the checkpoint's size \(checkpoint.size)") }
            rightEdge = try ProofFields.path(&r, "right_edge")
            guard let range = try? CompactRange(size: checkpoint.size, edge: rightEdge), range.root == checkpoint.root else {
                throw ValidationError("right_edge", "does not fold to the checkpoint's root")
            }
            lastLeafHash = try ProofFields.digest(&r, "last_leaf_hash")
            guard let time = Timestamp(try r.string("last_time", maxLength: 24), millisecondsRequired: true) else {
                throw ValidationError("last_time", "must be a UTC time with milliseconds")
            }
            lastTime = time
            signers = try r.array("signers", maxCount: 100_000).enumerated().map { i, item in
                var s = try FieldReader(item, path: "signers[\(i)]")
                let name = try s.string("name", maxLength: 64)
                guard let raw = Base64.decode(try s.string("public_key", maxLength: 44)) else {
                    throw ValidationError("signers[\(i)].public_key", "must be base64 of a 32-byte Ed25519 key")
                }
                let key = try Ed25519PublicKey(raw: raw)
                try s.finish()
                return (name, key)
            }
            var revoked: [String: Int64] = [:]
            for (i, item) in try r.array("revoked", maxCount: 100_000).enumerated() {
                var s = try FieldReader(item, path: "revoked[\(i)]")
                revoked[try s.string("name", maxLength: 64)] = try s.integer("seq")
                try s.finish()
            }
            self.revoked = revoked
            try r.finish()
        } catch let e as ValidationError {
            throw ProofDocumentError.malformed(document: "audit state", reason: e.description)
        }
    }
}
