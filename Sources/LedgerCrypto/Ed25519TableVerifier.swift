import COpenSSL

/// Ed25519 verification (RFC 8032 §5.1.7, the cofactorless equation OpenSSL checks) with a
/// fixed-base table for the public key as well as for B.
///
/// Why: an audit verifies every entry's signature, and nearly all of them are made by a handful
/// of keys. OpenSSL decodes the key and runs a double scalar multiplication (some 250 doublings
/// and 60 additions) on every call. With a table of the key's multiples built once, s·B − h·A
/// is at most 64 additions of table entries and no doubling, plus the inversion that encodes the
/// result: about a third of the field products (docs/PERFORMANCE.md has the measurement).
///
/// It accepts exactly what OpenSSL accepts, for the keys it is used with: s must be below L;
/// h = SHA-512(R ‖ A ‖ M) mod L; the signature holds when the canonical encoding of s·B − h·A
/// equals the 32 bytes R. The point s·B − h·A is the same whichever way it is computed, and its
/// encoding is unique, so the two differ only if A decodes differently — which is why tables are
/// built only for keys `Ed25519PointCheck` finds canonical (y below p, no sign bit on x = 0).
/// `Ed25519TableVerifierTests` checks both against each other on valid, altered and
/// malformed signatures.
struct Ed25519TableVerifier: Sendable {
    /// −A's table, so that every digit is one addition of s·B + h·(−A).
    private let negatedKey: FixedBaseTable
    private let key: [UInt8]

    /// Nil for a key that is not canonical or not on the curve (OpenSSL verifies those).
    init?(key: [UInt8]) {
        guard Ed25519PointCheck.weakness(key) == nil, let point = ExtendedPoint(encoded: key) else { return nil }
        negatedKey = FixedBaseTable(point.negated)
        self.key = key
    }

    /// Checks `signature` (64 bytes) over `message`. Costs one SHA-512 of 64 + message bytes, at
    /// most 64 table additions (7 products each) and one field inversion.
    func verify(signature: [UInt8], message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64 else { return false }
        return signature.withUnsafeBytes { sig in
            let r = UnsafeRawBufferPointer(rebasing: sig[0..<32]), s = UnsafeRawBufferPointer(rebasing: sig[32..<64])
            guard Ed25519Scalar.isCanonical(s) else { return false }
            return withUnsafeTemporaryAllocation(byteCount: 160, alignment: 8) { scratch in
                let h = UnsafeMutableRawBufferPointer(rebasing: scratch[64..<96])
                guard challenge(r: r, message: message, digest: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<64]), into: h) else {
                    return false
                }
                guard let base = scratch.baseAddress else { return false }
                let digits = base.advanced(by: 96).bindMemory(to: Int8.self, capacity: 64)
                Ed25519Scalar.signedDigits(s, into: digits)
                Ed25519Scalar.signedDigits(UnsafeRawBufferPointer(h), into: digits + 32)
                let point = combination(digits)
                let encoded = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32])
                point.encoded(into: encoded)
                return encoded.elementsEqual(r)
            }
        }
    }

    /// h = SHA-512(R ‖ A ‖ M) mod L, into `h`; false if OpenSSL could not hash. One EVP_Digest
    /// over the three copied together, as `SHA256.hash(prefix:_:)` hashes: no context per call.
    private func challenge(r: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer,
                           digest: UnsafeMutableRawBufferPointer, into h: UnsafeMutableRawBufferPointer) -> Bool {
        guard let md = Self.sha512 else { return false }
        var size: UInt32 = 0
        let hashed = withUnsafeTemporaryAllocation(byteCount: 64 + message.count, alignment: 8) { input in
            UnsafeMutableRawBufferPointer(rebasing: input[0..<32]).copyMemory(from: r)
            key.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: input[32..<64]).copyMemory(from: $0) }
            if !message.isEmpty { UnsafeMutableRawBufferPointer(rebasing: input[64...]).copyMemory(from: message) }
            return EVP_Digest(input.baseAddress, input.count, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), &size, md, nil) == 1
        }
        guard hashed, size == 64 else {
            ERR_clear_error()
            return false
        }
        Ed25519Scalar.reduceWide(UnsafeRawBufferPointer(digest), into: h)
        return true
    }

    /// Σ sᵢ·256^i·B + Σ hᵢ·256^i·(−A) over the 32 digits of each.
    @inline(__always)
    private func combination(_ digits: UnsafeMutablePointer<Int8>) -> ExtendedPoint {
        FixedBaseTable.base.entries.withUnsafeBufferPointer { b in
            negatedKey.entries.withUnsafeBufferPointer { a in
                var acc = ExtendedPoint.identity
                for row in 0..<FixedBaseTable.rows {
                    acc = FixedBaseTable.add(acc, digit: digits[row], row: row, b)
                    acc = FixedBaseTable.add(acc, digit: digits[32 &+ row], row: row, a)
                }
                return acc
            }
        }
    }

    nonisolated(unsafe) private static let sha512: OpaquePointer? = EVP_MD_fetch(nil, "SHA512", nil)
}
