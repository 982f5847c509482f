// libFuzzer target 6 (ed25519): the opt-in table verifier against OpenSSL, and its arithmetic
// against OpenSSL's BIGNUM. Built by Tests/Fuzz/run.sh; not part of `swift test`.
//
// The first byte picks what the rest is:
//  0: a program of field operations (add, sub, mul, square, negate, invert) on four registers,
//     run on `FieldElement` and on BIGNUM modulo p; the canonical bytes must agree after each
//     step. Additions are allowed only within the limb bounds the field's contract states.
//  1: 64 bytes reduced modulo L by `Ed25519Scalar.reduceWide` and by BIGNUM.
//  2: a message signed by a fixed key with OpenSSL, the signature then XORed with the next 64
//     bytes: the table verifier's verdict must be OpenSSL's.
//  3: 32 bytes of key, 64 of signature and a message, all from the input: the same, for any key
//     the table verifier takes.
import COpenSSL
@testable import LedgerCrypto

nonisolated(unsafe) let bn = BignumField()
let fixedKey: Ed25519PrivateKey = {
    guard let key = try? Ed25519PrivateKey.fromSeed([UInt8](repeating: 7, count: 32)) else { fatalError("no key") }
    return key
}()
let fixedVerifier: Ed25519TableVerifier = {
    guard let v = Ed25519TableVerifier(key: fixedKey.publicKey.raw) else { fatalError("the fixed key has no table") }
    return v
}()
nonisolated(unsafe) var lastKey: (raw: [UInt8], verifier: Ed25519TableVerifier?, key: Ed25519PublicKey?)?

func fuzzOne(_ bytes: [UInt8]) {
    guard let mode = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    switch mode % 4 {
    case 0: fieldProgram(rest)
    case 1: reduction(rest)
    case 2: alteredSignature(rest)
    default: anyKey(rest)
    }
}

/// Registers hold a `FieldElement`, its BIGNUM twin, and how many reduced values were summed
/// into it since its last reduction (1 = reduced; `*` and `-` accept up to 3, see the field).
func fieldProgram(_ input: [UInt8]) {
    var regs: [(f: FieldElement, big: Big, terms: Int)] = (0..<4).map { i in
        let f = FieldElement(UInt64(i), 0, 0, 0, 0)
        return (f, bn.value(fromFieldBytes: f.bytes), 1)
    }
    var i = 0
    while i + 2 < input.count {
        let op = input[i] % 7, d = Int(input[i + 1] % 4), s = Int(input[i + 2] % 4)
        i += 3
        switch op {
        case 0:  // load 32 bytes (bit 255 ignored, values >= p allowed)
            guard i + 32 <= input.count else { return }
            let raw = Array(input[i..<(i + 32)])
            i += 32
            regs[d] = (raw.withUnsafeBytes { FieldElement(bytes: $0) }, bn.value(fromFieldBytes: raw), 1)
        case 1:
            guard regs[d].terms + regs[s].terms <= 3 else { continue }
            regs[d] = (regs[d].f + regs[s].f, bn.add(regs[d].big, regs[s].big), regs[d].terms + regs[s].terms)
        case 2: regs[d] = (regs[d].f - regs[s].f, bn.sub(regs[d].big, regs[s].big), 1)
        case 3: regs[d] = (regs[d].f * regs[s].f, bn.mul(regs[d].big, regs[s].big), 1)
        case 4: regs[d] = (regs[s].f.squared, bn.mul(regs[s].big, regs[s].big), 1)
        case 5: regs[d] = (-regs[s].f, bn.sub(bn.zero, regs[s].big), 1)
        default: regs[d] = (regs[s].f.inverted, bn.inverse(regs[s].big), 1)
        }
        fuzzCheck(regs[d].f.bytes == bn.bytes(regs[d].big), "field op \(op) disagrees with BIGNUM")
    }
}

func reduction(_ input: [UInt8]) {
    guard input.count >= 64 else { return }
    let wide = Array(input.prefix(64))
    var out = [UInt8](repeating: 0, count: 32)
    wide.withUnsafeBytes { w in out.withUnsafeMutableBytes { Ed25519Scalar.reduceWide(w, into: $0) } }
    fuzzCheck(out == bn.reduceModOrder(wide), "reduceWide disagrees with BIGNUM")
    let s = Array(input.prefix(32))
    fuzzCheck(s.withUnsafeBytes { Ed25519Scalar.isCanonical($0) } == bn.belowOrder(s), "isCanonical disagrees with BIGNUM")
}

