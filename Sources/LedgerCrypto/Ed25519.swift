import COpenSSL
import Foundation
import Synchronization

/// An Ed25519 public key: 32 raw bytes, plus the EVP_PKEY OpenSSL verifies with.
public final class Ed25519PublicKey: Hashable, @unchecked Sendable {
    public let raw: [UInt8]
    // Immutable after init; OpenSSL allows concurrent verifications with one key.
    private let pkey: OpaquePointer
    /// Verification contexts already initialised for this key, one per thread at most in use.
    /// `EVP_DigestVerifyInit` fetches the algorithm from the provider on every call, which costs
    /// as much as a tenth of the verification; a context is reused as `openssl speed` does.
    private let idle = ContextPool()
    /// The key's fixed-base table, once it has verified enough signatures to be worth one.
    private let table = TableSlot()

    public init(raw: [UInt8]) throws {
        guard raw.count == 32 else { throw CryptoError.badRawKey(length: raw.count) }
        guard let key = raw.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32)
        }) else { throw CryptoError.notEd25519(what: "the raw public key") }
        self.raw = raw
        self.pkey = key
    }

    /// Reads an SPKI PEM public key (`-----BEGIN PUBLIC KEY-----`), as `openssl pkey -pubout` writes.
    public convenience init(pem: [UInt8], what: String = "the public key") throws {
        let key = try PEM.read(pem, what: what) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
        defer { EVP_PKEY_free(key) }
        try self.init(raw: try PEM.rawKey(key, what: what, get: EVP_PKEY_get_raw_public_key))
    }

    deinit {
        EVP_PKEY_free(pkey)
        idle.drain { EVP_MD_CTX_free($0) }
    }

    /// The SPKI PEM encoding.
    public func pem() throws -> String {
        try PEM.write { bio in PEM_write_bio_PUBKEY(bio, pkey) }
    }

    /// Whether keys check signatures with their tables (`Ed25519TableVerifier`, which accepts what
    /// OpenSSL accepts at a third of the cost) from their `TableSlot.threshold`-th check on. Off
    /// unless `LEDGER_ED25519=tables` is in the environment: the project's design has signatures
    /// go through OpenSSL, and curve arithmetic of our own on the audit's path is the owner's
    /// call (docs/PERFORMANCE.md has the figures).
    public static var tablesEnabled: Bool {
        get { TableSlot.enabled }
        set { TableSlot.enabled = newValue }
    }

    /// Checks an Ed25519 signature over `message` (pure Ed25519, RFC 8032: no pre-hash): with
    /// OpenSSL, or with the key's table when `tablesEnabled` and the key has one.
    public func verify(signature: [UInt8], message: UnsafeRawBufferPointer) -> Bool {
        if let verifier = table.verifier(for: raw) { return verifier.verify(signature: signature, message: message) }
        return verifyWithOpenSSL(signature: signature, message: message)
    }

    /// Whether this key checks with its table now (tests).
    var checksWithTable: Bool { table.isBuilt }

    /// Checks an Ed25519 signature with OpenSSL alone.
    func verifyWithOpenSSL(signature: [UInt8], message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64 else { return false }
        var reusedFailed = false
        if let ctx = idle.take() {
            if Self.run(ctx, signature, message) {
                idle.put(ctx)
                return true
            }
            // Decided again below on a fresh context: a library that refuses a second use of a
            // context must not turn a good signature into a bad one.
            EVP_MD_CTX_free(ctx)
            ERR_clear_error()
            reusedFailed = true
        }
        guard let ctx = EVP_MD_CTX_new() else { return false }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else {
            EVP_MD_CTX_free(ctx)
            ERR_clear_error()
            return false
        }
        let ok = Self.run(ctx, signature, message)
        // A reused context refused what a fresh one accepts: this OpenSSL does not allow reuse.
        if ok && reusedFailed { ContextPool.disable() }
        if ok && ContextPool.enabled { idle.put(ctx) } else { EVP_MD_CTX_free(ctx) }
        if !ok { ERR_clear_error() }
        return ok
    }

    private static func run(_ ctx: OpaquePointer, _ signature: [UInt8], _ message: UnsafeRawBufferPointer) -> Bool {
        signature.withUnsafeBufferPointer { sig in
            EVP_DigestVerify(ctx, sig.baseAddress, 64, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        } == 1
    }

    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        message.withUnsafeBytes { verify(signature: signature, message: $0) }
    }

    public static func == (a: Ed25519PublicKey, b: Ed25519PublicKey) -> Bool { a.raw == b.raw }
    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// An Ed25519 private key held by OpenSSL.
