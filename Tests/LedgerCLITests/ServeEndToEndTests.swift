import Foundation
import LedgerCore
import LedgerCrypto
import LedgerServer
import XCTest

/// The real `ledger serve` binary on 127.0.0.1: statements signed offline with `ledger sign` are
/// appended over HTTP; the receipt, checkpoint and proofs are checked by this process, by
/// `ledger-verify` on the file and by the independent Python checker; SIGTERM and SIGKILL under
/// load lose no entry that was answered 201.
final class ServeEndToEndTests: XCTestCase {
    func python(_ s: Sandbox, _ args: String...) throws -> Sandbox.Run {
        try s.run("/usr/bin/env", ["python3", InteropTests.script] + args)
    }

    /// `ledger sign` output for statement `i`.
    func signed(_ s: Sandbox, _ i: Int) throws -> Data {
        try s.write("st\(i).json", statementLine(i))
        return Data(try s.ok("sign", "--key", "keys/alice.key", "--signer", "alice", "st\(i).json").utf8)
    }

    func testAppendOverHTTPAndCheckEverything() async throws {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        let logKey = try s.logKey()
        let server = try ServeProcess(s)
        XCTAssertTrue(server.base.hasPrefix("http://127.0.0.1:"), server.base)

        let before = try await server.request("GET", "/v1/checkpoint")
        XCTAssertEqual(before.status, 200)
        let oldSize = try Checkpoint.open(Array(before.body), logKey: try NoteVerifierKey(parsing: logKey)).checkpoint.size

        let reply = try await server.request("POST", "/v1/entries", body: try signed(s, 100))
        XCTAssertEqual(reply.status, 201, reply.text)
        let value = try JSONParser.parse(Array(reply.body))
        guard let receipt = value["receipt"], case .integer(let seq)? = value["seq"] else { return XCTFail(reply.text) }
        // The receipt is checked offline by the real `ledger-verify receipt`, with the log key only.
        try s.write("receipt.json", CanonicalJSON.string(receipt))
        let checked = try s.run("ledger-verify", ["receipt", "receipt.json", "--log-key", logKey])
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains("seq \(seq)"), checked.stdout)

        // The checkpoint now served, checked by the Python implementation against the exported leaves.
        let note = try await server.request("GET", "/v1/checkpoint")
        try s.write("note.txt", note.text)
        let pyNote = try python(s, "note", logKey, "note.txt")
        XCTAssertEqual(pyNote.status, 0, pyNote.stderr)
        try s.write("leaves.jsonl", try s.ok("export"))
        let pyCheckpoint = try python(s, "checkpoint", logKey, "note.txt", "leaves.jsonl")
        XCTAssertEqual(pyCheckpoint.status, 0, pyCheckpoint.stderr)
        XCTAssertEqual(pyCheckpoint.stdout.split(separator: "\n").dropFirst().first, "\(seq + 1)")

        // Proofs from the server are the documents `ledger prove` prints, byte for byte.
        let inclusion = try await server.request("GET", "/v1/proof/inclusion?seq=\(seq)")
        XCTAssertEqual(inclusion.text, try s.ok("prove", "inclusion", "\(seq)"))
        let consistency = try await server.request("GET", "/v1/proof/consistency?from=\(oldSize)")
        XCTAssertEqual(consistency.text, try s.ok("prove", "consistency", "\(oldSize)", "\(seq + 1)"))
        // ... so the offline checker and a witness take the served consistency proof as it is.
        try s.write("old.cp", before.text)
        try s.write("consistency.json", consistency.text)
        let offline = try s.run("ledger-verify", ["consistency", "old.cp", "note.txt", "consistency.json", "--log-key", logKey])
        XCTAssertEqual(offline.status, 0, offline.stdout + offline.stderr)
        try s.ok("witness", "init", "witness.example/w")
        try s.ok("witness", "add-log", logKey)
        try s.ok("witness", "cosign", "old.cp")
        try s.ok("witness", "cosign", "note.txt", "--proof", "consistency.json")

        // A refusal over real HTTP: the same statement again.
        let replay = try await server.request("POST", "/v1/entries", body: try signed(s, 100))
        XCTAssertEqual(replay.status, 409, replay.text)

