import LedgerCrypto

/// A C2SP signed-note verifier key: `<name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>`.
public struct NoteVerifierKey: Equatable, Sendable {
    public static let ed25519Algorithm: UInt8 = 0x01

    public let name: String
    public let keyID: UInt32
    public let publicKey: Ed25519PublicKey

    public init(name: String, publicKey: Ed25519PublicKey) throws {
        guard NoteName.isValid(name) else { throw NoteError.badKeyName(name) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteVerifierKey.keyID(name: name, publicKey: publicKey.raw)
    }

    /// Parses the text form, refusing a key ID that does not match the name and key.
    public init(parsing text: String) throws {
        guard let parts = VerifierKeyText.split(text, algorithm: NoteVerifierKey.ed25519Algorithm) else {
            throw NoteError.badVerifierKey(text)
        }
        try self.init(name: parts.name, publicKey: try Ed25519PublicKey(raw: parts.key))
        guard keyID == parts.keyID else { throw NoteError.badVerifierKey(text) }
    }

    /// C2SP key ID: the first four bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian.
    public static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        VerifierKeyText.keyID(name: name, algorithm: ed25519Algorithm, publicKey: publicKey)
    }

    public var keyIDHex: String { hex32(keyID) }

    public var text: String {
        VerifierKeyText.format(name: name, keyID: keyID, algorithm: NoteVerifierKey.ed25519Algorithm, publicKey: publicKey.raw)
    }
}

/// A signer of notes: a name and an Ed25519 private key.
public struct NoteSigner: Sendable {
    public let verifierKey: NoteVerifierKey
    let privateKey: Ed25519PrivateKey

    public init(name: String, privateKey: Ed25519PrivateKey) throws {
        self.verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// Parses Go's signer-key form `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>`.
    public init(parsingPrivate text: String) throws {
        let parts = text.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY",
              let seed = Base64.decode(parts[4]), seed.count == 33, seed[0] == NoteVerifierKey.ed25519Algorithm
        else { throw NoteError.badSignerKey }
        try self.init(name: parts[2], privateKey: try Ed25519PrivateKey.fromSeed(Array(seed[1...])))
        guard verifierKey.keyIDHex == parts[3] else { throw NoteError.badSignerKey }
    }

    public var name: String { verifierKey.name }

    /// The signature line for `text`: `— <name> <base64(key ID || signature)>\n`.
    public func signatureLine(for text: String) throws -> String {
        let sig = try privateKey.sign(Array(text.utf8))
        let id = withUnsafeBytes(of: verifierKey.keyID.bigEndian) { Array($0) }
        return "\u{2014} \(name) \(Base64.encode(id + sig))\n"
    }

    /// `text` followed by a blank line and this signer's signature line.
    public func sign(_ text: String) throws -> String {
        "\(text)\n\(try signatureLine(for: text))"
    }
}

/// The C2SP verifier-key text `<name>+<8 hex digits key ID>+<base64(algorithm || key)>` and its
/// key ID, SHA-256(name || 0x0A || algorithm || key)[:4]: shared by note keys (0x01) and
/// cosignature keys (0x04), which differ only in the algorithm byte.
enum VerifierKeyText {
    static func keyID(name: String, algorithm: UInt8, publicKey: [UInt8]) -> UInt32 {
        let digest = SHA256.hash(Array(name.utf8) + [0x0A, algorithm] + publicKey)
        return digest.bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// The parts of a key text of `algorithm` with a 32-byte key; nil if anything is off.
    /// (The name and key ID contain no '+'; the base64 key may.)
    static func split(_ text: String, algorithm: UInt8) -> (name: String, keyID: UInt32, key: [UInt8])? {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, NoteName.isValid(parts[0]), parts[1].utf8.count == 8, parts[1] == parts[1].lowercased(),
              let idBytes = Hex.decode(parts[1]), let key = Base64.decode(parts[2]), key.count == 33, key[0] == algorithm
        else { return nil }
        return (parts[0], idBytes.reduce(0) { $0 << 8 | UInt32($1) }, Array(key[1...]))
    }

    static func format(name: String, keyID: UInt32, algorithm: UInt8, publicKey: [UInt8]) -> String {
        "\(name)+\(hex32(keyID))+\(Base64.encode([algorithm] + publicKey))"
    }
}

enum NoteName {
    /// C2SP signed-note: a key name is non-empty UTF-8 with no Unicode spaces and no '+'.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }
}

func hex32(_ v: UInt32) -> String {
    Hex.encode(withUnsafeBytes(of: v.bigEndian) { Array($0) })
}
