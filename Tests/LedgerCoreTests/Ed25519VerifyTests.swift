import Foundation
import LedgerCrypto
import XCTest

/// Verification reuses OpenSSL contexts per key: a reused context must give the same verdicts as
/// a fresh one, after a failure too, from many threads at once, and against signatures that
/// `openssl pkeyutl` made (an independent signer), whose bytes our signing must reproduce. One
/// key signs from many threads at once, as a bulk import does, each signature the one made alone.
final class Ed25519VerifyTests: XCTestCase {
    func testReusedContextsGiveTheSameVerdicts() throws {
        let key = try Ed25519PrivateKey.generate()
        let other = try Ed25519PrivateKey.generate()
        let messages = (0..<64).map { Array("message \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0) }
        // Good, bad (wrong message, wrong key, flipped bit, wrong length), then good again.
        for round in 0..<3 {
            for (i, m) in messages.enumerated() {
                XCTAssertTrue(key.publicKey.verify(signature: signatures[i], message: m), "round \(round) #\(i)")
                XCTAssertFalse(key.publicKey.verify(signature: signatures[i], message: messages[(i + 1) % 64]))
                XCTAssertFalse(other.publicKey.verify(signature: signatures[i], message: m))
                var flipped = signatures[i]
                flipped[i % 64] ^= 0x01
                XCTAssertFalse(key.publicKey.verify(signature: flipped, message: m))
                XCTAssertFalse(key.publicKey.verify(signature: Array(signatures[i].dropLast()), message: m))
                XCTAssertTrue(key.publicKey.verify(signature: signatures[i], message: m))
            }
        }
    }

    func testConcurrentVerificationsWithOneKey() throws {
        let key = try Ed25519PrivateKey.generate()
        let messages = (0..<512).map { Array("concurrent \($0)".utf8) }
        let signatures = try messages.map { try key.sign($0) }
        let publicKey = key.publicKey
        let wrong = Self.failures(of: 8 * messages.count) { n in
            let i = n % messages.count
            let good = n % 3 != 0
            let message = good ? messages[i] : messages[(i + 1) % messages.count]
            return publicKey.verify(signature: signatures[i], message: message) == good
        }
        XCTAssertEqual(wrong, 0)
    }

    func testConcurrentSigningWithOneKey() throws {
        let key = try Ed25519PrivateKey.generate()
        let messages = (0..<256).map { Array("signed concurrently \($0)".utf8) }
        let expected = try messages.map { try key.sign($0) }
        let wrong = Self.failures(of: 8 * messages.count) { n in
            let i = n % messages.count
            return (try? key.sign(messages[i])) == expected[i] && key.publicKey.verify(signature: expected[i], message: messages[i])
        }
        XCTAssertEqual(wrong, 0)
    }

    /// How many of `count` calls of `holds`, run on every core at once, return false.
    private static func failures(of count: Int, _ holds: @Sendable (Int) -> Bool) -> Int {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var value = 0
        }
        let failed = Count()
        DispatchQueue.concurrentPerform(iterations: count) { n in
            if !holds(n) { failed.lock.withLock { failed.value += 1 } }
        }
        return failed.value
    }

    func testSignaturesMadeByOpenSSLCommandLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ed25519-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func openssl(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = args
            p.currentDirectoryURL = dir
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, args.joined(separator: " "))
        }
        try openssl(["genpkey", "-algorithm", "ed25519", "-out", "k.pem"])
        try openssl(["pkey", "-in", "k.pem", "-pubout", "-out", "k.pub"])
        let publicKey = try Ed25519PublicKey(pem: Array(try Data(contentsOf: dir.appendingPathComponent("k.pub"))))
        let privateKey = try Ed25519PrivateKey.fromPEM(Array(try Data(contentsOf: dir.appendingPathComponent("k.pem"))))
        for i in 0..<8 {
            let message = Array("from openssl \(i)".utf8)
            try Data(message).write(to: dir.appendingPathComponent("m"))
            try openssl(["pkeyutl", "-sign", "-rawin", "-inkey", "k.pem", "-in", "m", "-out", "s"])
            let signature = Array(try Data(contentsOf: dir.appendingPathComponent("s")))
            XCTAssertTrue(publicKey.verify(signature: signature, message: message))
            XCTAssertFalse(publicKey.verify(signature: signature, message: message + [0]))
            XCTAssertTrue(publicKey.verify(signature: signature, message: message))
            // Ed25519 is deterministic: each signature is byte for byte openssl's.
            XCTAssertEqual(try privateKey.sign(message), signature, "message \(i)")
        }
    }
}
