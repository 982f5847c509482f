/// Scalars modulo the order of edwards25519's prime subgroup,
/// L = 2^252 + 27742317777372353535851937790883648493, as `Ed25519TableVerifier` needs them:
/// the check that a signature's s is canonical, the reduction of a 64-byte SHA-512 digest
/// modulo L, and the signed radix-256 digits a fixed-base table is indexed with.
///
/// Reduction is Montgomery's, in five limbs of 52 bits (curve25519-dalek's `Scalar52`); the
/// Montgomery constants are derived from L's bytes when first used, not typed in.
enum Ed25519Scalar {
    /// L, little-endian (RFC 8032 §5.1).
    static let orderBytes: [UInt8] = [
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// True when the 32 little-endian bytes are below L (RFC 8032 §5.1.7: a verifier rejects
    /// s ≥ L, as OpenSSL does). Compares from the most significant byte.
    static func isCanonical(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 31
        while i >= 0 {
            if s[i] != orderBytes[i] { return s[i] < orderBytes[i] }
            i -= 1
        }
        return false
    }

    /// Writes (the 64 little-endian bytes of `wide`) mod L into `out` as 32 little-endian bytes.
    static func reduceWide(_ wide: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        var w = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: wide[0..<64])) }
        let (w0, w1, w2, w3) = (w.0.littleEndian, w.1.littleEndian, w.2.littleEndian, w.3.littleEndian)
        let (w4, w5, w6, w7) = (w.4.littleEndian, w.5.littleEndian, w.6.littleEndian, w.7.littleEndian)
        let m = Scalar52.mask
        // The low 260 bits and the high 252: x = lo + hi·2^260.
        let lo = Scalar52(w0 & m, (w0 >> 52 | w1 << 12) & m, (w1 >> 40 | w2 << 24) & m, (w2 >> 28 | w3 << 36) & m,
                          (w3 >> 16 | w4 << 48) & m)
        let hi = Scalar52((w4 >> 4) & m, (w4 >> 56 | w5 << 8) & m, (w5 >> 44 | w6 << 20) & m, (w6 >> 32 | w7 << 32) & m,
                          w7 >> 20)
        // montgomery(lo, R) = lo; montgomery(hi, R²) = hi·2^260 (mod L).
        let c = Scalar52.constants
        Scalar52.add(Scalar52.montgomeryProduct(lo, c.r), Scalar52.montgomeryProduct(hi, c.rr)).write(to: out)
    }

    /// The signed radix-256 digits of a scalar below 2^253 (32 little-endian bytes): 32 digits in
    /// [−128, 127] with Σ dᵢ·256^i equal to the scalar. The top digit absorbs the last carry and
    /// stays below 33, so 32 table rows of 128 multiples cover it.
    @inline(__always)
    static func signedDigits(_ bytes: UnsafeRawBufferPointer, into digits: UnsafeMutablePointer<Int8>) {
        var carry = 0
        for i in 0..<32 {
            var v = Int(bytes[i]) &+ carry
            carry = v >= 128 ? 1 : 0
            v &-= carry << 8
            digits[i] = Int8(truncatingIfNeeded: v)
        }
    }
}

/// A scalar in five limbs of 52 bits, least significant first (only what reduction needs).
struct Scalar52 {
    var s0, s1, s2, s3, s4: UInt64
    static let mask: UInt64 = (1 << 52) - 1

    init(_ s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64, _ s4: UInt64) {
        (self.s0, self.s1, self.s2, self.s3, self.s4) = (s0, s1, s2, s3, s4)
    }

    /// From 32 little-endian bytes (the value must be below 2^256).
    init(bytes: [UInt8]) {
        let w = bytes.withUnsafeBytes { b in (0..<4).map { b.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian } }
        let m = Self.mask
        self.init(w[0] & m, (w[0] >> 52 | w[1] << 12) & m, (w[1] >> 40 | w[2] << 24) & m, (w[2] >> 28 | w[3] << 36) & m, w[3] >> 16)
    }

