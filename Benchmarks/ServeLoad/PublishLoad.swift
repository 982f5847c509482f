import Foundation
import LedgerCore
import LedgerCrypto

/// `ledger-serve-bench publish [APPENDS=10000] [ROUNDS=2]`: APPENDS single appends (one statement
/// per POST /v1/entries, one client, each its own checkpoint) to `ledger serve` without and with
/// `--publish DIR --publish-url URL` (tiles, bundles, pages and feeds), alternating ROUNDS times on fresh ledgers, since the host's speed drifts. The
/// target (issue #19): publishing adds under 20 % to the append time. After the last append the
/// time until DIR/checkpoint names the final size is reported too (the publisher follows the
/// checkpoint on its own thread, polling every 0.5 s).
func runPublishLoad(_ arguments: [String]) throws {
    let appends = arguments.first.flatMap { Int($0) } ?? 10_000
    let rounds = arguments.dropFirst().first.flatMap { Int($0) } ?? 2
    let top = FileManager.default.currentDirectoryPath
    var lines: [String] = []
    var plain: [Double] = [], published: [Double] = []
    for round in 0..<rounds {
        for publish in [false, true] {
            let dir = "\(top)/round-\(round)-\(publish ? "publish" : "plain")"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            _ = FileManager.default.changeCurrentDirectoryPath(dir)
            defer { _ = FileManager.default.changeCurrentDirectoryPath(top) }
            try run("ledger", ["init", "--origin", "bench.example/publish"])
            try run("ledger", ["keygen", "alice"])
            try run("ledger", ["signer", "add", "alice", "keys/alice.pub"])
            let key = try Ed25519PrivateKey.fromPEM(Array(try Data(contentsOf: URL(fileURLWithPath: "keys/alice.key"))))
            let bodies: [[UInt8]] = (0..<appends).map { i in
                let text = statement(round * 10_000_000 + i)
                guard let body = try? Body(parsing: Array(text.utf8)),
                      let signature = try? key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256)) else { return [] }
                return Array(#"{"statement":\#(text),"signer":"alice","signature":"\#(Base64.encode(signature))"}"#.utf8)
            }
            let (server, port) = try startServer(publish ? ["--publish", "public", "--publish-url", "https://static.example.org"] : [])
            let connection = try HTTPConnection(port: port)
            let start = Date()
            for body in bodies {
                let reply = try connection.request("POST", "/v1/entries", body: body)
                guard reply.status == 201 else { throw BenchError.failed("append answered \(reply.status)") }
            }
            let seconds = Date().timeIntervalSince(start)
            var lag = 0.0
            if publish {
                let final = "\(appends + 1)"
                while (try? String(contentsOfFile: "public/checkpoint", encoding: .utf8))?.split(separator: "\n").dropFirst().first.map(String.init) != final {
                    usleep(20_000)
                    guard Date().timeIntervalSince(start) < seconds + 120 else { throw BenchError.failed("the publication did not reach size \(final)") }
                }
                lag = Date().timeIntervalSince(start) - seconds
                published.append(seconds)
            } else {
                plain.append(seconds)
            }
            server.interrupt()
            server.waitUntilExit()
            lines.append(String(format: "  round %d %@: %d single appends in %.2f s (%.0f/s)%@", round, publish ? "with --publish" : "without      ",
                                appends, seconds, Double(appends) / seconds,
                                publish ? String(format: "; publication caught up %.2f s after the last append", lag) : ""))
        }
    }
    let ratio = published.reduce(0, +) / plain.reduce(0, +)
    print("ledger-serve-bench publish: \(appends) single appends per run, one client, \(ProcessInfo.processInfo.activeProcessorCount) cores")
    lines.forEach { print($0) }
    print(String(format: "  append time with --publish: %.0f%% of without (+%.0f%%; target: under +20%%)", 100 * ratio, 100 * (ratio - 1)))
}
