import Foundation
import XCTest

/// `ledger witness` (a witness's own state file) and `ledger cosignature` (the log storing and
/// serving cosignatures), run as users run them; cosignatures are checked again by the
/// independent Python implementation of C2SP tlog-cosignature.
final class WitnessTests: XCTestCase {
    static let witnessName = "witness.example/w1"

    /// A ledger with a signer, `count` statements, and a witness that follows it.
    func makeWitnessedLedger(count: Int = 3) throws -> (Sandbox, witnessKey: String) {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<count))
        let witnessKey = try s.ok("witness", "init", WitnessTests.witnessName).trimmingCharacters(in: .newlines)
        XCTAssertTrue(witnessKey.hasPrefix("witness.example/w1+"), witnessKey)
        try s.ok("witness", "add-log", try s.logKey())
        return (s, witnessKey)
    }

    func python(_ s: Sandbox, _ args: String...) throws -> Sandbox.Run {
        try s.run("/usr/bin/env", ["python3", InteropTests.script] + args)
    }

    func cosignedCount(_ s: Sandbox) throws -> String {
        try s.run("/usr/bin/sqlite3", [s.path("witness/witness.sqlite"), "SELECT COUNT(*) FROM cosigned"]).stdout
    }

    func testWitnessCosignsAndTheLogServesTheCosignature() throws {
        let (s, witnessKey) = try makeWitnessedLedger()
        let logKey = try s.logKey()
        try s.write("cp.txt", try s.ok("checkpoint"))
        let cosigned = try s.ok("witness", "cosign", "cp.txt")
        XCTAssertTrue(cosigned.hasPrefix(try String(contentsOfFile: s.path("cp.txt"), encoding: .utf8)), "the log's note is kept as it was")
        XCTAssertTrue(cosigned.contains("\n\u{2014} witness.example/w1 "), cosigned)
        try s.write("cosigned.txt", cosigned)

        // An independent implementation accepts the cosignature, and the log's own signature still verifies.
        let stamp = try python(s, "cosignature", witnessKey, "cosigned.txt")
        XCTAssertEqual(stamp.status, 0, stamp.stderr)
        let seconds = try XCTUnwrap(Double(stamp.stdout.trimmingCharacters(in: .newlines)))
        XCTAssertLessThan(abs(seconds - Date().timeIntervalSince1970), 120, "the cosignature's timestamp is now")
        XCTAssertEqual(try python(s, "note", logKey, "cosigned.txt").status, 0)
        // The same checkpoint again is fine (nothing new to check); the witness remembers it once.
        try s.ok("witness", "cosign", "cp.txt")
        XCTAssertEqual(try cosignedCount(s), "1\n")

        // The log stores it and serves it with the checkpoint.
        let untrusted = try s.ledger("cosignature", "add", "cosigned.txt")
        XCTAssertEqual(untrusted.status, 1)
        XCTAssertTrue(untrusted.stderr.contains("no cosignature by a trusted witness"), untrusted.stderr)
        try s.ok("cosignature", "trust", witnessKey)
        XCTAssertTrue(try s.ok("cosignature", "add", "cosigned.txt").contains("stored cosignatures by witness.example/w1"))
        let served = try s.ok("checkpoint")
        XCTAssertEqual(served, cosigned)
        try s.write("served.txt", served)
        XCTAssertEqual(try python(s, "cosignature", witnessKey, "served.txt").status, 0)
        XCTAssertEqual(try s.verify().status, 0, "stored cosignatures leave the audit clean")
    }

    func testTheLogRefusesBadOrForeignCosignatures() throws {
        let (s, witnessKey) = try makeWitnessedLedger()
        try s.ok("cosignature", "trust", witnessKey)
        try s.write("cp.txt", try s.ok("checkpoint"))
        var cosigned = Array(try s.ok("witness", "cosign", "cp.txt").utf8)
        // Flip one base64 character inside the witness's signature bytes (not its key ID or padding).
        let i = cosigned.count - 20
        cosigned[i] = cosigned[i] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try s.write("bad.txt", String(decoding: cosigned, as: UTF8.self))
        let before = try s.fingerprint()
        let bad = try s.ledger("cosignature", "add", "bad.txt")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("the cosignature by witness witness.example/w1 does not verify"), bad.stderr)
        XCTAssertEqual(try s.fingerprint(), before, "nothing stored")
        XCTAssertNotEqual(try python(s, "cosignature", witnessKey, "bad.txt").status, 0)
        // A checkpoint the log never stored (another ledger's, same origin and key) is refused.
        let other = try Sandbox()
        try FileManager.default.createDirectory(atPath: other.path("keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: s.path("keys/log.key"), toPath: other.path("keys/log.key"))
        try other.setUp()
        try other.ok("append", "--key", "keys/alice.key", stdin: statementLines(100..<103))
        try s.write("foreign.txt", try other.ok("checkpoint"))
        let foreign = try s.ledger("cosignature", "add", "foreign.txt")
        XCTAssertEqual(foreign.status, 1)
        XCTAssertTrue(foreign.stderr.contains("this log stored no checkpoint with that text"), foreign.stderr)
    }

    func testGrowthIsCosignedOnlyWithAValidConsistencyProof() throws {
        let (s, witnessKey) = try makeWitnessedLedger()
        try s.write("old.txt", try s.ok("checkpoint"))
        try s.ok("witness", "cosign", "old.txt")
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(10..<14))
        try s.write("new.txt", try s.ok("checkpoint"))
        try s.write("proof.json", try s.ok("prove", "consistency", "4", "8"))
        try s.write("wrong-sizes.json", try s.ok("prove", "consistency", "5", "8"))
        // A proof whose hashes do not link the roots: one hash replaced by another's.
        var tampered = try String(contentsOfFile: s.path("proof.json"), encoding: .utf8)
        let firstHash = try XCTUnwrap(tampered.range(of: #""consistency_path":[""#)).upperBound
        tampered.replaceSubrange(firstHash..<tampered.index(firstHash, offsetBy: 43), with: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
        try s.write("tampered.json", tampered)

        let wrong = try s.ledger("witness", "cosign", "new.txt", "--proof", "wrong-sizes.json")
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("the proof links sizes 5 → 8, but 4 → 8 is needed"), wrong.stderr)
        let forged = try s.ledger("witness", "cosign", "new.txt", "--proof", "tampered.json")
        XCTAssertEqual(forged.status, 1)
        XCTAssertTrue(forged.stderr.contains("fork: the consistency proof from size 4 to 8 does not verify"), forged.stderr)
        XCTAssertEqual(try cosignedCount(s), "1\n")

        let cosigned = try s.ok("witness", "cosign", "new.txt", "--proof", "proof.json")
        try s.write("cosigned.txt", cosigned)
        XCTAssertEqual(try python(s, "cosignature", witnessKey, "cosigned.txt").status, 0)
        XCTAssertEqual(try cosignedCount(s), "2\n")
        // Once it has seen size 8, the older checkpoint is a rollback.
        XCTAssertTrue(try s.ledger("witness", "cosign", "old.txt").stderr.contains("rollback"))
    }

    func testWitnessRefusesRollbackForkGrowthWithoutProofAndStrangers() throws {
        let (s, _) = try makeWitnessedLedger()
        let size = try s.ok("checkpoint").split(separator: "\n")[1]
        try s.write("cp.txt", try s.ok("checkpoint"))
        try s.ok("witness", "cosign", "cp.txt")

        // Rollback: an older checkpoint of the same log.
        let older = try s.sqlite("SELECT note FROM checkpoints WHERE size = 1").stdout
        try s.write("older.txt", String(older.dropLast()))
        let rollback = try s.ledger("witness", "cosign", "older.txt")
        XCTAssertEqual(rollback.status, 1)
        XCTAssertTrue(rollback.stderr.contains("rollback: this witness already cosigned size \(size), refusing size 1"), rollback.stderr)

        // Fork: the same log key signs a different history of the same size.
        let fork = try Sandbox()
        try FileManager.default.createDirectory(atPath: fork.path("keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: s.path("keys/log.key"), toPath: fork.path("keys/log.key"))
        try fork.setUp()
        try fork.ok("append", "--key", "keys/alice.key", stdin: statementLines(50..<53))
        let forked = try fork.ok("checkpoint")
        XCTAssertEqual(forked.split(separator: "\n")[1], size)
        try s.write("forked.txt", forked)
        let split = try s.ledger("witness", "cosign", "forked.txt")
        XCTAssertEqual(split.status, 1)
        XCTAssertTrue(split.stderr.contains("fork: two roots for size \(size)"), split.stderr)
        XCTAssertTrue(split.stderr.contains(forked), "the forked note is printed as evidence")
        XCTAssertTrue(split.stderr.contains(try String(contentsOfFile: s.path("cp.txt"), encoding: .utf8)), "and the one cosigned before")

        // Growth needs a consistency proof.
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(10..<12))
        try s.write("grown.txt", try s.ok("checkpoint"))
        let noProof = try s.ledger("witness", "cosign", "grown.txt")
        XCTAssertEqual(noProof.status, 1)
        XCTAssertTrue(noProof.stderr.contains("a consistency proof from size \(size) to"), noProof.stderr)

        // A log the witness does not follow, and a forged log signature.
        let stranger = try Sandbox()
        try stranger.ok("init", "--origin", "other.example/log")
        try s.write("stranger.txt", try stranger.ok("checkpoint"))
        let unknown = try s.ledger("witness", "cosign", "stranger.txt")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("does not follow log 'other.example/log'"), unknown.stderr)
        let impostor = try Sandbox()
        try impostor.ok("init", "--origin", "test.example/ledger")
        try s.write("impostor.txt", try impostor.ok("checkpoint"))
        let forged = try s.ledger("witness", "cosign", "impostor.txt")
        XCTAssertEqual(forged.status, 1)
        XCTAssertTrue(forged.stderr.contains("not signed by test.example/ledger"), forged.stderr)

        XCTAssertEqual(try cosignedCount(s), "1\n", "no refused checkpoint was recorded")
    }
}