    func write(to out: UnsafeMutableRawBufferPointer) {
        out.storeBytes(of: (s0 | s1 << 52).littleEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: (s1 >> 12 | s2 << 40).littleEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: (s2 >> 24 | s3 << 28).littleEndian, toByteOffset: 16, as: UInt64.self)
        out.storeBytes(of: (s3 >> 36 | s4 << 16).littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// L, −L⁻¹ mod 2^52, R = 2^260 mod L and R² mod L.
    struct Constants {
        let order: Scalar52
        let factor: UInt64
        let r: Scalar52
        let rr: Scalar52
    }

    static let constants: Constants = {
        let order = Scalar52(bytes: Ed25519Scalar.orderBytes)
        // Newton's iteration doubles the correct low bits of an odd number's inverse each step.
        var inverse = order.s0
        for _ in 0..<6 { inverse = inverse &* (2 &- order.s0 &* inverse) }
        let factor = (0 &- inverse) & mask
        var power = Scalar52(1, 0, 0, 0, 0)
        for _ in 0..<260 { power = add(power, power, order: order) }
        let r = power
        for _ in 0..<260 { power = add(power, power, order: order) }
        return Constants(order: order, factor: factor, r: r, rr: power)
    }()

    /// (a + b) mod L for a, b below L.
    static func add(_ a: Scalar52, _ b: Scalar52, order: Scalar52 = constants.order) -> Scalar52 {
        var c = a.s0 &+ b.s0
        let t0 = c & mask
        c = a.s1 &+ b.s1 &+ (c >> 52)
        let t1 = c & mask
        c = a.s2 &+ b.s2 &+ (c >> 52)
        let t2 = c & mask
        c = a.s3 &+ b.s3 &+ (c >> 52)
        let t3 = c & mask
        c = a.s4 &+ b.s4 &+ (c >> 52)
        return subtract(Scalar52(t0, t1, t2, t3, c & mask), order, order: order)
    }

    /// a − b, plus L when that is negative (a, b below 2^260, a − b above −L).
    static func subtract(_ a: Scalar52, _ b: Scalar52, order: Scalar52) -> Scalar52 {
        var borrow = a.s0 &- b.s0
        let d0 = borrow & mask
        borrow = a.s1 &- (b.s1 &+ (borrow >> 63))
        let d1 = borrow & mask
        borrow = a.s2 &- (b.s2 &+ (borrow >> 63))
        let d2 = borrow & mask
        borrow = a.s3 &- (b.s3 &+ (borrow >> 63))
        let d3 = borrow & mask
        borrow = a.s4 &- (b.s4 &+ (borrow >> 63))
        let d4 = borrow & mask
        let addBack = (borrow >> 63) == 1 ? UInt64.max : 0
        var c = d0 &+ (order.s0 & addBack)
        let r0 = c & mask
        c = (c >> 52) &+ d1 &+ (order.s1 & addBack)
        let r1 = c & mask
        c = (c >> 52) &+ d2 &+ (order.s2 & addBack)
        let r2 = c & mask
        c = (c >> 52) &+ d3 &+ (order.s3 & addBack)
        let r3 = c & mask
        c = (c >> 52) &+ d4 &+ (order.s4 & addBack)
        return Scalar52(r0, r1, r2, r3, c & mask)
    }

    @inline(__always)
    private static func m(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) &* UInt128(y) }

    /// a·b/2^260 mod L, for a·b below 2^260·L (the result is then below L).
    static func montgomeryProduct(_ a: Scalar52, _ b: Scalar52) -> Scalar52 {
        let z0 = m(a.s0, b.s0)
        let z1 = m(a.s0, b.s1) &+ m(a.s1, b.s0)
        let z2 = m(a.s0, b.s2) &+ m(a.s1, b.s1) &+ m(a.s2, b.s0)
        let z3 = m(a.s0, b.s3) &+ m(a.s1, b.s2) &+ m(a.s2, b.s1) &+ m(a.s3, b.s0)
        let z4 = m(a.s0, b.s4) &+ m(a.s1, b.s3) &+ m(a.s2, b.s2) &+ m(a.s3, b.s1) &+ m(a.s4, b.s0)
        let z5 = m(a.s1, b.s4) &+ m(a.s2, b.s3) &+ m(a.s3, b.s2) &+ m(a.s4, b.s1)
        let z6 = m(a.s2, b.s4) &+ m(a.s3, b.s3) &+ m(a.s4, b.s2)
        let z7 = m(a.s3, b.s4) &+ m(a.s4, b.s3)
        let z8 = m(a.s4, b.s4)
        let c = constants
        let l = c.order
        // Adds n·L, n chosen limb by limb so the low 260 bits become zero, then drops them.
        func step(_ sum: UInt128) -> (UInt128, UInt64) {
            let n = (UInt64(truncatingIfNeeded: sum) &* c.factor) & mask
            return ((sum &+ m(n, l.s0)) >> 52, n)
        }
        func high(_ sum: UInt128) -> (UInt128, UInt64) { (sum >> 52, UInt64(truncatingIfNeeded: sum) & mask) }
        var (carry, n0) = step(z0)
        let n1: UInt64, n2: UInt64, n3: UInt64, n4: UInt64
        (carry, n1) = step(carry &+ z1 &+ m(n0, l.s1))
        (carry, n2) = step(carry &+ z2 &+ m(n0, l.s2) &+ m(n1, l.s1))
        (carry, n3) = step(carry &+ z3 &+ m(n0, l.s3) &+ m(n1, l.s2) &+ m(n2, l.s1))
        (carry, n4) = step(carry &+ z4 &+ m(n0, l.s4) &+ m(n1, l.s3) &+ m(n2, l.s2) &+ m(n3, l.s1))
        let r0: UInt64, r1: UInt64, r2: UInt64, r3: UInt64
        (carry, r0) = high(carry &+ z5 &+ m(n1, l.s4) &+ m(n2, l.s3) &+ m(n3, l.s2) &+ m(n4, l.s1))
        (carry, r1) = high(carry &+ z6 &+ m(n2, l.s4) &+ m(n3, l.s3) &+ m(n4, l.s2))
        (carry, r2) = high(carry &+ z7 &+ m(n3, l.s4) &+ m(n4, l.s3))
        (carry, r3) = high(carry &+ z8 &+ m(n4, l.s4))
        return subtract(Scalar52(r0, r1, r2, r3, UInt64(truncatingIfNeeded: carry)), l, order: l)
    }
}
