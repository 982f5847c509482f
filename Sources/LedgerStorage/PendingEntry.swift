import Foundation
import LedgerCore
import LedgerCrypto

/// A signed body waiting to be appended. Made either by signing (the key is ours) or by checking
/// a signature made elsewhere, so an entry with a bad signature cannot reach the appender.
public struct PendingEntry: Sendable {
    /// Where the input came from, for error messages (`statements.jsonl line 3`).
    public let label: String
    public let body: Body
    public let signer: String
    public let signerKey: Ed25519PublicKey
    public let signature: [UInt8]

    /// Signs `body` as `signer` with `key`.
    public static func sign(_ body: Body, label: String, signer: String, key: Ed25519PrivateKey) throws -> PendingEntry {
        let signature = try key.sign(body.kind.signedMessage(bodySHA256: body.sha256))
        return PendingEntry(label: label, body: body, signer: signer, signerKey: key.publicKey, signature: signature)
    }

    /// Accepts a signature made offline after checking it against `key`.
    public static func verified(_ body: Body, label: String, signer: String, key: Ed25519PublicKey,
                                signature: [UInt8]) throws -> PendingEntry {
        guard key.verify(signature: signature, message: body.kind.signedMessage(bodySHA256: body.sha256)) else {
            throw StorageError.unauthorized(item: label, reason: "the signature does not verify under the key of signer '\(signer)'")
        }
        return PendingEntry(label: label, body: body, signer: signer, signerKey: key, signature: signature)
    }
}

/// Where an appended entry landed.
public struct Appended: Sendable, Equatable {
    public let seq: Int64
    public let leafHash: Digest
}

/// Whether the appender checks each entry (always, in the CLI and the service). `.unchecked`
/// exists for tests that reproduce a rogue or buggy writer (ledger-verify flags every entry it
/// lets through); it is not part of the public API.
enum AppendPolicy: Sendable {
    case enforceKeyHistory
    case unchecked
}

extension Timestamp {
    /// The current UTC time, to the millisecond.
    public static func now() -> Timestamp {
        Timestamp(millis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