        // export-tiles writes the bytes the server serves.
        try s.ok("export-tiles", "tiles")
        XCTAssertEqual(try String(contentsOfFile: s.path("tiles/checkpoint"), encoding: .utf8), note.text)
        let tilePath = "tile/0/000.p/\(seq + 1)"
        let servedTile = try await server.request("GET", "/" + tilePath)
        XCTAssertEqual(servedTile.status, 200)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: s.path("tiles/" + tilePath))), servedTile.body)
        let bundle = try await server.request("GET", "/tile/entries/000.p/\(seq + 1)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: s.path("tiles/tile/entries/000.p/\(seq + 1)"))), bundle.body)

        server.signal(SIGTERM)
        XCTAssertEqual(server.wait(), 0, "graceful shutdown exits 0")
        XCTAssertTrue(server.outputLines.contains { $0.hasPrefix("stopped; 1 entries appended") }, "\(server.outputLines)")
        let audit = try s.verify("--log-key", logKey)
        XCTAssertEqual(audit.status, 0, audit.stderr + audit.stdout)
    }

    /// Single appends from 16 concurrent clients and batches from 4 more; the server is stopped
    /// mid-load with `sig`. Every entry answered 201 is in the ledger at its seq with its leaf
    /// hash, and the ledger verifies clean.
    func stopUnderLoad(_ sig: Int32) async throws {
        let s = try Sandbox("stopUnderLoad\(sig)")
        try s.setUp()
        let key = try Ed25519PrivateKey.fromPEM(Array(try Data(contentsOf: URL(fileURLWithPath: s.path("keys/alice.key")))))
        let signed = try (0..<800).map { i -> Data in
            let line = statementLine(1000 + i)
            let body = try Body(parsing: Array(line.utf8))
            let signature = try key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256))
            return Data(#"{"statement":\#(line),"signer":"alice","signature":"\#(Base64.encode(signature))"}"#.utf8)
        }
        // 600 single appends from 16 clients, and 20 batches of 10 from 4 more.
        let bodies = Array(signed[..<600])
        let batches = stride(from: 600, to: 800, by: 10).map { Data(signed[$0..<$0 + 10].joined(separator: Data([0x0A]))) }
        let server = try ServeProcess(s)
        // The signal goes out once 80 appends have been answered, with others in flight.
        let answered = Counter()
        let accepted = try await withThrowingTaskGroup(of: [(Int64, String)].self) { group in
            for client in 0..<16 {
                group.addTask {
                    var mine: [(Int64, String)] = []
                    for i in stride(from: client, to: bodies.count, by: 16) {
                        guard let reply = try? await server.request("POST", "/v1/entries", body: bodies[i]) else { break }
                        if answered.increment() == 80 { server.signal(sig) }
                        if reply.status == 201, case .integer(let seq)? = try JSONParser.parse(Array(reply.body))["seq"],
                           case .string(let hash)? = try JSONParser.parse(Array(reply.body))["leaf_hash"] {
                            mine.append((seq, hash))
                        } else if reply.status != 503 {
                            XCTFail("unexpected \(reply.status): \(reply.text)")
                        }
                    }
                    return mine
                }
            }
            for client in 0..<4 {
                group.addTask {
                    var mine: [(Int64, String)] = []
                    for i in stride(from: client, to: batches.count, by: 4) {
                        guard let reply = try? await server.request("POST", "/v1/entries/batch", body: batches[i]) else { break }
                        if answered.increment() == 80 { server.signal(sig) }
                        if reply.status == 201, case .array(let entries)? = try JSONParser.parse(Array(reply.body))["entries"] {
                            XCTAssertEqual(entries.count, 10)
                            for case .object(let entry) in entries {
                                guard case .integer(let seq)? = entry["seq"], case .string(let hash)? = entry["leaf_hash"] else { continue }
                                mine.append((seq, hash))
                            }
                        } else if reply.status != 503 {
                            XCTFail("unexpected \(reply.status): \(reply.text)")
                        }
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let status = server.wait()
        XCTAssertNotNil(status)
        if sig == SIGTERM { XCTAssertEqual(status, 0) }
        XCTAssertGreaterThanOrEqual(accepted.count, 80, "appends answered before the signal")
        XCTAssertLessThan(accepted.count, signed.count, "the signal came under load")
        print("stopped with signal \(sig) after \(accepted.count) of \(signed.count) appends were answered 201")
        let audit = try s.verify()
        XCTAssertEqual(audit.status, 0, audit.stdout + audit.stderr)
        let leaves = try s.ok("export").split(separator: "\n").map { MerkleHash.leaf(Array($0.utf8)).hex }
        for (seq, hash) in accepted {
            XCTAssertLessThan(Int(seq), leaves.count, "entry \(seq) answered 201 is missing")
            if Int(seq) < leaves.count { XCTAssertEqual(leaves[Int(seq)], hash) }
        }
    }

    /// First run on no ledger: set up like `ledger demo`, with the demo statements; later runs reuse it.
    func testFirstRunSeedsTheDemoLedger() async throws {
        let s = try Sandbox()
        let statements = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../ledger/statements").standardized.path
        let first = try ServeProcess(s, extraArguments: ["--statements", statements])
        XCTAssertTrue(first.outputLines.contains("created ledger/ledger.sqlite (origin localhost/disclosure-ledger)"), "\(first.outputLines)")
        XCTAssertTrue(first.outputLines.contains { $0.hasSuffix(" new, 0 already in the ledger") }, "\(first.outputLines)")
        let platforms = try JSONParser.parse(Array(try await first.request("GET", "/v1/platforms").body))
        guard case .array(let list)? = platforms["platforms"] else { return XCTFail("no platforms") }
        XCTAssertGreaterThanOrEqual(list.count, 4)
        let page = try await first.request("GET", "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("/platforms/telegram"))
        first.signal(SIGTERM)
        XCTAssertEqual(first.wait(), 0)

        let second = try ServeProcess(s, extraArguments: ["--statements", statements])
        XCTAssertFalse(second.outputLines.contains { $0.hasPrefix("created ") }, "\(second.outputLines)")
        second.signal(SIGTERM)
        XCTAssertEqual(second.wait(), 0)
        XCTAssertEqual(try s.verify().status, 0)
    }

    func testCommandRefusals() throws {
        let s = try Sandbox()
        let noLedger = try s.ledger("export-tiles", "tiles")
        XCTAssertEqual(noLedger.status, 1)
        XCTAssertTrue(noLedger.stderr.contains("no ledger at"), noLedger.stderr)
        try s.setUp()
        try s.write("bad.json", statementLine(1).replacingOccurrences(of: "third-party-sharing", with: "gossip"))
        let bad = try s.ledger("sign", "--key", "keys/alice.key", "--signer", "alice", "bad.json")
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("bad.json: category: unknown category 'gossip'"), bad.stderr)
        try s.write("st.json", statementLine(1))
        let name = try s.ledger("sign", "--key", "keys/alice.key", "--signer", "Alice Smith", "st.json")
        XCTAssertEqual(name.status, 1)
        XCTAssertTrue(name.stderr.contains("is not a signer name"), name.stderr)
        let port = try s.ledger("serve", "--port", "70000")
        XCTAssertEqual(port.status, 1)
        XCTAssertTrue(port.stderr.contains("--port must be between 0 and 65535"), port.stderr)

        let server = try ServeProcess(s)
        let busyPort = String(server.base.split(separator: ":").last ?? "")
        let busy = try s.ledger("serve", "--port", busyPort)
        XCTAssertEqual(busy.status, 2, "the machine's, not the caller's")
        XCTAssertTrue(busy.stderr.contains("the address is already in use"), busy.stderr)
        server.signal(SIGTERM)
        XCTAssertEqual(server.wait(), 0)
    }

    func testSIGTERMUnderLoadLosesNothing() async throws { try await stopUnderLoad(SIGTERM) }
    func testSIGKILLUnderLoadLosesNothing() async throws { try await stopUnderLoad(SIGKILL) }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func increment() -> Int { lock.withLock { n += 1; return n } }
    }
}
