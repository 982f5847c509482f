import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// `ledger witness serve`: the C2SP tlog-witness protocol between real processes. Two witnesses,
/// each its own process and file, cosign a log as it grows; `ledger-verify` then meets a quorum
/// of both; every refusal has the status the spec gives it.
final class WitnessProtocolTests: XCTestCase {
    struct Witness {
        let name: String
        let key: String
        let server: ServeProcess
    }

    /// A witness named `name` with its own state file and key directory, following `logKey`.
    func startWitness(_ s: Sandbox, _ name: String, follows logKey: String) throws -> Witness {
        let dir = name.replacingOccurrences(of: "/", with: "_")
        let options = ["--db", "\(dir)/witness.sqlite", "--keys", "\(dir)/keys"]
        let initialised = try s.ledger(["witness", "init", name] + options)
        XCTAssertEqual(initialised.status, 0, initialised.stderr)
        let key = initialised.stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(try s.ledger(["witness", "add-log", logKey] + options).status, 0)
        return Witness(name: name, key: key, server: try ServeProcess(s, command: ["witness", "serve"], extraArguments: options))
    }

    /// A log of three statements and two witnesses following it, each its own process.
    func witnessedLog() throws -> (Sandbox, Witness, Witness) {
        let s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
        let logKey = try s.logKey()
        return (s, try startWitness(s, "w1.example/witness", follows: logKey), try startWitness(s, "w2.example/witness", follows: logKey))
    }

    /// POST /add-checkpoint with `old` and `proof` (base64 hashes) before `note`.
    func addCheckpoint(_ w: Witness, old: Int, proof: [String] = [], note: String) async throws -> ServeProcess.Reply {
        let body = "old \(old)\n" + proof.map { $0 + "\n" }.joined() + "\n" + note
        return try await w.server.request("POST", "/add-checkpoint", body: Data(body.utf8))
    }

    /// The log's latest checkpoint, without cosignatures.
    func checkpoint(_ s: Sandbox) throws -> String {
        let note = try s.ok("checkpoint")
        let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.filter { !$0.hasPrefix("\u{2014} ") || $0.contains(" test.example/ledger ") }.joined(separator: "\n")
    }

    func consistencyPath(_ s: Sandbox, _ old: Int, _ new: Int) throws -> [String] {
        let json = try JSONSerialization.jsonObject(with: Data(try s.ok("prove", "consistency", "\(old)", "\(new)").utf8)) as? [String: Any]
        return try XCTUnwrap(json?["consistency_path"] as? [String])
    }

    func testTwoWitnessesCosignAGrowingLogAndRefuseRollbackAndFork() async throws {
        let (s, w1, w2) = try witnessedLog()
        for w in [w1, w2] { try s.ok("cosignature", "trust", w.key) }

        // First contact: old 0, no proof. Then the log grows twice; each time the proof runs
        // from the size the witness last cosigned.
        var cosignedSize = 0
        var notes: [String] = []
        for (round, more) in [0..<0, 3..<7, 7..<12].enumerated() {
            if !more.isEmpty { try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(more)) }
            let note = try checkpoint(s)
            notes.append(note)
            let size = try XCTUnwrap(Int(note.split(separator: "\n")[1]))
            let proof = cosignedSize == 0 ? [] : try consistencyPath(s, cosignedSize, size)
            var cosigned = note
            for w in [w1, w2] {
                let reply = try await addCheckpoint(w, old: cosignedSize, proof: proof, note: note)
                XCTAssertEqual(reply.status, 200, "round \(round), \(w.name): \(reply.text)")
                XCTAssertTrue(reply.text.hasPrefix("\u{2014} \(w.name) ") && reply.text.hasSuffix("\n"), reply.text)
                cosigned += reply.text
            }
            try s.write("cosigned-\(round).txt", cosigned)
            XCTAssertTrue(try s.ok("cosignature", "add", "cosigned-\(round).txt").contains("w1.example/witness, w2.example/witness"))
            cosignedSize = size
        }
        let top = cosignedSize
        let quorum = try s.verify("--witness", w1.key, "--witness", w2.key, "--quorum", "2")
        XCTAssertEqual(quorum.status, 0, quorum.stdout + quorum.stderr)

        // 409: an old size that is not the last cosigned; the body says which is.
        let stale = try await addCheckpoint(w1, old: 0, note: try checkpoint(s))
        XCTAssertEqual(stale.status, 409)
        XCTAssertEqual(stale.text, "\(top)\n")
        XCTAssertEqual(stale.headers["content-type"], "text/x.tlog.size")

        // 400: a rollback (the first round's checkpoint, with the old size the witness holds).
        let rollback = try await addCheckpoint(w1, old: top, note: notes[0])
        XCTAssertEqual(rollback.status, 400, rollback.text)

