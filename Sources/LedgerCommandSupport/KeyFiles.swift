import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Key files: PKCS#8 PEM private keys (mode 0600) and SPKI PEM public keys, as OpenSSL writes them.
public enum KeyFiles {
    /// Reads a private key, refusing one that group or others can read, as ssh does.
    public static func readPrivate(_ path: String) throws -> Ed25519PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError.input("cannot read private key \(path): no such file") }
        let pem = try readFile(path)
        // A public key given by mistake is named as such before its (public) mode is.
        do { try Ed25519PrivateKey.refuseUnusable(pem, what: path) } catch let e as CryptoError { throw CLIError.input(e.description) }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw CLIError.input("private key \(path) is readable by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        return try Ed25519PrivateKey.fromPEM(pem, what: path)
    }

    public static func readPublic(_ path: String) throws -> Ed25519PublicKey {
        try Ed25519PublicKey(pem: try readFile(path), what: path)
    }

    /// Writes a new key pair `<dir>/<name>.key` (0600) and `.pub`; refuses to overwrite either.
    public static func generate(dir: String, name: String) throws -> Ed25519PrivateKey {
        let key = try Ed25519PrivateKey.generate()
        try write(privateKey: key, dir: dir, name: name)
        return key
    }

    public static func write(privateKey key: Ed25519PrivateKey, dir: String, name: String) throws {
        try createPrivateDirectory(dir)
        try create("\(dir)/\(name).key", contents: try key.pem(), mode: 0o600)
        try create("\(dir)/\(name).pub", contents: try key.publicKey.pem(), mode: 0o644)
    }

    /// The keys directory, never writable by group or others whatever the umask (under umask 000
    /// it was created 0777, and anyone could have swapped a key file): such a mode becomes 0700.
    public static func createPrivateDirectory(_ dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var info = stat()
        guard stat(dir, &info) == 0 else { throw CLIError.io("cannot create \(dir)") }
        if info.st_mode & 0o022 != 0 {
            guard chmod(dir, 0o700) == 0 else { throw CLIError.io("cannot set the mode of \(dir): \(String(cString: strerror(errno)))") }
        }
    }

    private static func create(_ path: String, contents: String, mode: mode_t) throws {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else {
            if errno == EEXIST { throw CLIError.input("\(path) already exists; it is left as it is") }
            throw CLIError.io("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { Foundation.close(fd) }
        // The umask may have narrowed the mode; set it exactly.
        fchmod(fd, mode)
        let bytes = Array(contents.utf8)
        guard Foundation.write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw CLIError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Opens the ledger and loads the log key, checking they belong together.
    public static func openForWriting(_ global: GlobalOptions) throws -> (LedgerStore, Ed25519PrivateKey) {
        let store = try LedgerStore(path: global.ledger)
        let key = try KeyFiles.readPrivate(global.logKeyPath)
        guard key.publicKey == store.logKey.publicKey else {
            throw CLIError.input("\(global.logKeyPath) is not the log key of \(global.ledger) (\(store.logKey.text))")
        }
        return (store, key)
    }

    /// The name under which `key` (read from `path`) may sign in `store` now: a registered,
    /// unrevoked signer, or (with `logKeyAllowed`) the log key itself.
    public static func signer(of key: Ed25519PrivateKey, at path: String, in store: LedgerStore, logKeyAllowed: Bool) throws -> String {
        guard let signer = try store.keyHistory().signerName(for: key.publicKey), logKeyAllowed || signer != SignerName.log else {
            throw CLIError.input("\(path) is not the key of a registered signer; register it with `ledger signer add NAME KEY.pub` (a revoked key cannot sign)")
        }
        return signer
    }
}
