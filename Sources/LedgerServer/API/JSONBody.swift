import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// JSON responses: RFC 8785 canonical JSON followed by one newline, `application/json`.
enum JSONBody {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        response(canonical: CanonicalJSON.encode(value), status: status, headers: headers)
    }

    /// A document already in canonical form (a proof's `encoded`).
    static func response(canonical: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        // One copy, into the buffer sent: appending the newline to the array would copy it first.
        var buffer = ByteBuffer()
        buffer.reserveCapacity(canonical.count + 1)
        buffer.writeBytes(canonical)
        buffer.writeInteger(UInt8(0x0A))
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: buffer))
    }
}

/// Plain responses for non-JSON resources.
enum RawBody {
    static func response(_ bytes: [UInt8], contentType: String, cacheControl: String? = nil) -> Response {
        var fields: HTTPFields = [.contentType: contentType]
        if let cacheControl { fields[.cacheControl] = cacheControl }
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String, contentType: String = "text/plain; charset=utf-8", cacheControl: String? = nil) -> Response {
        response(Array(text.utf8), contentType: contentType, cacheControl: cacheControl)
    }
}

/// The JSON shapes of proofs (documented in docs/API.md; entries' are `EntryJSON`'s).
enum LedgerJSON {
    /// An inclusion proof: the `disclosure-proof/v1` document `ledger prove inclusion` prints.
    static func inclusion(_ proof: InclusionProof, origin: String, leafHash: Digest, root: Digest) -> [UInt8] {
        InclusionProofDocument(origin: origin, proof: proof, leafHash: leafHash, root: root).encoded
    }

    /// A consistency proof: the `disclosure-proof/v1` document `ledger prove consistency` prints
    /// (and `ledger witness cosign --proof` reads).
    static func consistency(_ proof: ConsistencyProof, origin: String, oldRoot: Digest, newRoot: Digest) -> JSONValue {
        ConsistencyProofDocument(origin: origin, proof: proof, oldRoot: oldRoot, newRoot: newRoot).json
    }
}