        // A fork: the same log key and origin, another history of the same size (409), and of
        // a larger size with its own proof (422).
        let fork = try Sandbox.fork(of: s, statements: 100..<112)
        let forkNote = try checkpoint(fork)
        XCTAssertEqual(forkNote.split(separator: "\n")[1], "\(top)", "a fork of the same size")
        let sameSize = try await addCheckpoint(w1, old: top, note: forkNote)
        XCTAssertEqual(sameSize.status, 409, sameSize.text)
        try fork.ok("append", "--key", "keys/alice.key", stdin: statementLines(112..<115))
        let larger = try await addCheckpoint(w2, old: top, proof: try consistencyPath(fork, top, top + 3), note: try checkpoint(fork))
        XCTAssertEqual(larger.status, 422, larger.text)

        // 403: the right origin signed by another key; 404: a log the witness does not follow;
        // 400: a body that is no request.
        let impostor = try Sandbox()
        try impostor.setUp()
        let unsigned = try await addCheckpoint(w1, old: top, note: try checkpoint(impostor))
        XCTAssertEqual(unsigned.status, 403, unsigned.text)
        let stranger = try Sandbox()
        try stranger.setUp(origin: "other.example/ledger")
        let unknown = try await addCheckpoint(w1, old: 0, note: try stranger.ok("checkpoint"))
        XCTAssertEqual(unknown.status, 404, unknown.text)
        let garbage = try await w1.server.request("POST", "/add-checkpoint", body: Data("old 01\n\n".utf8))
        XCTAssertEqual(garbage.status, 400, garbage.text)

        // Refusals recorded nothing: both witnesses still cosign the real log where it was.
        for w in [w1, w2] {
            let again = try await addCheckpoint(w, old: top, note: try checkpoint(s))
            XCTAssertEqual(again.status, 200, again.text)
        }
    }

    /// `ledger serve --witness`: each new checkpoint reaches both witnesses (separate processes)
    /// and their cosignatures are stored, while statements are appended beside the service; the
    /// static publication carries them, and `ledger-verify --url` meets the quorum from nginx.
    func testServeSendsEachNewCheckpointToItsWitnesses() async throws {
        let (s, w1, w2) = try witnessedLog()
        let server = try ServeProcess(s, extraArguments: ["--witness", w1.server.base, "--witness-key", w1.key,
                                                          "--witness", w2.server.base, "--witness-key", w2.key, "--publish", "public"])
        for more in [3..<8, 8..<20] {
            try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(more))
            let size = try XCTUnwrap(Int(try checkpoint(s).split(separator: "\n")[1]))
            let deadline = Date().addingTimeInterval(30)
            var served = ""
            repeat {
                try await Task.sleep(for: .milliseconds(200))
                served = try s.ok("checkpoint")
            } while !(served.contains("\n\(size)\n") && served.contains("\u{2014} w1.example/witness ") && served.contains("\u{2014} w2.example/witness "))
                && Date() < deadline
            XCTAssertTrue(served.contains("\u{2014} w1.example/witness ") && served.contains("\u{2014} w2.example/witness "),
                          "size \(size) not cosigned by both within 30 s: \(served)")
        }
        let quorum = try s.verify("--witness", w1.key, "--witness", w2.key, "--quorum", "2")
        XCTAssertEqual(quorum.status, 0, quorum.stdout + quorum.stderr)

        // The publication follows with the cosignatures (serve asks the witnesses first).
        let deadline = Date().addingTimeInterval(30)
        var published = ""
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            published = (try? String(contentsOfFile: s.path("public/checkpoint"), encoding: .utf8)) ?? ""
        } while published != (try s.ok("checkpoint")) && Date() < deadline
        XCTAssertEqual(published, try s.ok("checkpoint"))
        server.stop()
        let nginx = try PublishTests.Nginx(s, root: "public")
        let logKey = try s.logKey()
        let remote = try s.verify("--url", nginx.base, "--log-key", logKey, "--witness", w1.key, "--witness", w2.key, "--quorum", "2")
        XCTAssertEqual(remote.status, 0, remote.stdout + remote.stderr)
        XCTAssertTrue(remote.stdout.contains("cosigned by: w1.example/witness, w2.example/witness"), remote.stdout)
        let third = try startWitness(s, "w3.example/witness", follows: logKey)
        let short = try s.verify("--url", nginx.base, "--log-key", logKey, "--witness", w1.key, "--witness", w2.key, "--witness", third.key, "--quorum", "3")
        XCTAssertEqual(short.status, 1, short.stdout + short.stderr)
    }
}