public final class Ed25519PrivateKey: @unchecked Sendable {
    private let pkey: OpaquePointer
    public let publicKey: Ed25519PublicKey

    private init(pkey: OpaquePointer) throws {
        self.pkey = pkey
        do {
            publicKey = try Ed25519PublicKey(raw: try PEM.rawKey(pkey, what: "the private key", get: EVP_PKEY_get_raw_public_key))
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    deinit { EVP_PKEY_free(pkey) }

    /// A fresh key from OpenSSL's CSPRNG.
    public static func generate() throws -> Ed25519PrivateKey {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw CryptoError.keyGenerationFailed(OpenSSLError.lastMessage())
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &key) == 1, let made = key else {
            throw CryptoError.keyGenerationFailed(OpenSSLError.lastMessage())
        }
        return try Ed25519PrivateKey(pkey: made)
    }

    /// A key from its 32-byte RFC 8032 seed (the form C2SP signer keys carry).
    public static func fromSeed(_ seed: [UInt8]) throws -> Ed25519PrivateKey {
        guard seed.count == 32 else { throw CryptoError.badRawKey(length: seed.count) }
        guard let key = seed.withUnsafeBufferPointer({
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32)
        }) else { throw CryptoError.notEd25519(what: "the seed") }
        return try Ed25519PrivateKey(pkey: key)
    }

    /// Reads a PKCS#8 PEM private key (`-----BEGIN PRIVATE KEY-----`), as `openssl genpkey` writes.
    /// Throws if `pem` is an encrypted private key or a public key (see `PEM.refuseUnusable`).
    public static func refuseUnusable(_ pem: [UInt8], what: String) throws { try PEM.refuseUnusable(pem, what: what) }

    public static func fromPEM(_ pem: [UInt8], what: String = "the private key") throws -> Ed25519PrivateKey {
        try PEM.refuseUnusable(pem, what: what)
        // No passphrase callback: OpenSSL's default would prompt on the terminal.
        let key = try PEM.read(pem, what: what) { bio in PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil) }
        guard EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(key)
            throw CryptoError.notEd25519(what: what)
        }
        return try Ed25519PrivateKey(pkey: key)
    }

    /// The unencrypted PKCS#8 PEM encoding.
    public func pem() throws -> String {
        try PEM.write { bio in PEM_write_bio_PKCS8PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
    }

    /// Signs `message` with pure Ed25519 (RFC 8032); the 64-byte signature.
    public func sign(_ message: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.signingFailed("out of memory") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1 else {
            throw CryptoError.signingFailed(OpenSSLError.lastMessage())
        }
        var sig = [UInt8](repeating: 0, count: 64)
        var len = 64
        let ok = sig.withUnsafeMutableBufferPointer { out in
            EVP_DigestSign(ctx, out.baseAddress, &len, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count)
        }
        guard ok == 1, len == 64 else { throw CryptoError.signingFailed(OpenSSLError.lastMessage()) }
        return sig
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        try message.withUnsafeBytes { try sign($0) }
    }
}

