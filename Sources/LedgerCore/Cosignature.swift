import LedgerCrypto

/// A witness's public key for C2SP `tlog-cosignature` (Ed25519, `cosignature/v1`): the key ID is
/// SHA-256(name || 0x0A || 0x04 || public key)[:4], and its verifier-key text is
/// `<name>+<hex key ID>+<base64(0x04 || public key)>`.
public struct CosignerKey: Equatable, Sendable {
    public static let algorithm: UInt8 = 0x04

    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws {
        guard NoteName.isValid(name) else { throw NoteError.badKeyName(name) }
        self.name = name
        self.publicKey = publicKey
        keyID = VerifierKeyText.keyID(name: name, algorithm: CosignerKey.algorithm, publicKey: publicKey.raw)
    }

    /// Parses the verifier-key text, refusing a key ID that does not match the name and key.
    public init(parsing text: String) throws {
        guard let parts = VerifierKeyText.split(text, algorithm: CosignerKey.algorithm) else { throw CosignatureError.badWitnessKey(text) }
        try self.init(name: parts.name, publicKey: try Ed25519PublicKey(raw: parts.key))
        guard keyID == parts.keyID else { throw CosignatureError.badWitnessKey(text) }
    }

    public var text: String {
        VerifierKeyText.format(name: name, keyID: keyID, algorithm: CosignerKey.algorithm, publicKey: publicKey.raw)
    }

    /// The bytes a cosignature signs: `cosignature/v1`, `time <timestamp>`, then the whole
    /// checkpoint text (its final newline included, no signature lines).
    public static func message(checkpointText: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n\(checkpointText)".utf8)
    }

    /// Finds this witness's cosignature on `note` and checks it. Returns its timestamp, or nil
    /// when the witness did not cosign; throws when a line with this name and key ID is bad.
    public func verifyCosignature(on note: SignedNote) throws -> UInt64? {
        let mine = note.signatures.filter { $0.name == name && $0.keyID == keyID }
        guard let line = mine.first else { return nil }
        guard mine.count == 1 else { throw CosignatureError.malformed("\(name) cosigned the note twice") }
        // timestamped_signature: u64 big-endian timestamp, then the 64-byte Ed25519 signature.
        guard line.signature.count == 72 else { throw CosignatureError.malformed("the cosignature by \(name) is not 8 + 64 bytes") }
        let timestamp = line.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp <= UInt64(Int64.max) else { throw CosignatureError.malformed("the cosignature by \(name) has a timestamp past 2^63 - 1") }
        let message = CosignerKey.message(checkpointText: note.text, timestamp: timestamp)
        guard publicKey.verify(signature: Array(line.signature.suffix(64)), message: message) else {
            throw CosignatureError.badCosignature(name: name)
        }
        return timestamp
    }
}

/// A witness's signing side: adds its `cosignature/v1` line to a checkpoint note.
public struct Cosigner: Sendable {
    public let key: CosignerKey
    let privateKey: Ed25519PrivateKey

    public init(name: String, privateKey: Ed25519PrivateKey) throws {
        key = try CosignerKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// The cosignature line for `note` at `timestamp` (POSIX seconds).
    public func cosignature(for note: SignedNote, timestamp: UInt64) throws -> SignedNote.Signature {
        let signature = try privateKey.sign(CosignerKey.message(checkpointText: note.text, timestamp: timestamp))
        let stamp = (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * UInt64($0))) }
        return SignedNote.Signature(name: key.name, keyID: key.keyID, signature: stamp + signature)
    }
}

/// Counts the witnesses, among `witnesses`, whose cosignature on `note` verifies.
/// A bad cosignature by a listed witness is an error, not a missing vote.
public func verifiedCosigners(of note: SignedNote, among witnesses: [CosignerKey]) throws -> [String] {
    try witnesses.compactMap { try $0.verifyCosignature(on: note) == nil ? nil : $0.name }
}

public enum CosignatureError: Error, Equatable, CustomStringConvertible {
    case badWitnessKey(String)
    case malformed(String)
    case badCosignature(name: String)
    case quorumNotMet(required: Int, found: [String])

    public var description: String {
        switch self {
        case .badWitnessKey(let k): return "'\(k)' is not a valid witness key (name+keyid+base64(0x04 || Ed25519 key))"
        case .malformed(let why): return "malformed cosignature: \(why)"
        case .badCosignature(let n): return "the cosignature by witness \(n) does not verify"
        case .quorumNotMet(let k, let found):
            return "\(k) witness cosignatures required, \(found.count) valid" + (found.isEmpty ? "" : " (\(found.joined(separator: ", ")))")
        }
    }
}
