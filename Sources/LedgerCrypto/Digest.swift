/// A 32-byte SHA-256 digest, stored inline so hashing millions of Merkle nodes allocates nothing.
public struct Digest: Hashable, Sendable, Comparable {
    public static let size = 32
    public static let zero = Digest(words: (0, 0, 0, 0))

    // Big-endian words, so that comparing words compares bytes.
    private var words: (UInt64, UInt64, UInt64, UInt64)

    private init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Builds a digest from exactly 32 bytes; nil for any other length.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == Digest.size else { return nil }
        var value = Digest.zero
        value.withUnsafeMutableBytes { dst in
            // One copy for contiguous storage (Data, arrays, slices): proofs build dozens per request.
            let copied: Void? = bytes.withContiguousStorageIfAvailable { dst.copyMemory(from: UnsafeRawBufferPointer($0)) }
            if copied == nil {
                for (i, b) in bytes.enumerated() { dst[i] = b }
            }
        }
        self = value
    }

    /// The same for an array, without the generic path (a hot spot: every leaf decode makes two).
    public init?(bytes: [UInt8]) {
        guard bytes.count == Digest.size else { return nil }
        var value = Digest.zero
        value.withUnsafeMutableBytes { dst in bytes.withUnsafeBytes { dst.copyMemory(from: $0) } }
        self = value
    }

    /// Parses 64 lowercase or uppercase hex digits.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), let d = Digest(bytes: bytes) else { return nil }
        self = d
    }

    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
    public var hex: String { Hex.encode(bytes) }
    public var base64: String { Base64.encode(bytes) }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words, body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &words, body)
    }

    public static func == (a: Digest, b: Digest) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }

    public static func < (a: Digest, b: Digest) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}
