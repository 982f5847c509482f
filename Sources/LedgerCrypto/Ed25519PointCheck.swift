import COpenSSL

/// Checks that 32 bytes are a strong Ed25519 public key, as a registry of signers must before it
/// trusts one: OpenSSL accepts any 32 bytes as a raw public key. A signer key must be
///  - canonical: the y coordinate below p = 2^255 − 19, and no sign bit on a point whose x is 0
///    (otherwise two encodings name one key);
///  - on the curve: x² = (y² − 1) / (d·y² + 1) has a square root mod p (RFC 8032 §5.1.3);
///  - not of small order: none of the eight points of order 1, 2, 4 or 8, against which
///    signatures can be made without a private key (the identity verifies "anything").
/// The arithmetic is OpenSSL's BIGNUM, so no curve code is written here.
public enum Ed25519PointCheck {
    /// Why `raw` is not a strong public key, or nil if it is one. Costs two modular
    /// exponentiations (about 20 µs): done once per registration and per audit replay of one.
    public static func weakness(_ raw: [UInt8]) -> String? {
        guard raw.count == 32 else { return "it is \(raw.count) bytes, not 32" }
        var yBytes = raw
        let sign = yBytes[31] >> 7
        yBytes[31] &= 0x7F
        if smallOrderY.contains(yBytes) { return "it is a point of small order (signatures would verify without its private key)" }
        guard let ctx = BN_CTX_new() else { return "OpenSSL could not allocate" }
        defer { BN_CTX_free(ctx) }
        let numbers = (0..<7).map { _ in BN_new() }
        defer { numbers.forEach { BN_free($0) } }
        guard let p = numbers[0], let d = numbers[1], let y = numbers[2], let u = numbers[3], let v = numbers[4],
              let x2 = numbers[5], let t = numbers[6] else { return "OpenSSL could not allocate" }
        guard decimal(p, Self.p), decimal(d, Self.d),
              BN_lebin2bn(yBytes, 32, y) != nil else { return "OpenSSL could not read the key" }
        guard BN_cmp(y, p) < 0 else { return "its y coordinate is not below 2^255 - 19 (a non-canonical encoding)" }
        // u = y² − 1, v = d·y² + 1, x² = u / v (v is never 0 mod p: −1/d is not a square).
        guard BN_mod_sqr(t, y, p, ctx) == 1, BN_mod_sub(u, t, BN_value_one(), p, ctx) == 1,
              BN_mod_mul(v, d, t, p, ctx) == 1, BN_mod_add(v, v, BN_value_one(), p, ctx) == 1,
              BN_mod_inverse(v, v, p, ctx) != nil, BN_mod_mul(x2, u, v, p, ctx) == 1 else { return "OpenSSL could not compute" }
        if BN_is_zero(x2) == 1 {
            return sign == 1 ? "it sets the sign bit of a point whose x is 0 (a non-canonical encoding)" : nil
        }
        // Euler's criterion: x² is a square mod p iff (x²)^((p−1)/2) = 1.
        guard BN_sub(t, p, BN_value_one()) == 1, BN_rshift1(t, t) == 1,
              BN_mod_exp(t, x2, t, p, ctx) == 1 else { return "OpenSSL could not compute" }
        return BN_is_one(t) == 1 ? nil : "it is not a point on the Ed25519 curve"
    }

    private static func decimal(_ bn: OpaquePointer, _ text: String) -> Bool {
        var out: OpaquePointer? = bn
        return BN_dec2bn(&out, text) > 0
    }

    static let p = "57896044618658097711785492504343953926634992332820282019728792003956564819949"
    /// d = −121665 / 121666 mod p.
    static let d = "37095705934669439343138083508754565189542113879843219016388785533085940283555"

    /// The y coordinates (little-endian, sign bit cleared) of the points of order 1, 2, 4 and 8:
    /// 1 (the identity), p − 1, 0, and the two of order 8 (libsodium's blocklist, each checked
    /// by multiplying it out when this list was written).
    static let smallOrderY: Set<[UInt8]> = [
        [0x01] + [UInt8](repeating: 0, count: 31),
        [0xEC] + [UInt8](repeating: 0xFF, count: 30) + [0x7F],
        [UInt8](repeating: 0, count: 32),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
    ]

    private static func hex(_ s: StaticString) -> [UInt8] {
        let digits = Array(s.description.utf8).map { $0 <= 0x39 ? $0 - 0x30 : $0 - 0x61 + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }
}
