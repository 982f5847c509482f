import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// `ledger prove`, `ledger receipt`, `ledger append --receipts` and the offline checks of
/// `ledger-verify receipt|consistency`, with the built binaries on real ledgers.
final class ProofCLITests: XCTestCase {
    /// seq 0 registers alice; 12 statements are seq 1…12, five per transaction: checkpoints at
    /// sizes 0, 1, 6, 11, 13. Receipts of every statement are in rc/.
    func makeLedger(origin: String = "test.example/ledger") throws -> (Sandbox, String) {
        let s = try Sandbox()
        try s.setUp(origin: origin)
        let out = try s.ok("append", "--key", "keys/alice.key", "--batch-size", "5", "--receipts", "rc", stdin: statementLines(0..<12))
        XCTAssertEqual(out.split(separator: "\n").count, 12)
        XCTAssertEqual(try s.sqlite("SELECT group_concat(size) FROM checkpoints").stdout, "0,1,6,11,13\n")
        return (s, try s.logKey())
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func writeJSON(_ s: Sandbox, _ name: String, _ object: [String: Any]) throws {
        try s.write(name, String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self))
    }

    func expectRefused(_ r: Sandbox.Run, _ reason: String, status: Int32 = 1, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, "stdout: \(r.stdout) stderr: \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(reason), "expected '\(reason)', got: \(r.stderr)", file: file, line: line)
    }

