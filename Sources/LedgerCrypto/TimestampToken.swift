import COpenSSL

/// RFC 3161 trusted time through OpenSSL's TS API: a request for a SHA-256 message imprint,
/// and the checks on a time-stamping authority's reply.
public enum TimestampToken {
    /// A DER `TimeStampReq` (RFC 3161 §2.4.1): version 1, SHA-256 imprint of `digest`, a random
    /// 64-bit nonce, and certReq so the reply carries the TSA's certificate.
    public static func request(digest: Digest) throws -> [UInt8] {
        guard let req = TS_REQ_new() else { throw TimestampError.openssl("cannot allocate a request") }
        defer { TS_REQ_free(req) }
        guard let imprint = TS_MSG_IMPRINT_new() else { throw TimestampError.openssl("cannot allocate an imprint") }
        defer { TS_MSG_IMPRINT_free(imprint) }
        guard let algorithm = X509_ALGOR_new() else { throw TimestampError.openssl("cannot allocate an algorithm") }
        defer { X509_ALGOR_free(algorithm) }
        guard let nonce = ASN1_INTEGER_new() else { throw TimestampError.openssl("cannot allocate a nonce") }
        defer { ASN1_INTEGER_free(nonce) }
        var random: UInt64 = 0
        let gotRandom = withUnsafeMutableBytes(of: &random) { RAND_bytes($0.baseAddress?.assumingMemoryBound(to: UInt8.self), 8) }
        var bytes = digest.bytes
        guard gotRandom == 1,
              X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nil) == 1,
              TS_MSG_IMPRINT_set_algo(imprint, algorithm) == 1,
              TS_MSG_IMPRINT_set_msg(imprint, &bytes, Int32(bytes.count)) == 1,
              TS_REQ_set_version(req, 1) == 1, TS_REQ_set_msg_imprint(req, imprint) == 1,
              ASN1_INTEGER_set_uint64(nonce, random >> 1) == 1, TS_REQ_set_nonce(req, nonce) == 1,
              TS_REQ_set_cert_req(req, 1) == 1
        else { throw TimestampError.openssl(OpenSSLError.lastMessage()) }
        return try der { i2d_TS_REQ(req, $0) }
    }

    /// What a checked reply says.
    public struct Granted: Equatable, Sendable {
        /// The TSA's time, as the token's GeneralizedTime (e.g. `20261125082000Z`).
        public let time: String

        /// The same for a reader (`TimestampToken.readableTime`).
        public var readableTime: String { TimestampToken.readableTime(time) }
    }

    /// A GeneralizedTime for a reader: `20261125082000Z` → `2026-11-25T08:20:00Z` (fractions of a
    /// second kept); the text itself when it has another form.
    public static func readableTime(_ time: String) -> String {
        let u = Array(time.utf8)
        guard u.count >= 15, u.last == UInt8(ascii: "Z"), u[0..<14].allSatisfy({ (0x30...0x39).contains($0) }) else { return time }
        func part(_ r: Range<Int>) -> String { String(decoding: u[r], as: UTF8.self) }
        return "\(part(0..<4))-\(part(4..<6))-\(part(6..<8))T\(part(8..<10)):\(part(10..<12)):\(part(12..<14))" + part(14..<u.count)
    }

    /// Checks a DER `TimeStampResp` without a trust anchor: the status is granted, and the token's
    /// imprint is SHA-256 of `digest`. Used when the token is fetched, before it is stored.
    public static func inspect(reply: [UInt8], digest: Digest) throws -> Granted {
        let response = try parse(reply)
        defer { TS_RESP_free(response) }
        return try granted(response, digest: digest)
    }

    /// Checks a stored reply fully: `inspect`, plus the token's CMS signature by a certificate that
    /// chains to `caCertificatePEM` and is allowed to time-stamp (extended key usage).
    public static func verify(reply: [UInt8], digest: Digest, caCertificatePEM: [UInt8]) throws -> Granted {
        let response = try parse(reply)
        defer { TS_RESP_free(response) }
        let result = try granted(response, digest: digest)
        guard let context = TS_VERIFY_CTX_new() else { throw TimestampError.openssl("cannot allocate a verify context") }
        defer { TS_VERIFY_CTX_free(context) }
        guard let store = X509_STORE_new() else { throw TimestampError.openssl("cannot allocate a certificate store") }
        let certificate = try readCertificate(caCertificatePEM)
        defer { X509_free(certificate) }
        guard X509_STORE_add_cert(store, certificate) == 1 else {
            X509_STORE_free(store)
            throw TimestampError.openssl(OpenSSLError.lastMessage())
        }
        _ = TS_VERIFY_CTX_set_store(context, store)  // the context owns and frees the store
        _ = TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_VERSION | TS_VFY_SIGNATURE))
        guard TS_RESP_verify_response(context, response) == 1 else {
            throw TimestampError.untrusted(OpenSSLError.lastMessage())
        }
        return result
    }

    private static func parse(_ reply: [UInt8]) throws -> OpaquePointer {
        let response: OpaquePointer? = reply.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_TS_RESP(nil, &cursor, buffer.count)
        }
        guard let response else {
            ERR_clear_error()
            throw TimestampError.malformed("not a DER RFC 3161 TimeStampResp")
        }
        return response
    }

    private static func granted(_ response: OpaquePointer, digest: Digest) throws -> Granted {
        guard let status = TS_RESP_get_status_info(response), let code = TS_STATUS_INFO_get0_status(status) else {
            throw TimestampError.malformed("the reply has no status")
        }
        // 0 granted, 1 grantedWithMods; anything else is a refusal.
        let value = ASN1_INTEGER_get(code)
        guard value == 0 || value == 1 else { throw TimestampError.refused(status: Int(value)) }
        guard let info = TS_RESP_get_tst_info(response), let imprint = TS_TST_INFO_get_msg_imprint(info),
              let message = TS_MSG_IMPRINT_get_msg(imprint), let algorithm = TS_MSG_IMPRINT_get_algo(imprint) else {
            throw TimestampError.malformed("the reply carries no token")
        }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        guard OBJ_obj2nid(object) == NID_sha256 else { throw TimestampError.malformed("the token's imprint is not SHA-256") }
        guard let data = ASN1_STRING_get0_data(message),
              Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(message)))) == digest.bytes else {
            throw TimestampError.wrongImprint
        }
        guard let time = TS_TST_INFO_get_time(info), let timeData = ASN1_STRING_get0_data(time) else {
            throw TimestampError.malformed("the token has no time")
        }
        return Granted(time: String(decoding: UnsafeBufferPointer(start: timeData, count: Int(ASN1_STRING_length(time))), as: UTF8.self))
    }

    /// Throws `badCertificate` unless `pem` holds a PEM certificate (checked before an audit starts).
    public static func checkCertificate(_ pem: [UInt8]) throws {
        X509_free(try readCertificate(pem))
    }

    private static func readCertificate(_ pem: [UInt8]) throws -> OpaquePointer {
        guard let bio = pem.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw TimestampError.openssl("cannot allocate a memory BIO")
        }
        defer { BIO_free(bio) }
        guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else {
            ERR_clear_error()
            throw TimestampError.badCertificate
        }
        return certificate
    }

    /// Encodes an OpenSSL object with its `i2d_*` function.
    private static func der(_ encode: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32) throws -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        let length = encode(&out)
        guard length > 0, let out else { throw TimestampError.openssl(OpenSSLError.lastMessage()) }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}

public enum TimestampError: Error, Equatable, CustomStringConvertible {
    case openssl(String)
    case malformed(String)
    case refused(status: Int)
    case wrongImprint
    case badCertificate
    case untrusted(String)

    public var description: String {
        switch self {
        case .openssl(let m): return "OpenSSL failed: \(m)"
        case .malformed(let m): return "malformed time-stamp reply: \(m)"
        case .refused(let s): return "the time-stamping authority refused the request (PKIStatus \(s))"
        case .wrongImprint: return "the time-stamp token is for other data (its imprint is not the checkpoint's SHA-256)"
        case .badCertificate: return "the TSA certificate file is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
        case .untrusted(let m): return "the time-stamp token's signature does not verify against the TSA certificate: \(m)"
        }
    }
}
