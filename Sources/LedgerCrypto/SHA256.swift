import COpenSSL

/// SHA-256 through OpenSSL's EVP interface.
public enum SHA256 {
    // Fetched once: OpenSSL 3 otherwise looks the algorithm up in its provider on every call.
    // An EVP_MD is immutable once fetched and safe to share between threads.
    nonisolated(unsafe) private static let md: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    public static func hash(_ data: UnsafeRawBufferPointer) -> Digest {
        var out = Digest.zero
        out.withUnsafeMutableBytes { dst in
            var size: UInt32 = 0
            // EVP_Digest fails only on allocation failure or a missing provider; both are fatal
            // to the process, and a zero digest would silently corrupt the log instead.
            guard EVP_Digest(data.baseAddress, data.count, dst.baseAddress?.assumingMemoryBound(to: UInt8.self),
                             &size, md, nil) == 1, size == 32 else {
                fatalError("OpenSSL SHA-256 failed: \(OpenSSLError.lastMessage())")
            }
        }
        return out
    }

    public static func hash<C: ContiguousBytes>(_ data: C) -> Digest {
        data.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ data: [UInt8]) -> Digest {
        data.withUnsafeBytes { hash($0) }
    }

    /// SHA-256 of `prefix || data` without copying `data`.
    public static func hash(prefix: UInt8, _ data: UnsafeRawBufferPointer) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: data.count + 1, alignment: 1) { buf in
            buf[0] = prefix
            if data.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: buf[1...]).copyMemory(from: data)
            }
            return hash(UnsafeRawBufferPointer(buf))
        }
    }

    /// SHA-256 of `prefix || a || b` for two digests: the RFC 6962 interior node.
    public static func hash(prefix: UInt8, _ a: Digest, _ b: Digest) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buf in
            buf[0] = prefix
            a.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buf[1..<33]).copyMemory(from: $0) }
            b.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buf[33..<65]).copyMemory(from: $0) }
            return hash(UnsafeRawBufferPointer(buf))
        }
    }
}

public protocol ContiguousBytes {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}
extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
extension Digest: ContiguousBytes {}
