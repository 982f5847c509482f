import LedgerCrypto

/// RFC 9162 §2.1.1 hashing: leaves and interior nodes carry distinct one-byte prefixes, so a leaf
/// can never be passed off as a node (the second-preimage defence of Certificate Transparency).
public enum MerkleHash {
    /// MTH({}) = SHA-256 of the empty string: the root of a tree with no leaves.
    public static let emptyRoot = SHA256.hash([UInt8]())

    /// SHA-256(0x00 || leaf bytes).
    public static func leaf(_ data: [UInt8]) -> Digest {
        data.withUnsafeBytes { SHA256.hash(prefix: 0x00, $0) }
    }

    public static func leaf(_ data: UnsafeRawBufferPointer) -> Digest { SHA256.hash(prefix: 0x00, data) }

    /// SHA-256(0x01 || left || right).
    public static func node(_ left: Digest, _ right: Digest) -> Digest { SHA256.hash(prefix: 0x01, left, right) }
}

/// The largest power of two strictly less than `n` (n ≥ 2): RFC 9162's split point k.
@inline(__always)
func splitPoint(_ n: Int64) -> Int64 {
    precondition(n >= 2)
    return Int64(1) << (63 - (n - 1).leadingZeroBitCount)
}
