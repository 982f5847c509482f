import LedgerCrypto

/// A C2SP signed note: UTF-8 text ending in a newline, a blank line, then signature lines.
public struct SignedNote: Equatable, Sendable {
    public struct Signature: Equatable, Sendable {
        public let name: String
        public let keyID: UInt32
        /// The signature bytes after the 4-byte key ID (64 for Ed25519).
        public let signature: [UInt8]

        public init(name: String, keyID: UInt32, signature: [UInt8]) {
            self.name = name
            self.keyID = keyID
            self.signature = signature
        }

        public var line: String {
            "\u{2014} \(name) \(Base64.encode(withUnsafeBytes(of: keyID.bigEndian) { Array($0) } + signature))\n"
        }
    }

    /// C2SP: verifiers must accept at least 16 signatures; like Go we refuse more than 100.
    public static let maxSignatures = 100

    public let text: String
    public let signatures: [Signature]

    public init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note's bytes: text, blank line, signature lines.
    public var encoded: String { text + "\n" + signatures.map(\.line).joined() }

    /// Parses a note without checking signatures.
    public static func parse(_ bytes: [UInt8]) throws -> SignedNote {
        guard let message = String(validating: bytes, as: UTF8.self) else { throw NoteError.malformed("the note is not valid UTF-8") }
        if message.unicodeScalars.contains(where: { $0 != "\n" && $0.properties.generalCategory == .control }) {
            throw NoteError.malformed("the note contains a control character")
        }
        guard message.hasSuffix("\n") else { throw NoteError.malformed("the note does not end in a newline") }
        // The text is split from the signatures at the last blank line.
        let utf8 = Array(message.utf8)
        var split = -1
        var i = utf8.count - 2
        while i >= 0 {
            if utf8[i] == 0x0A && utf8[i + 1] == 0x0A { split = i; break }
            i -= 1
        }
        guard split >= 0 else { throw NoteError.malformed("the note has no blank line before its signatures") }
        let text = String(decoding: utf8[...split], as: UTF8.self)
        let sigBlock = String(decoding: utf8[(split + 2)...], as: UTF8.self)
        var signatures: [Signature] = []
        for line in sigBlock.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard line.hasPrefix("\u{2014} ") else { throw NoteError.malformed("a signature line does not start with '— '") }
            let rest = line.dropFirst(2)
            let fields = rest.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 2, NoteName.isValid(String(fields[0])),
                  let raw = Base64.decode(String(fields[1])), raw.count >= 5 else {
                throw NoteError.malformed("malformed signature line '\(line)'")
            }
            signatures.append(Signature(name: String(fields[0]), keyID: raw.prefix(4).reduce(0) { $0 << 8 | UInt32($1) },
                                        signature: Array(raw.dropFirst(4))))
            guard signatures.count <= maxSignatures else {
                throw NoteError.malformed("the note has more than \(maxSignatures) signatures")
            }
        }
        guard !signatures.isEmpty else { throw NoteError.malformed("the note has no signatures") }
        return SignedNote(text: text, signatures: signatures)
    }

    public static func parse(_ text: String) throws -> SignedNote { try parse(Array(text.utf8)) }

    /// Checks the note against known keys (C2SP signed-note §verification): signatures by unknown
    /// (name, key ID) pairs are ignored, a known key's bad signature rejects the note, and at least
    /// one known key must have signed. Returns the keys that verified.
    public func verify(_ keys: [NoteVerifierKey]) throws -> [NoteVerifierKey] {
        var verified: [NoteVerifierKey] = []
        let message = Array(text.utf8)
        for sig in signatures {
            let matching = keys.filter { $0.name == sig.name && $0.keyID == sig.keyID }
            guard let key = matching.first else { continue }
            guard matching.count == 1 else { throw NoteError.ambiguousKey(sig.name) }
            guard key.publicKey.verify(signature: sig.signature, message: message) else {
                throw NoteError.badSignature(name: sig.name)
            }
            if verified.contains(key) { throw NoteError.malformed("\(sig.name) signed the note twice") }
            verified.append(key)
        }
        guard !verified.isEmpty else {
            throw NoteError.unknownSigner(names: signatures.map(\.name), expected: keys.map(\.name))
        }
        return verified
    }
}

public enum NoteError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case badKeyName(String)
    case badVerifierKey(String)
    case badSignerKey
    case ambiguousKey(String)
    case badSignature(name: String)
    case unknownSigner(names: [String], expected: [String])

    public var description: String {
        switch self {
        case .malformed(let why): return "malformed signed note: \(why)"
        case .badKeyName(let n): return "'\(n)' is not a valid key name (non-empty, no spaces, no '+')"
        case .badVerifierKey(let k): return "'\(k)' is not a valid Ed25519 verifier key (name+keyid+base64)"
        case .badSignerKey: return "not a valid signer key (PRIVATE+KEY+name+keyid+base64)"
        case .ambiguousKey(let n): return "two verifier keys share the name and key ID of '\(n)'"
        case .badSignature(let n): return "the signature by \(n) does not verify"
        case .unknownSigner(let names, let expected):
            return "the note is not signed by \(expected.joined(separator: ", ")) (signed by: \(names.joined(separator: ", ")))"
        }
    }
}
