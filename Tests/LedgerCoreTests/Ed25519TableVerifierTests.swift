import COpenSSL
import Foundation
@testable import LedgerCrypto
import XCTest

/// The table verifier must accept exactly what OpenSSL accepts. OpenSSL is the oracle: every
/// case is decided by both, and valid signatures must pass both (so a verifier that refuses
/// everything fails too). The arithmetic underneath is checked against OpenSSL's BIGNUM.
final class Ed25519TableVerifierTests: XCTestCase {
    private var rng = SystemRandomNumberGenerator()

    private func randomBytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) } }

    // MARK: arithmetic

    func testFieldConstants() {
        XCTAssertEqual(FieldElement.sqrtMinusOne.squared.bytes, (-FieldElement.one).bytes)
        XCTAssertEqual((FieldElement.d * FieldElement(121_666, 0, 0, 0, 0)).bytes, (-FieldElement(121_665, 0, 0, 0, 0)).bytes)
        // p itself and p + 1 decode (taken modulo p) to 0 and 1.
        let p: [UInt8] = [0xED] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
        XCTAssertEqual(p.withUnsafeBytes { FieldElement(bytes: $0) }.bytes, [UInt8](repeating: 0, count: 32))
        XCTAssertEqual(([0xEE] + p.dropFirst()).withUnsafeBytes { FieldElement(bytes: $0) }.bytes, FieldElement.one.bytes)
        for _ in 0..<200 {
            let a = randomBytes(32).withUnsafeBytes { FieldElement(bytes: $0) }
            XCTAssertEqual((a * a.inverted).bytes, a.isZero ? FieldElement.zero.bytes : FieldElement.one.bytes)
            XCTAssertEqual((a * a).bytes, a.squared.bytes)
            XCTAssertEqual(((a + a) - a).bytes, a.bytes)
        }
    }

    func testFieldProductsAgainstBignum() throws {
        try withBignum { ctx, bn in
            let p = try bn("57896044618658097711785492504343953926634992332820282019728792003956564819949")
            for _ in 0..<500 {
                let a = randomBytes(32), b = randomBytes(32)
                let fa = a.withUnsafeBytes { FieldElement(bytes: $0) }, fb = b.withUnsafeBytes { FieldElement(bytes: $0) }
                // The field reads 255 bits: clear the top one for BIGNUM too.
                let expected = try modMul(a.masked, b.masked, p, ctx)
                XCTAssertEqual((fa * fb).bytes, expected)
            }
        }
    }

    func testWideReductionAgainstBignum() throws {
        try withBignum { ctx, bn in
            let l = try bn("7237005577332262213973186563042994240857116359379907606001950938285454250989")
            var inputs = (0..<1_000).map { _ in randomBytes(64) }
            inputs += [[UInt8](repeating: 0xFF, count: 64), [UInt8](repeating: 0, count: 64),
                       Ed25519Scalar.orderBytes + [UInt8](repeating: 0, count: 32)]
            for wide in inputs {
                var out = [UInt8](repeating: 0, count: 32)
                wide.withUnsafeBytes { w in out.withUnsafeMutableBytes { Ed25519Scalar.reduceWide(w, into: $0) } }
                XCTAssertEqual(out, try modMul(wide, [1], l, ctx), "input \(wide)")
            }
        }
    }

    func testTableMultiplesAndEncoding() {
        let b: [UInt8] = [0x58] + [UInt8](repeating: 0x66, count: 31)
        guard let point = ExtendedPoint(encoded: b) else { return XCTFail("B does not decode") }
        XCTAssertEqual(encode(point), b)
        XCTAssertEqual(encode(multiple([1])), b)
        XCTAssertEqual(encode(multiple([2])), encode(point.doubled.extended))
        // (L − 1)·B = −B: the top digits and the carries between them.
        var lMinusOne = Ed25519Scalar.orderBytes
        lMinusOne[0] -= 1
        XCTAssertEqual(encode(multiple(lMinusOne)), encode(point.negated))
        XCTAssertEqual(encode(multiple([0])), [1] + [UInt8](repeating: 0, count: 31))
    }

    // MARK: verification against OpenSSL

    func testValidAndAlteredSignaturesAgreeWithOpenSSL() throws {
        var checked = 0
        for _ in 0..<2 {
            let key = try Ed25519PrivateKey.generate()
            guard let verifier = Ed25519TableVerifier(key: key.publicKey.raw) else { return XCTFail("a generated key was refused") }
            for n in 0..<120 {
                let message = randomBytes(n % 7 == 0 ? 0 : Int.random(in: 1...300, using: &rng))
                let signature = try key.sign(message)
                XCTAssertTrue(verifier.verify(signature: signature, message: message), "a valid signature")
                for altered in alterations(of: signature) {
                    try agree(verifier, key.publicKey, altered, message)
                    checked += 1
                }
                var other = message
                if other.isEmpty { other = [0] } else { other[Int.random(in: 0..<other.count, using: &rng)] ^= 1 }
                try agree(verifier, key.publicKey, signature, other)
            }
        }
        XCTAssertGreaterThan(checked, 4_000)
    }

    /// A key with a torsion component, A' = a·B + T for T of order 8: a signature made with a
    /// holds the cofactorless equation only when h is a multiple of T's order. OpenSSL checks the
    /// cofactorless equation; so must the table, for either outcome.
    func testMixedOrderKeyAgreesWithOpenSSL() throws {
        let torsion = Ed25519PointCheck.smallOrderY.compactMap { ExtendedPoint(encoded: $0) }
        XCTAssertEqual(torsion.count, 5)
        var outcomes = Set<Bool>()
        try withBignum { ctx, bn in
            let l = try bn("7237005577332262213973186563042994240857116359379907606001950938285454250989")
            for t in torsion {
                let a = try modMul(randomBytes(64), [1], l, ctx)
                let mixed = encode(add(multiple(a), t))
                guard Ed25519PointCheck.weakness(mixed) == nil, let verifier = Ed25519TableVerifier(key: mixed) else { continue }
                let publicKey = try Ed25519PublicKey(raw: mixed)
                for i in 0..<64 {
                    let message = Array("mixed \(i)".utf8)
                    let r = try modMul(randomBytes(64), [1], l, ctx)
                    let rPoint = encode(multiple(r))
                    var digest = [UInt8](repeating: 0, count: 64)
                    let input = rPoint + mixed + message
                    SHA512(input, input.count, &digest)
                    let h = try modMul(digest, [1], l, ctx)
                    let s = try modAdd(r, try modMul(h, a, l, ctx), l, ctx)
                    let signature = rPoint + s
                    let openssl = publicKey.verifyWithOpenSSL(signature: signature, message: message)
                    XCTAssertEqual(verifier.verify(signature: signature, message: message), openssl, "torsion \(encode(t)) #\(i)")
                    outcomes.insert(openssl)
                }
            }
        }
        XCTAssertEqual(outcomes, [true, false], "both outcomes occur")
    }

    /// With tables enabled, the public verify switches to the table on a key's 64th use:
    /// verdicts stay the same.
    func testPublicVerifySwitchesWithoutChangingVerdicts() throws {
        let before = Ed25519PublicKey.tablesEnabled
        Ed25519PublicKey.tablesEnabled = true
        defer { Ed25519PublicKey.tablesEnabled = before }
        let key = try Ed25519PrivateKey.generate()
        let messages = (0..<200).map { Array("switch \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0) }
        for (i, m) in messages.enumerated() {
            XCTAssertEqual(key.publicKey.checksWithTable, i >= 32, "#\(i)")
            XCTAssertTrue(key.publicKey.verify(signature: signatures[i], message: m), "#\(i)")
            XCTAssertFalse(key.publicKey.verify(signature: signatures[(i + 1) % messages.count], message: m), "#\(i)")
        }
    }

    // MARK: helpers

    private func agree(_ verifier: Ed25519TableVerifier, _ key: Ed25519PublicKey, _ signature: [UInt8], _ message: [UInt8]) throws {
        let expected = key.verifyWithOpenSSL(signature: signature, message: message)
        XCTAssertEqual(verifier.verify(signature: signature, message: message), expected, "signature \(signature)")
    }

    /// Altered copies: one bit flipped in R and in s, s + L, s = L, s's top bits set, R of small
    /// order or not canonical, R with the other sign, random bytes, wrong lengths.
    private func alterations(of signature: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for _ in 0..<4 {
            var flipped = signature
            flipped[Int.random(in: 0..<64, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            out.append(flipped)
        }
        var plusL = signature
        var carry = 0
        for i in 0..<32 {
            let v = Int(plusL[32 + i]) + Int(Ed25519Scalar.orderBytes[i]) + carry
            plusL[32 + i] = UInt8(v & 0xFF)
            carry = v >> 8
        }
        out.append(plusL)
        out.append(Array(signature[0..<32]) + Ed25519Scalar.orderBytes)
        var top = signature
        top[63] |= 0xE0
        out.append(top)
        var sign = signature
        sign[31] ^= 0x80
        out.append(sign)
        for y in Ed25519PointCheck.smallOrderY { out.append(y + signature[32...]) }
        out.append([0xEE] + [UInt8](repeating: 0xFF, count: 30) + [0x7F] + signature[32...])
        out.append(randomBytes(64))
        out.append(Array(signature.dropLast()))
        out.append(signature + [0])
        return out
    }

    private func encode(_ p: ExtendedPoint) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { p.encoded(into: $0) }
        return out
    }

    private func multiple(_ scalar: [UInt8]) -> ExtendedPoint {
        let padded = scalar + [UInt8](repeating: 0, count: 32 - scalar.count)
        return padded.withUnsafeBytes { FixedBaseTable.base.multiple($0) }
    }

    private func add(_ p: ExtendedPoint, _ q: ExtendedPoint) -> ExtendedPoint { p.adding(q.projectiveNiels).extended }

    private struct BignumError: Error {}

    private func withBignum(_ body: (OpaquePointer, (String) throws -> OpaquePointer) throws -> Void) throws {
        guard let ctx = BN_CTX_new() else { throw BignumError() }
        var made: [OpaquePointer] = []
        defer {
            made.forEach { BN_free($0) }
            BN_CTX_free(ctx)
        }
        try body(ctx) { decimal in
            var n: OpaquePointer?
            guard BN_dec2bn(&n, decimal) > 0, let n else { throw BignumError() }
            made.append(n)
            return n
        }
    }

    /// (a·b) mod m of little-endian byte strings, as 32 little-endian bytes.
    private func modMul(_ a: [UInt8], _ b: [UInt8], _ m: OpaquePointer, _ ctx: OpaquePointer) throws -> [UInt8] {
        try bignumOp(a, b, m, ctx) { r, x, y in BN_mod_mul(r, x, y, m, ctx) }
    }

    private func modAdd(_ a: [UInt8], _ b: [UInt8], _ m: OpaquePointer, _ ctx: OpaquePointer) throws -> [UInt8] {
        try bignumOp(a, b, m, ctx) { r, x, y in BN_mod_add(r, x, y, m, ctx) }
    }

    private func bignumOp(_ a: [UInt8], _ b: [UInt8], _ m: OpaquePointer, _ ctx: OpaquePointer,
                          _ op: (OpaquePointer, OpaquePointer, OpaquePointer) -> Int32) throws -> [UInt8] {
        guard let x = BN_lebin2bn(a, Int32(a.count), nil), let y = BN_lebin2bn(b, Int32(b.count), nil), let r = BN_new() else {
            throw BignumError()
        }
        defer { BN_free(x); BN_free(y); BN_free(r) }
        guard op(r, x, y) == 1 else { throw BignumError() }
        var out = [UInt8](repeating: 0, count: 32)
        guard BN_bn2lebinpad(r, &out, 32) == 32 else { throw BignumError() }
        return out
    }
}

private extension Array where Element == UInt8 {
    /// The 255 bits a field element reads.
    var masked: [UInt8] {
        var copy = self
        copy[31] &= 0x7F
        return copy
    }
}

private extension Ed25519TableVerifier {
    func verify(signature: [UInt8], message: [UInt8]) -> Bool { message.withUnsafeBytes { verify(signature: signature, message: $0) } }
}

private extension Ed25519PublicKey {
    func verifyWithOpenSSL(signature: [UInt8], message: [UInt8]) -> Bool {
        message.withUnsafeBytes { verifyWithOpenSSL(signature: signature, message: $0) }
    }
}
