import LedgerCrypto

/// The body of a C2SP `tlog-witness` `POST /add-checkpoint`: an old size line (`old N`), up to 63
/// consistency proof lines (one base64 hash each), an empty line, then the signed checkpoint.
/// Every line ends in a newline.
public struct AddCheckpointRequest: Equatable, Sendable {
    /// The most proof lines the protocol allows.
    public static let maxProofLines = 63
    /// A bound on the whole body: the proof lines and a checkpoint note with room for many
    /// signatures. Larger bodies are refused before they are read.
    public static let maxBodyBytes = 64 * 1024

    public let oldSize: Int64
    public let proof: [Digest]
    /// The signed checkpoint, as sent (its signatures are checked by the witness).
    public let note: [UInt8]

    public init(oldSize: Int64, proof: [Digest], note: [UInt8]) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    /// The request's bytes.
    public var encoded: [UInt8] {
        var out = Array("old \(oldSize)\n".utf8)
        for hash in proof { out += Array((hash.base64 + "\n").utf8) }
        out.append(0x0A)
        return out + note
    }

    /// Parses a request body. Throws `AddCheckpointError.malformed` naming what is wrong; reads
    /// at most `maxBodyBytes` and `maxProofLines` lines.
    public init(parsing body: [UInt8]) throws {
        guard body.count <= Self.maxBodyBytes else { throw AddCheckpointError.malformed("the body is over \(Self.maxBodyBytes) bytes") }
        var position = 0
        func line() throws -> ArraySlice<UInt8> {
            guard let end = body[position...].firstIndex(of: 0x0A) else { throw AddCheckpointError.malformed("a line does not end in a newline") }
            defer { position = end + 1 }
            return body[position..<end]
        }
        let first = try line()
        guard first.starts(with: Array("old ".utf8)), let size = Self.decimal(first.dropFirst(4)) else {
            throw AddCheckpointError.malformed("the first line must be `old SIZE` (a decimal without leading zeros)")
        }
        var proof: [Digest] = []
        while true {
            let next = try line()
            if next.isEmpty { break }
            guard proof.count < Self.maxProofLines else { throw AddCheckpointError.malformed("more than \(Self.maxProofLines) proof lines") }
            guard let bytes = Base64.decode(String(decoding: next, as: UTF8.self)), let hash = Digest(bytes: bytes) else {
                throw AddCheckpointError.malformed("proof line \(proof.count + 1) is not one base64 SHA-256 hash")
            }
            proof.append(hash)
        }
        guard position < body.count else { throw AddCheckpointError.malformed("no checkpoint follows the empty line") }
        self.init(oldSize: size, proof: proof, note: Array(body[position...]))
    }

    /// ASCII decimal, no leading zeros (`0` alone for zero), within Int64.
    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int64? {
        guard !digits.isEmpty, digits.count <= 19, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        guard digits.first != 0x30 || digits.count == 1 else { return nil }
        return Int64(String(decoding: digits, as: UTF8.self))
    }
}

/// Why a witness refuses an `add-checkpoint` request, each with the HTTP status the protocol
/// gives it (C2SP tlog-witness).
public enum AddCheckpointError: KindedError, Equatable, CustomStringConvertible {
    /// 400: the body is not a request.
    case malformed(String)
    /// 404: the witness does not follow this origin.
    case unknownOrigin(String)
    /// 403: no signature from the log's pinned key verifies.
    case notSigned(origin: String)
    /// 400: the old size is larger than the checkpoint's.
    case oldSizeAboveCheckpoint(old: Int64, size: Int64)
    /// 409: the old size is not the size last cosigned (`latest`, sent back to the client).
    case staleOldSize(old: Int64, latest: Int64)
    /// 409: the checkpoint has the size last cosigned but another root: a fork.
    case sameSizeOtherRoot(size: Int64)
    /// 422: the consistency proof does not link the two trees: a fork, or a bad proof.
    case proofDoesNotVerify(old: Int64, size: Int64)

    public var kind: FailureKind { .caller }

    /// The HTTP status the protocol gives this refusal.
    public var status: Int {
        switch self {
        case .malformed, .oldSizeAboveCheckpoint: return 400
        case .notSigned: return 403
        case .unknownOrigin: return 404
        case .staleOldSize, .sameSizeOtherRoot: return 409
        case .proofDoesNotVerify: return 422
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why): return "not an add-checkpoint request: \(why)"
        case .unknownOrigin(let origin): return "this witness does not follow log '\(origin)'"
        case .notSigned(let origin): return "no signature on the checkpoint verifies under the key pinned for '\(origin)'"
        case .oldSizeAboveCheckpoint(let old, let size): return "old size \(old) is above the checkpoint's size \(size)"
        case .staleOldSize(let old, let latest): return "old size \(old) is not the size last cosigned, \(latest): send a proof from \(latest)"
        case .sameSizeOtherRoot(let size): return "fork: another root for size \(size), which this witness cosigned"
        case .proofDoesNotVerify(let old, let size): return "the consistency proof from \(old) to \(size) does not verify"
        }
    }
}
