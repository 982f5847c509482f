/// An element of the field GF(p), p = 2^255 − 19, in five limbs of 51 bits (radix 2^51),
/// least significant first: the representation of curve25519-donna and curve25519-dalek.
///
/// Used only by `Ed25519TableVerifier`, which checks public signatures: nothing here is
/// constant-time, and nothing here touches a secret.
///
/// Limb bounds, which every operation keeps (checked by hand against dalek's `u64` backend):
/// `*`, `squared` and `-` return limbs below 2^51 + 2^13; `+` does not carry, so a sum of two
/// such elements has limbs below 2^52 and of three below 2^53; `*` and `-` accept limbs below
/// 2^54, which is what lets the 128-bit sums of products and `-`'s added 16p never overflow.
struct FieldElement: Sendable {
    var l0, l1, l2, l3, l4: UInt64

    static let mask: UInt64 = (1 << 51) - 1
    static let zero = FieldElement(0, 0, 0, 0, 0)
    static let one = FieldElement(1, 0, 0, 0, 0)

    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    /// The element whose little-endian encoding is `bytes` (32 of them); bit 255 is ignored and
    /// a value of p or more is taken modulo p, as RFC 8032's decoding reads y before its checks.
    init(bytes: UnsafeRawBufferPointer) {
        let w0 = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian
        let w1 = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian
        let w2 = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian
        let w3 = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
        let m = Self.mask
        self.init(w0 & m, (w0 >> 51 | w1 << 13) & m, (w1 >> 38 | w2 << 26) & m, (w2 >> 25 | w3 << 39) & m, (w3 >> 12) & m)
    }