func alteredSignature(_ input: [UInt8]) {
    guard input.count >= 64 else { return }
    let mask = Array(input.prefix(64)), message = Array(input.dropFirst(64))
    guard var signature = try? fixedKey.sign(message) else { return }
    for j in 0..<64 { signature[j] ^= mask[j] }
    let openssl = message.withUnsafeBytes { fixedKey.publicKey.verifyWithOpenSSL(signature: signature, message: $0) }
    let table = message.withUnsafeBytes { fixedVerifier.verify(signature: signature, message: $0) }
    fuzzCheck(openssl == table, "table \(table), OpenSSL \(openssl) for an altered signature")
}

func anyKey(_ input: [UInt8]) {
    guard input.count >= 96 else { return }
    let raw = Array(input.prefix(32)), signature = Array(input[32..<96]), message = Array(input.dropFirst(96))
    if lastKey?.raw != raw { lastKey = (raw, Ed25519TableVerifier(key: raw), try? Ed25519PublicKey(raw: raw)) }
    guard let verifier = lastKey?.verifier, let key = lastKey?.key else { return }
    let openssl = message.withUnsafeBytes { key.verifyWithOpenSSL(signature: signature, message: $0) }
    let table = message.withUnsafeBytes { verifier.verify(signature: signature, message: $0) }
    fuzzCheck(openssl == table, "table \(table), OpenSSL \(openssl) for key \(raw)")
}

/// One BIGNUM, freed with its owner.
final class Big {
    let n: OpaquePointer
    init() {
        guard let n = BN_new() else { fatalError("BIGNUM") }
        self.n = n
    }
    deinit { BN_free(n) }
}

/// Arithmetic modulo p and L with OpenSSL's BIGNUM, the independent side of the comparison.
final class BignumField {
    let ctx: OpaquePointer
    let p = Big(), order = Big(), zero = Big()

    init() {
        guard let ctx = BN_CTX_new() else { fatalError("BIGNUM") }
        self.ctx = ctx
        var pp: OpaquePointer? = p.n, ll: OpaquePointer? = order.n
        guard BN_dec2bn(&pp, "57896044618658097711785492504343953926634992332820282019728792003956564819949") > 0,
              BN_dec2bn(&ll, "7237005577332262213973186563042994240857116359379907606001950938285454250989") > 0 else {
            fatalError("BIGNUM constants")
        }
    }

    func value(fromFieldBytes raw: [UInt8]) -> Big {
        var masked = raw
        masked[31] &= 0x7F
        let n = Big(), r = Big()
        BN_lebin2bn(masked, 32, n.n)
        BN_nnmod(r.n, n.n, p.n, ctx)
        return r
    }

    func add(_ a: Big, _ b: Big) -> Big { let r = Big(); BN_mod_add(r.n, a.n, b.n, p.n, ctx); return r }
    func sub(_ a: Big, _ b: Big) -> Big { let r = Big(); BN_mod_sub(r.n, a.n, b.n, p.n, ctx); return r }
    func mul(_ a: Big, _ b: Big) -> Big { let r = Big(); BN_mod_mul(r.n, a.n, b.n, p.n, ctx); return r }

    /// a^(p−2), 0 for 0, as the field's inversion gives.
    func inverse(_ a: Big) -> Big {
        let r = Big(), e = Big()
        BN_copy(e.n, p.n)
        BN_sub_word(e.n, 2)
        BN_mod_exp(r.n, a.n, e.n, p.n, ctx)
        return r
    }

    func bytes(_ a: Big) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = BN_bn2lebinpad(a.n, &out, 32)
        return out
    }

    func reduceModOrder(_ wide: [UInt8]) -> [UInt8] {
        let n = Big(), r = Big()
        BN_lebin2bn(wide, Int32(wide.count), n.n)
        BN_nnmod(r.n, n.n, order.n, ctx)
        return bytes(r)
    }

    func belowOrder(_ s: [UInt8]) -> Bool {
        let n = Big()
        BN_lebin2bn(s, 32, n.n)
        return BN_cmp(n.n, order.n) < 0
    }
}
