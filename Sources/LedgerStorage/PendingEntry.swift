import Foundation
import LedgerCore
import LedgerCrypto

/// A signed body waiting to be appended. Made either by signing (the key is ours) or by checking
/// a signature made elsewhere, so an entry with a bad signature cannot reach the appender.
public struct PendingEntry: Sendable {
    /// Where the input came from, so a refusal names it as its sender knows it.
    public let origin: EntryOrigin
    public let body: Body
    public let signer: String
    public let signerKey: Ed25519PublicKey
    public let signature: [UInt8]

    /// Signs `body` as `signer` with `key`.
    public static func sign(_ body: Body, origin: EntryOrigin, signer: String, key: Ed25519PrivateKey) throws -> PendingEntry {
        let signature = try key.sign(body.kind.signedMessage(bodySHA256: body.sha256))
        return PendingEntry(origin: origin, body: body, signer: signer, signerKey: key.publicKey, signature: signature)
    }

    /// Accepts a signature made offline after checking it against `key`.
    public static func verified(_ body: Body, origin: EntryOrigin, signer: String, key: Ed25519PublicKey,
                                signature: [UInt8]) throws -> PendingEntry {
        guard key.verify(signature: signature, message: body.kind.signedMessage(bodySHA256: body.sha256)) else {
            throw StorageError.signerRefused(origin, reason: "the signature does not verify under the key of signer '\(signer)'")
        }
        return PendingEntry(origin: origin, body: body, signer: signer, signerKey: key, signature: signature)
    }
}

/// Where an entry to append came from: what a refusal names, in the sender's terms. Typed, so
/// that a front end finds the line of a batch without reading it back out of a message.
public enum EntryOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A file given on the command line, holding one document.
    case file(String)
    /// Line `number` of JSON Lines read from `source` (`stdin`, or a file).
    case line(Int, of: String)
    /// Line `number` of the body of one `POST /v1/entries/batch` request.
    case batchLine(Int)
    /// The body of one `POST /v1/entries` request.
    case request
    /// An entry the tool writes itself (a signer event, a withhold notice), named by what it is.
    case generated(String)

    /// `statements/a.json`, `stdin line 3`, `line 3`, `statement`, `withhold notice`.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .line(let n, let source): return "\(source) line \(n)"
        case .batchLine(let n): return "line \(n)"
        case .request: return "statement"
        case .generated(let what): return what
        }
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