/// PEM reading and writing through memory BIOs.
enum PEM {
    /// Refuses, with what to do, the two PEM files that are not a usable private key although they
    /// look like one: an encrypted key (the ledger never prompts for a passphrase) and a public key.
    static func refuseUnusable(_ pem: [UInt8], what: String) throws {
        let text = String(decoding: pem.prefix(4096), as: UTF8.self)
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") {
            throw CryptoError.encryptedKey(what: what)
        }
        if text.contains("-----BEGIN PUBLIC KEY-----") { throw CryptoError.publicKeyGiven(what: what) }
    }

    static func read(_ pem: [UInt8], what: String, _ reader: (OpaquePointer) -> OpaquePointer?) throws -> OpaquePointer {
        guard let bio = pem.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32(clamping: $0.count)) }) else {
            throw CryptoError.notPEM(what: what)
        }
        defer { BIO_free(bio) }
        guard let key = reader(bio) else {
            ERR_clear_error()
            throw CryptoError.notPEM(what: what)
        }
        return key
    }

    static func write(_ writer: (OpaquePointer) -> Int32) throws -> String {
        guard let method = BIO_s_mem(), let bio = BIO_new(method) else { throw CryptoError.encodingFailed("out of memory") }
        defer { BIO_free(bio) }
        guard writer(bio) == 1 else { throw CryptoError.encodingFailed(OpenSSLError.lastMessage()) }
        let pending = Int(BIO_ctrl_pending(bio))
        var out = [UInt8](repeating: 0, count: pending)
        let n = out.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard n == pending else { throw CryptoError.encodingFailed("short read from memory BIO") }
        return String(decoding: out, as: UTF8.self)
    }

    static func rawKey(_ key: OpaquePointer, what: String,
                       get: (OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> Int32) throws -> [UInt8] {
        guard EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 else { throw CryptoError.notEd25519(what: what) }
        var raw = [UInt8](repeating: 0, count: 32)
        var len = 32
        guard raw.withUnsafeMutableBufferPointer({ get(key, $0.baseAddress, &len) }) == 1, len == 32 else {
            ERR_clear_error()
            throw CryptoError.notEd25519(what: what)
        }
        return raw
    }
}

/// A key's `Ed25519TableVerifier`, built on the key's `threshold`-th verification (480 KiB and
/// about 2 ms: worth it for a key that signs many entries, not for one read once) while fewer
/// than `maxTables` exist in the process, which bounds their memory whatever the signers.
private final class TableSlot: @unchecked Sendable {
    static let threshold = 64
    static let maxTables = 16
    private let lock = NSLock()
    private var uses = 0
    private var built: Ed25519TableVerifier?
    private var holdsBudget = false

    private static let budgetLock = NSLock()
    nonisolated(unsafe) private static var tables = 0
    /// Read on every verification, so an atomic load rather than a lock shared by every thread.
    private static let enabledFlag = Atomic<Bool>(ProcessInfo.processInfo.environment["LEDGER_ED25519"] == "tables")
    static var enabled: Bool {
        get { enabledFlag.load(ordering: .relaxed) }
        set { enabledFlag.store(newValue, ordering: .relaxed) }
    }

    var isBuilt: Bool { lock.withLock { built != nil } }

    func verifier(for key: [UInt8]) -> Ed25519TableVerifier? {
        guard Self.enabled else { return nil }
        return lock.withLock {
            if let built { return built }
            uses += 1
            guard uses == Self.threshold, Self.reserve() else { return nil }
            built = Ed25519TableVerifier(key: key)
            holdsBudget = built != nil
            if built == nil { Self.release() }
            return built
        }
    }

    private static func reserve() -> Bool {
        budgetLock.withLock {
            guard tables < maxTables else { return false }
            tables += 1
            return true
        }
    }

    private static func release() { budgetLock.withLock { tables -= 1 } }

    deinit { if holdsBudget { Self.release() } }
}

/// A few idle `EVP_MD_CTX`s behind a lock: taken for one verification, then put back.
private final class ContextPool: @unchecked Sendable {
    private let lock = NSLock()
    private var contexts: [OpaquePointer] = []

    private static let flagLock = NSLock()
    nonisolated(unsafe) private static var reuseAllowed = true
    /// False once a reused context failed where a fresh one succeeded (OpenSSL 3.0 allows reuse,
    /// as `openssl speed` relies on; a later release might not).
    static var enabled: Bool { flagLock.withLock { reuseAllowed } }
    static func disable() { flagLock.withLock { reuseAllowed = false } }

    func take() -> OpaquePointer? { lock.withLock { contexts.popLast() } }

    /// Keeps at most 16 (more threads than that verifying with one key is not worth memory).
    func put(_ ctx: OpaquePointer) {
        let kept = lock.withLock { () -> Bool in
            guard contexts.count < 16 else { return false }
            contexts.append(ctx)
            return true
        }
        if !kept { EVP_MD_CTX_free(ctx) }
    }

    func drain(_ free: (OpaquePointer) -> Void) {
        lock.withLock { contexts }.forEach(free)
    }
}