    /// The canonical 32-byte little-endian encoding (the value reduced below p).
    var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { write(to: $0) }
        return out
    }

    /// Writes the canonical encoding into the first 32 bytes of `out`.
    func write(to out: UnsafeMutableRawBufferPointer) {
        var l = reduced
        // q is 1 exactly when the value is p or more: adding 19 then carries out of bit 255.
        var q = (l.l0 &+ 19) >> 51
        q = (l.l1 &+ q) >> 51
        q = (l.l2 &+ q) >> 51
        q = (l.l3 &+ q) >> 51
        q = (l.l4 &+ q) >> 51
        l.l0 &+= 19 &* q
        l.l1 &+= l.l0 >> 51; l.l0 &= Self.mask
        l.l2 &+= l.l1 >> 51; l.l1 &= Self.mask
        l.l3 &+= l.l2 >> 51; l.l2 &= Self.mask
        l.l4 &+= l.l3 >> 51; l.l3 &= Self.mask
        l.l4 &= Self.mask
        out.storeBytes(of: (l.l0 | l.l1 << 51).littleEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: (l.l1 >> 13 | l.l2 << 38).littleEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: (l.l2 >> 26 | l.l3 << 25).littleEndian, toByteOffset: 16, as: UInt64.self)
        out.storeBytes(of: (l.l3 >> 39 | l.l4 << 12).littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// RFC 8032's sign of x: the least significant bit of the canonical encoding.
    var isNegative: Bool { withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { write(to: $0); return $0[0] & 1 == 1 } }

    var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

    static func == (a: FieldElement, b: FieldElement) -> Bool { a.bytes == b.bytes }

    /// Carries each limb's excess into the next (the top one's, times 19, into the bottom):
    /// limbs below 2^51 + 2^13 for inputs below 2^64.
    @inline(__always)
    var reduced: FieldElement {
        let m = Self.mask
        return FieldElement((l0 & m) &+ (l4 >> 51) &* 19, (l1 & m) &+ (l0 >> 51), (l2 & m) &+ (l1 >> 51),
                            (l3 & m) &+ (l2 >> 51), (l4 & m) &+ (l3 >> 51))
    }

    @inline(__always)
    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4)
    }

    /// a − b as a + 16p − b (16p's limbs exceed any input's, so no limb borrows), then carried.
    @inline(__always)
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        FieldElement(a.l0 &+ 36_028_797_018_963_664 &- b.l0, a.l1 &+ 36_028_797_018_963_952 &- b.l1,
                     a.l2 &+ 36_028_797_018_963_952 &- b.l2, a.l3 &+ 36_028_797_018_963_952 &- b.l3,
                     a.l4 &+ 36_028_797_018_963_952 &- b.l4).reduced
    }

    @inline(__always)
    static prefix func - (a: FieldElement) -> FieldElement { zero - a }

    @inline(__always)
    private static func m(_ x: UInt64, _ y: UInt64) -> UInt128 { UInt128(x) &* UInt128(y) }

    /// The product: 25 64×64-bit multiplications, 2^255 folded back as 19.
    @inline(__always)
    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let b1 = b.l1 &* 19, b2 = b.l2 &* 19, b3 = b.l3 &* 19, b4 = b.l4 &* 19
        let c0 = m(a.l0, b.l0) &+ m(a.l4, b1) &+ m(a.l3, b2) &+ m(a.l2, b3) &+ m(a.l1, b4)
        let c1 = m(a.l1, b.l0) &+ m(a.l0, b.l1) &+ m(a.l4, b2) &+ m(a.l3, b3) &+ m(a.l2, b4)
        let c2 = m(a.l2, b.l0) &+ m(a.l1, b.l1) &+ m(a.l0, b.l2) &+ m(a.l4, b3) &+ m(a.l3, b4)
        let c3 = m(a.l3, b.l0) &+ m(a.l2, b.l1) &+ m(a.l1, b.l2) &+ m(a.l0, b.l3) &+ m(a.l4, b4)
        let c4 = m(a.l4, b.l0) &+ m(a.l3, b.l1) &+ m(a.l2, b.l2) &+ m(a.l1, b.l3) &+ m(a.l0, b.l4)
        return carried(c0, c1, c2, c3, c4)
    }

    /// The square: 15 multiplications.
    @inline(__always)
    var squared: FieldElement {
        let a3x19 = l3 &* 19, a4x19 = l4 &* 19
        let c0 = Self.m(l0, l0) &+ (Self.m(l1, a4x19) &+ Self.m(l2, a3x19)) << 1
        let c1 = Self.m(l3, a3x19) &+ (Self.m(l0, l1) &+ Self.m(l2, a4x19)) << 1
        let c2 = Self.m(l1, l1) &+ (Self.m(l0, l2) &+ Self.m(l4, a3x19)) << 1
        let c3 = Self.m(l4, a4x19) &+ (Self.m(l0, l3) &+ Self.m(l1, l2)) << 1
        let c4 = Self.m(l2, l2) &+ (Self.m(l0, l4) &+ Self.m(l1, l3)) << 1
        return Self.carried(c0, c1, c2, c3, c4)
    }

    @inline(__always)
    private static func carried(_ c0: UInt128, _ c1: UInt128, _ c2: UInt128, _ c3: UInt128, _ c4: UInt128) -> FieldElement {
        var c1 = c1, c2 = c2, c3 = c3, c4 = c4
        c1 &+= c0 >> 51
        c2 &+= c1 >> 51
        c3 &+= c2 >> 51
        c4 &+= c3 >> 51
        // Below 2^60 for inputs below 2^54, so 19 times it fits in 64 bits.
        let top = UInt64(truncatingIfNeeded: c4 >> 51)
        var r0 = (UInt64(truncatingIfNeeded: c0) & mask) &+ top &* 19
        let r1 = (UInt64(truncatingIfNeeded: c1) & mask) &+ (r0 >> 51)
        r0 &= mask
        return FieldElement(r0, r1, UInt64(truncatingIfNeeded: c2) & mask, UInt64(truncatingIfNeeded: c3) & mask,
                            UInt64(truncatingIfNeeded: c4) & mask)
    }

    /// self^(2^k).
    func squared(times k: Int) -> FieldElement {
        var x = self
        for _ in 0..<k { x = x.squared }
        return x
    }

    /// self^(2^250 − 1) and self^11, the common start of inversion and square roots
    /// (ref10's addition chain: 254 squarings and 11 multiplications in all).
    private var pow2to250minus1: (FieldElement, FieldElement) {
        let z2 = squared
        let z9 = z2.squared(times: 2) * self
        let z11 = z9 * z2
        let z2_5_0 = z11.squared * z9
        let z2_10_0 = z2_5_0.squared(times: 5) * z2_5_0
        let z2_20_0 = z2_10_0.squared(times: 10) * z2_10_0
        let z2_40_0 = z2_20_0.squared(times: 20) * z2_20_0
        let z2_50_0 = z2_40_0.squared(times: 10) * z2_10_0
        let z2_100_0 = z2_50_0.squared(times: 50) * z2_50_0
        let z2_200_0 = z2_100_0.squared(times: 100) * z2_100_0
        return (z2_200_0.squared(times: 50) * z2_50_0, z11)
    }

    /// self^(p − 2) = 1/self (0 for 0).
    var inverted: FieldElement {
        let (t, z11) = pow2to250minus1
        return t.squared(times: 5) * z11
    }

    /// self^((p − 5)/8), the exponent of RFC 8032's square root.
    var pow22523: FieldElement {
        let (t, _) = pow2to250minus1
        return t.squared(times: 2) * self
    }

    /// √−1 = 2^((p − 1)/4); (p − 1)/4 = 2·(p − 5)/8 + 1.
    static let sqrtMinusOne: FieldElement = {
        let two = FieldElement(2, 0, 0, 0, 0)
        return two.pow22523.squared * two
    }()

    /// d = −121665/121666, the curve constant of edwards25519.
    static let d: FieldElement = -FieldElement(121_665, 0, 0, 0, 0) * FieldElement(121_666, 0, 0, 0, 0).inverted
    static let d2: FieldElement = d + d
}