    func testAppendReceiptsAndReceiptCommandVerifyOffline() throws {
        let (s, key) = try makeLedger()
        let files = try FileManager.default.contentsOfDirectory(atPath: s.path("rc")).sorted()
        XCTAssertEqual(files.count, 12, "\(files)")
        // A receipt from `append --receipts` is against its own transaction's checkpoint.
        let r3 = try json(String(contentsOfFile: s.path("rc/3.receipt.json"), encoding: .utf8))
        XCTAssertEqual(r3["format"] as? String, "disclosure-receipt/v1")
        XCTAssertTrue((r3["checkpoint"] as? String ?? "").hasPrefix("test.example/ledger\n6\n"))
        XCTAssertEqual((r3["inclusion_proof"] as? [String: Any])?["tree_size"] as? Int, 6)
        for seq in [1, 3, 5, 6, 10, 12] {
            let r = try s.verify("receipt", "rc/\(seq).receipt.json", "--log-key", key)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("seq \(seq) (statement by alice)"), r.stdout)
            XCTAssertTrue(r.stdout.contains("body matches body_sha256"), r.stdout)
        }
        // `ledger receipt` against the latest checkpoint; without its body; for the log's own entry.
        try s.write("r7.json", try s.ok("receipt", "7"))
        XCTAssertTrue(try s.verify("receipt", "r7.json", "--log-key", key).stdout.contains("is in test.example/ledger at size 13"))
        try s.write("r7nobody.json", try s.ok("receipt", "7", "--without-body"))
        XCTAssertNil(try json(String(contentsOfFile: s.path("r7nobody.json"), encoding: .utf8))["body"])
        XCTAssertTrue(try s.verify("receipt", "r7nobody.json", "--log-key", key).stdout.contains("no body included"))
        try s.write("r0.json", try s.ok("receipt", "0"))
        XCTAssertTrue(try s.verify("receipt", "r0.json", "--log-key", key).stdout.contains("signed by the log key"))
        // The key may also come from a file, as `ledger log-key` prints it.
        try s.write("log.vkey", key + "\n")
        XCTAssertEqual(try s.verify("receipt", "r7.json", "--log-key", "log.vkey").status, 0)
        // A withheld statement's receipt carries no body and still verifies.
        try s.ok("withhold", "2", "--reason", "court order")
        try s.write("r2.json", try s.ok("receipt", "2"))
        XCTAssertNil(try json(String(contentsOfFile: s.path("r2.json"), encoding: .utf8))["body"])
        XCTAssertEqual(try s.verify("receipt", "r2.json", "--log-key", key).status, 0)
        // The old receipt still verifies after more appends: checkpoints never change.
        XCTAssertEqual(try s.verify("receipt", "rc/3.receipt.json", "--log-key", key).status, 0)
    }

    /// The receipt's proof is a plain RFC 9162 audit path: an independent check in Python (the
    /// algorithm of RFC 9162 §2.1.3.2, nothing of ours) accepts it.
    func testReceiptProofChecksWithIndependentRFC9162Code() throws {
        let (s, _) = try makeLedger()
        try s.write("r.json", try s.ok("receipt", "9"))
        let script = """
            import json, base64, hashlib, sys
            r = json.load(open('r.json')); p = r['inclusion_proof']
            h = lambda b: hashlib.sha256(b).digest()
            node = h(b'\\x00' + r['leaf'].encode())
            fn, sn = p['leaf_index'], p['tree_size'] - 1
            for x in map(base64.b64decode, p['inclusion_path']):
                if fn % 2 == 1 or fn == sn:
                    node = h(b'\\x01' + x + node)
                    while fn % 2 == 0 and fn != 0: fn >>= 1; sn >>= 1
                else:
                    node = h(b'\\x01' + node + x)
                fn >>= 1; sn >>= 1
            root = base64.b64decode(r['checkpoint'].split('\\n')[2])
            sys.exit(0 if sn == 0 and node == root and base64.b64decode(p['root']) == root else 1)
            """
        let r = try s.run("/usr/bin/python3", ["-c", script])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testTamperedReceiptsAreRefusedNamingWhy() throws {
        let (s, key) = try makeLedger()
        let original = try json(try s.ok("receipt", "5"))
        let proof = try XCTUnwrap(original["inclusion_proof"] as? [String: Any])
        let path = try XCTUnwrap(proof["inclusion_path"] as? [String])
        XCTAssertEqual(path.count, 4)
        func check(_ name: String, _ change: (inout [String: Any], inout [String: Any]) -> Void, _ reason: String, status: Int32 = 1,
                   line: UInt = #line) throws {
            var receipt = original
            var p = proof
            change(&receipt, &p)
            receipt["inclusion_proof"] = p
            try writeJSON(s, name, receipt)
            expectRefused(try s.verify("receipt", name, "--log-key", key), reason, status: status, line: line)
        }
        let leaf = original["leaf"] as! String
        let body = original["body"] as! String
        let note = original["checkpoint"] as! String
        try check("leaf.json", { r, _ in r["leaf"] = leaf.replacingOccurrences(of: "\"time\":\"20", with: "\"time\":\"19") }, "the leaf was altered")
        try check("seq.json", { r, _ in r["leaf"] = leaf.replacingOccurrences(of: "\"seq\":5", with: "\"seq\":4") }, "the leaf says seq 4, but the proof is for leaf_index 5")
        try check("body.json", { r, _ in r["body"] = body.replacingOccurrences(of: "statement number 4", with: "statement number 9") }, "the body was altered")
        try check("hash.json", { _, p in p["inclusion_path"] = [path[1], path[0]] + path.dropFirst(2) }, "does not lead from the leaf to the checkpoint's root")
        try check("truncated.json", { _, p in p["inclusion_path"] = Array(path.dropLast()) }, "has 3 hashes, but a proof for leaf 5 in a tree of 13 has exactly 4 (truncated)")
        try check("extra.json", { _, p in p["inclusion_path"] = path + [path[0]] }, "(extra hashes)")
        try check("bigger.json", { _, p in p["tree_size"] = 99 }, "is for a tree of size 99, but the checkpoint is of size 13 (a size larger than the checkpoint's tree)")
        try check("origin.json", { _, p in p["origin"] = "other.example/log" }, "is for origin 'other.example/log'")
        try check("note.json", { r, _ in r["checkpoint"] = note.replacingOccurrences(of: "\n13\n", with: "\n12\n") }, "the checkpoint does not verify under the log key")
        try check("unknown.json", { r, _ in r["extra"] = 1 }, "extra: is not a field of this schema")
        // Malformed notes (C2SP signed-note rules): no blank line, a control character, 101 signatures.
        try check("noblank.json", { r, _ in r["checkpoint"] = note.replacingOccurrences(of: "\n\n", with: "\n") }, "the note has no blank line before its signatures")
        try check("control.json", { r, _ in r["checkpoint"] = note.replacingOccurrences(of: "\n13\n", with: "\n13\u{1B}\n") }, "checkpoint: contains control character U+1B")
        let witnessLine = "\u{2014} witness.example/w " + Base64.encode([UInt8](repeating: 7, count: 68)) + "\n"
        try check("many.json", { r, _ in r["checkpoint"] = note + String(repeating: witnessLine, count: 100) }, "the note has more than 100 signatures")
        try check("v2.json", { r, _ in r["format"] = "disclosure-receipt/v2" }, "unsupported format 'disclosure-receipt/v2'", status: 2)
        try check("proofv2.json", { _, p in p["format"] = "disclosure-proof/v2" }, "unsupported format 'disclosure-proof/v2'", status: 2)

        // Wrong key: another log's, and this log's name with another key.
        let (_, otherKey) = try makeLedger(origin: "other.example/log")
        try s.write("r.json", try s.ok("receipt", "5"))
        expectRefused(try s.verify("receipt", "r.json", "--log-key", otherKey), "the checkpoint does not verify under the log key other.example/log+")
        let (_, sameOriginKey) = try makeLedger()
        XCTAssertNotEqual(sameOriginKey, key)
        expectRefused(try s.verify("receipt", "r.json", "--log-key", sameOriginKey), "the note is not signed by test.example/ledger")
        let renamed = otherKey.replacingOccurrences(of: "other.example/log+", with: "test.example/ledger+")
        expectRefused(try s.verify("receipt", "r.json", "--log-key", renamed), "is not a valid Ed25519 verifier key", status: 2)
        // Usage and I/O: no such file, a PEM key (no origin), a malformed key.
        expectRefused(try s.verify("receipt", "missing.json", "--log-key", key), "cannot read receipt missing.json", status: 2)
        expectRefused(try s.verify("receipt", "r.json", "--log-key", "keys/log.pub"), "is a PEM key", status: 2)
        expectRefused(try s.verify("receipt", "r.json"), "Missing expected argument '--log-key", status: 2)
    }

    /// Hook for witnesses: a checkpoint carrying extra signature lines (cosignatures by keys the
    /// checker does not know) still verifies, as C2SP signed-note requires.
    func testReceiptWithACosignedCheckpointStillVerifies() throws {
        let (s, key) = try makeLedger()
        var receipt = try json(try s.ok("receipt", "4"))
        let note = try XCTUnwrap(receipt["checkpoint"] as? String)
        receipt["checkpoint"] = note + "\u{2014} witness.example/w " + Base64.encode([UInt8](repeating: 9, count: 76)) + "\n"
        try writeJSON(s, "cosigned.json", receipt)
        let r = try s.verify("receipt", "cosigned.json", "--log-key", key)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testAppendReceiptsRefusesABadDirectoryBeforeAppending() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.write("taken", "a file, not a directory")
        let before = try s.fingerprint()
        let r = try s.ledger("append", "--key", "keys/alice.key", "--receipts", "taken", stdin: statementLines(0..<3))
        expectRefused(r, "--receipts taken is not a directory")
        XCTAssertEqual(try s.fingerprint(), before)
        // Bad input is refused before the receipts directory is even created.
        expectRefused(try s.ledger("append", "--key", "keys/alice.key", "--receipts", "rc", stdin: Data("{}\n".utf8)), "stdin line 1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("rc")))
        XCTAssertEqual(try s.fingerprint(), before)
    }

    func testProveRefusesWhatTheLedgerCannotProve() throws {
        let (s, _) = try makeLedger()
        let before = try s.fingerprint()
        expectRefused(try s.ledger("prove", "inclusion", "13"), "seq 13 is not in the tree of size 13")
        expectRefused(try s.ledger("prove", "consistency", "3", "14"), "the ledger holds 13 entries; there is no tree of size 14")
        expectRefused(try s.ledger("prove", "consistency", "5", "3"), "the old size must be between 0 and the new size")
        // A checkpoint of another log, and one of this log's key but another history.
        let (other, _) = try makeLedger(origin: "other.example/log")
        try s.write("foreign.cp", try other.ok("checkpoint"))
        expectRefused(try s.ledger("prove", "inclusion", "2", "--checkpoint", "foreign.cp"), "the checkpoint is not signed by this log")
        let fork = try Sandbox()
        try FileManager.default.createDirectory(atPath: fork.path("keys"), withIntermediateDirectories: true)
        for f in ["log.key", "log.pub", "alice.key", "alice.pub"] {
            try FileManager.default.copyItem(atPath: s.path("keys/\(f)"), toPath: fork.path("keys/\(f)"))
        }
        try fork.ok("init", "--origin", "test.example/ledger")
        try fork.ok("signer", "add", "alice", "keys/alice.pub")
        try fork.ok("append", "--key", "keys/alice.key", stdin: statementLines(100..<105))
        try s.write("fork.cp", try fork.ok("checkpoint"))
        expectRefused(try s.ledger("prove", "inclusion", "2", "--checkpoint", "fork.cp"), "is not from this ledger's history", status: 3)
        XCTAssertEqual(try s.fingerprint(), before, "proving writes nothing")
        // A checkpoint of this ledger at an earlier size works, and only for seqs it covers.
        try s.write("cp6.txt", String(try s.sqlite("SELECT note FROM checkpoints WHERE size = 6").stdout.dropLast()))
        let p = try json(try s.ok("prove", "inclusion", "5", "--checkpoint", "cp6.txt"))
        XCTAssertEqual(p["tree_size"] as? Int, 6)
        XCTAssertEqual(p["format"] as? String, "disclosure-proof/v1")
        expectRefused(try s.ledger("prove", "inclusion", "6", "--checkpoint", "cp6.txt"), "seq 6 is not in the tree of size 6")
    }

    func testConsistencyBetweenCheckpointsOffline() throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<4))
        try s.write("old.cp", try s.ok("checkpoint"))
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(4..<11))
        try s.write("new.cp", try s.ok("checkpoint"))
        let key = try s.logKey()
        try s.write("p.json", try s.ok("prove", "consistency", "5", "12"))
        let ok = try s.verify("consistency", "old.cp", "new.cp", "p.json", "--log-key", key)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("the tree of size 12"), ok.stdout)
        // From the empty tree (the checkpoint `ledger init` wrote) and between equal checkpoints.
        try s.write("empty.cp", String(try s.sqlite("SELECT note FROM checkpoints WHERE size = 0").stdout.dropLast()))
        try s.write("p0.json", try s.ok("prove", "consistency", "0", "12"))
        XCTAssertEqual(try s.verify("consistency", "empty.cp", "new.cp", "p0.json", "--log-key", key).status, 0)
        try s.write("p12.json", try s.ok("prove", "consistency", "12", "12"))
        XCTAssertEqual(try s.verify("consistency", "new.cp", "new.cp", "p12.json", "--log-key", key).status, 0)

        let proof = try json(String(contentsOfFile: s.path("p.json"), encoding: .utf8))
        let path = try XCTUnwrap(proof["consistency_path"] as? [String])
        func refused(_ change: (inout [String: Any]) -> Void, _ reason: String, evidence: Bool = false, line: UInt = #line) throws {
            var p = proof
            change(&p)
            try writeJSON(s, "bad.json", p)
            let r = try s.verify("consistency", "old.cp", "new.cp", "bad.json", "--log-key", key)
            expectRefused(r, reason, line: line)
            XCTAssertEqual(r.stdout.contains("split-view evidence"), evidence, r.stdout, line: line)
        }
        try refused({ $0["consistency_path"] = Array(path.dropLast()) }, "(truncated)")
        try refused({ $0["consistency_path"] = path + [path[0]] }, "(extra hashes)")
        try refused({ $0["consistency_path"] = [path[1], path[0]] + path.dropFirst(2) }, "the proof was altered, or the log forked", evidence: true)
        try refused({ $0["tree_size_2"] = 40 }, "(a size larger than the newer tree)")
        try refused({ $0["origin"] = "elsewhere.example/x" }, "the proof is for origin 'elsewhere.example/x'")
        // Wrong order, wrong key, unreadable proof.
        expectRefused(try s.verify("consistency", "new.cp", "old.cp", "p.json", "--log-key", key), "give the older checkpoint first", status: 2)
        let (_, otherKey) = try makeLedger(origin: "other.example/log")
        expectRefused(try s.verify("consistency", "old.cp", "new.cp", "p.json", "--log-key", otherKey), "not a checkpoint signed by the log key other.example/log+")
        expectRefused(try s.verify("consistency", "old.cp", "new.cp", "nope.json", "--log-key", key), "cannot read proof nope.json", status: 2)
    }

    /// Two checkpoints of one size with different roots, both signed by the log: a split view,
    /// whatever the proof says. Made by two ledgers sharing one log key (`ledger init` reuses keys/log.key).
    func testSameSizeDifferentRootsIsSplitViewEvidence() throws {
        let a = try Sandbox()
        try a.setUp()
        try a.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        let b = try Sandbox()
        try FileManager.default.createDirectory(atPath: b.path("keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: a.path("keys/log.key"), toPath: b.path("keys/log.key"))
        try FileManager.default.copyItem(atPath: a.path("keys/log.pub"), toPath: b.path("keys/log.pub"))
        try b.ok("init", "--origin", "test.example/ledger")
        XCTAssertEqual(try b.ok("log-key"), try a.ok("log-key"), "init reuses an existing keys/log.key")
        try b.ok("keygen", "alice")
        try b.ok("signer", "add", "alice", "keys/alice.pub")
        try b.ok("append", "--key", "keys/alice.key", stdin: statementLines(50..<53))
        let noteA = try a.ok("checkpoint"), noteB = try b.ok("checkpoint")
        try a.write("a.cp", noteA)
        try a.write("b.cp", noteB)
        try a.write("p.json", try a.ok("prove", "consistency", "4", "4"))
        let key = try a.logKey()
        let r = try a.verify("consistency", "a.cp", "b.cp", "p.json", "--log-key", key)
        expectRefused(r, "split view: both checkpoints are of size 4 but their roots differ")
        XCTAssertTrue(r.stdout.contains("--- checkpoint 1\n" + noteA + "--- checkpoint 2\n" + noteB), r.stdout)
    }
}
