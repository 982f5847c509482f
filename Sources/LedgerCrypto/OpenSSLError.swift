import COpenSSL

/// Errors from the OpenSSL wrapper, each saying what a user can do about it.
public enum CryptoError: Error, Equatable, CustomStringConvertible {
    case notPEM(what: String)
    case notEd25519(what: String)
    case badRawKey(length: Int)
    case encryptedKey(what: String)
    case publicKeyGiven(what: String)
    case keyGenerationFailed(String)
    case signingFailed(String)
    case encodingFailed(String)

    public var description: String {
        switch self {
        case .notPEM(let what): return "\(what) is not a PEM-encoded key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN PUBLIC KEY-----)"
        case .notEd25519(let what): return "\(what) is not an Ed25519 key (make one with `ledger keygen` or `openssl genpkey -algorithm ed25519`)"
        case .encryptedKey(let what):
            return "\(what) is an encrypted private key; the ledger does not prompt for passphrases: write an unencrypted copy (mode 0600) with `openssl pkey -in \(what) -out NEW.key`"
        case .publicKeyGiven(let what):
            return "\(what) is a public key (-----BEGIN PUBLIC KEY-----); signing needs the private key, the .key file beside it"
        case .badRawKey(let n): return "an Ed25519 key is 32 bytes, got \(n)"
        case .keyGenerationFailed(let m): return "OpenSSL could not generate an Ed25519 key: \(m)"
        case .signingFailed(let m): return "OpenSSL could not sign: \(m)"
        case .encodingFailed(let m): return "OpenSSL could not encode the key: \(m)"
        }
    }
}

enum OpenSSLError {
    /// The oldest queued OpenSSL error as text, clearing the queue.
    static func lastMessage() -> String {
        let code = ERR_get_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return "no OpenSSL error queued" }
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
