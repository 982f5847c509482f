// ledger-serve-bench: load the real `ledger serve` (release) on loopback and compare its append
// rate with the CLI's bulk import on the same machine; then inclusion-proof and checkpoint reads.
// Appends come twice: one statement per POST /v1/entries, then BATCH statements per
// POST /v1/entries/batch (a recorder filing a report). Bounded: APPENDS appends per append phase
// and SECONDS seconds per read phase.
//
//   swift build -c release     # every product: ledger, ledger-verify and this bench
//   .build/release/ledger-serve-bench [APPENDS=20000] [SECONDS=10] [CLIENTS=64] [BATCH_WAIT_MS=0] [BATCH=100]
//   .build/release/ledger-serve-bench idle [IDLE=20000] [SECONDS=20] [HISTORY=200000]   (IdleLoad.swift)
//   .build/release/ledger-serve-bench publish [APPENDS=10000] [ROUNDS=2]               (PublishLoad.swift)
import Foundation
import LedgerConcurrency
import LedgerCore
import LedgerCrypto

if CommandLine.arguments.dropFirst().first == "hold", CommandLine.arguments.count == 5,
   let port = UInt16(CommandLine.arguments[2]), let count = Int(CommandLine.arguments[3]), let seconds = Double(CommandLine.arguments[4]) {
    holdIdleConnections(port: port, count: count, seconds: seconds)
    exit(0)
}

let args = CommandLine.arguments.dropFirst().map { Int($0) }
let appendCount = (args.first ?? nil) ?? 20_000
let readSeconds = Double((args.dropFirst().first ?? nil) ?? 10)
let clients = (args.dropFirst(2).first ?? nil) ?? 64
let batchWait = (args.dropFirst(3).first ?? nil) ?? 0
let batchSize = max(1, (args.dropFirst(4).first ?? nil) ?? 100)
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let work = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-serve-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }
_ = FileManager.default.changeCurrentDirectoryPath(work.path)

func statement(_ i: Int) -> String {
    #"{"schema":"disclosure-statement/v1","platform":"platform-\#(i % 200)","category":"government-requests","recipients":["governments"],"quantities":[{"unit":"requests-received","value":\#(i)}],"effective_date":"2024-07-01","source":{"url":"https://example.org/transparency/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(String(repeating: "5a", count: 32))"},"quote":"In the first half of 2024 we received \#(i) requests for user data from government agencies.","language":"en"}"#
}

/// `ledger serve` on a free loopback port with no demo statements (an empty `empty/`), and the
/// port it bound (read from its "listening on" line).
func startServer(_ extraArguments: [String]) throws -> (process: Process, port: UInt16) {
    try FileManager.default.createDirectory(atPath: "empty", withIntermediateDirectories: true)
    let server = Process()
    server.executableURL = bin.appendingPathComponent("ledger")
    server.arguments = ["serve", "--port", "0", "--statements", "empty"] + extraArguments
    let serverOut = Pipe()
    server.standardOutput = serverOut
    server.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try server.run()
    var seen = ""
    while true {
        let chunk = serverOut.fileHandleForReading.availableData
        guard !chunk.isEmpty else { throw BenchError.failed("ledger serve exited: \(seen)") }
        seen += String(decoding: chunk, as: UTF8.self)
        if let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://127.0.0.1:") }),
           let port = UInt16(line.split(separator: ":").last ?? "") { return (server, port) }
    }
}

@discardableResult
func run(_ tool: String, _ arguments: [String], stdin: String? = nil) throws -> (seconds: Double, output: String) {
    let p = Process()
    p.executableURL = bin.appendingPathComponent(tool)
    p.arguments = arguments
    let out = Pipe()
    p.standardOutput = out
    if let stdin { p.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin)) }
    let start = Date()
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw BenchError.failed("\(tool) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
    return (Date().timeIntervalSince(start), String(decoding: data, as: UTF8.self))
}

if CommandLine.arguments.dropFirst().first == "publish" {
    do { try runPublishLoad(Array(CommandLine.arguments.dropFirst(2))) } catch { print("publish load failed: \(error)") }
    try? FileManager.default.removeItem(at: work)
    exit(0)
}

if CommandLine.arguments.dropFirst().first == "idle" {
    do { try runIdleLoad(Array(CommandLine.arguments.dropFirst(2))) } catch { print("idle load failed: \(error)") }
    try? FileManager.default.removeItem(at: work)
    exit(0)
}

// 1. The CLI's bulk import rate on a ledger of its own.
try run("ledger", ["init", "--ledger", "cli/ledger.sqlite", "--origin", "bench.example/cli"])
try run("ledger", ["keygen", "alice"])
try run("ledger", ["signer", "add", "--ledger", "cli/ledger.sqlite", "alice", "keys/alice.pub"])
try (0..<appendCount).map { statement(1_000_000 + $0) }.joined(separator: "\n").write(toFile: "bulk.jsonl", atomically: false, encoding: .utf8)
let cli = try run("ledger", ["append", "--ledger", "cli/ledger.sqlite", "--key", "keys/alice.key"], stdin: "bulk.jsonl")
let cliRate = Double(appendCount) / cli.seconds

// 2. The server on its own ledger (no demo statements: an empty statements directory).
try run("ledger", ["init", "--origin", "bench.example/serve"])
try run("ledger", ["signer", "add", "alice", "keys/alice.pub"])
let (server, port) = try startServer(["--batch-wait-ms", String(batchWait)])

// Statements signed offline, as clients would.
let key = try Ed25519PrivateKey.fromPEM(Array(try Data(contentsOf: URL(fileURLWithPath: "keys/alice.key"))))
// Three sets: our client's single appends, its batches, and wrk's single appends.
let bodies: [[UInt8]] = parallelMap(Array(0..<(3 * appendCount))) { i in
    let text = statement(i)
    guard let body = try? Body(parsing: Array(text.utf8)),
          let signature = try? key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256)) else { return [] }
    return Array(#"{"statement":\#(text),"signer":"alice","signature":"\#(Base64.encode(signature))"}"#.utf8)
}

/// Latencies (seconds) and status counts of one load phase.
struct Phase {
    var latencies: [Double] = []
    var statuses: [Int: Int] = [:]
    var errors = 0
    var seconds = 0.0

    /// Statements per request (a batch phase's rate counts statements).
    var perRequest = 1

    var ok: Int { statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) * perRequest }
    var rate: Double { Double(ok) / seconds }
    func percentile(_ p: Double) -> Double {
        let sorted = latencies.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000
    }
    var line: String {
        String(format: "%.0f/s (%d ok in %.2f s), p50 %.2f ms, p99 %.2f ms, statuses %@%@", rate, ok, seconds,
               percentile(0.5), percentile(0.99), statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "),
               errors > 0 ? ", \(errors) connection errors" : "")
    }
}

/// `clients` threads, each on its own keep-alive connection, take request numbers in turn until
/// `request(n)` is nil or `seconds` have passed.
func load(_ seconds: Double, port: UInt16, _ request: @escaping @Sendable (Int) -> (String, String, [UInt8])?) -> Phase {
    final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var phase = Phase()
        func take() -> Int { lock.withLock { defer { next += 1 }; return next } }
    }
    let shared = Shared()
    let deadline = Date().addingTimeInterval(seconds)
    let done = DispatchGroup()
    let start = Date()
    for _ in 0..<clients {
        done.enter()
        let thread = Thread {
            var mine = Phase()
            if let connection = try? HTTPConnection(port: port) {
                while Date() < deadline, let (method, path, body) = request(shared.take()) {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    guard let reply = try? connection.request(method, path, body: body) else { mine.errors += 1; break }
                    mine.latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                    mine.statuses[reply.status, default: 0] += 1
                }
            } else {
                mine.errors += 1
            }
            shared.lock.withLock {
                shared.phase.latencies += mine.latencies
                shared.phase.statuses.merge(mine.statuses, uniquingKeysWith: +)
                shared.phase.errors += mine.errors
            }
            done.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    done.wait()
    var phase = shared.lock.withLock { shared.phase }
    phase.seconds = Date().timeIntervalSince(start)
    return phase
}

func groupCommits() throws -> Int {
    let metrics = String(decoding: try HTTPConnection(port: port).request("GET", "/metrics").body, as: UTF8.self)
    let line = metrics.split(separator: "\n").first { $0.hasPrefix("ledger_append_batches_total ") }
    return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
}
let appends = load(120, port: port) { n in n < appendCount ? ("POST", "/v1/entries", bodies[n]) : nil }
let singleCommits = try groupCommits()
// Whole batches of JSON Lines, from the second half of the signed statements.
let batchBodies: [[UInt8]] = stride(from: appendCount, to: 2 * appendCount - batchSize + 1, by: batchSize).map { start in
    Array(bodies[start..<start + batchSize].joined(separator: [0x0A]))
}
var batchAppends = load(120, port: port) { n in n < batchBodies.count ? ("POST", "/v1/entries/batch", batchBodies[n]) : nil }
batchAppends.perRequest = batchSize
let batchCommits = try groupCommits() - singleCommits

/// Single appends through `wrk` (Debian's package), when installed: 2 threads, `clients`
/// connections, each request the next statement of the third set (a thread takes every other
/// one), for `seconds`. Counts answers below 400 (the server answers 201 or an error); the set
/// is large enough that none repeats at up to `appendCount / seconds` appends/s (beyond that,
/// repeats are refused as replays, 409).
func wrkAppends(seconds: Int) -> String? {
    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let lines = work.appendingPathComponent("wrk-appends.jsonl").path
    let script = work.appendingPathComponent("appends.lua").path
    FileManager.default.createFile(atPath: lines, contents: Data(bodies[(2 * appendCount)...].joined(separator: [0x0A])))
    let lua = """
        local count = 0
        function setup(thread)
          thread:set("id", count)
          count = count + 1
        end
        function init(args)
          requests = {}
          local n = 0
          for line in io.lines(args[1]) do
            if n % 2 == id then
              requests[#requests + 1] = wrk.format("POST", "/v1/entries", {["Content-Type"] = "application/json"}, line)
            end
            n = n + 1
          end
          at = 0
        end
        function request()
          at = at % #requests + 1
          return requests[at]
        end
        """
    try? lua.write(toFile: script, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: wrk)
    p.arguments = ["-t2", "-c\(clients)", "-d\(seconds)s", "--latency", "-s", script, "http://127.0.0.1:\(port)", "--", lines]
    let out = Pipe()
    p.standardOutput = out
    guard (try? p.run()) != nil else { return nil }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    func field(_ prefix: String) -> String? {
        text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }?
            .split(separator: " ", omittingEmptySubsequences: true).last.map(String.init)
    }
    // "N requests in S.SSs, ..." and, when some were refused, "Non-2xx or 3xx responses: M".
    guard let total = text.split(separator: "\n").first(where: { $0.contains(" requests in ") }),
          let requests = Int(total.split(separator: " ", omittingEmptySubsequences: true).first ?? ""),
          let secondsText = total.components(separatedBy: " requests in ").last?.split(separator: "s").first,
          let elapsed = Double(secondsText) else { return "wrk output not understood: \(text)" }
    let refused = Int(field("Non-2xx or 3xx responses:") ?? "0") ?? 0
    let rate = Double(requests - refused) / elapsed
    return String(format: "%.0f/s (%d ok in %.2f s), p50 %@, p99 %@%@ = %.0f%% of the CLI import rate", rate, requests - refused, elapsed,
                  field("50%") ?? "?", field("99%") ?? "?", refused > 0 ? ", \(refused) refused" : "", 100 * rate / cliRate)
}
let wrkSingles = wrkAppends(seconds: 4)
// The tree's size now, from the served checkpoint (its second line).
let size = Int(String(decoding: try HTTPConnection(port: port).request("GET", "/v1/checkpoint").body, as: UTF8.self)
    .split(separator: "\n").dropFirst().first ?? "") ?? 1
let proofs = load(readSeconds, port: port) { n in ("GET", "/v1/proof/inclusion?seq=\((n &* 7919) % size)&size=\(size)", []) }
let checkpoints = load(readSeconds, port: port) { _ in ("GET", "/v1/checkpoint", []) }
let entries = load(readSeconds, port: port) { n in ("GET", "/v1/entries/\((n &* 7919) % size)", []) }

/// The same read through `wrk` (Debian's package), when installed: an epoll client in C on two
/// threads, which leaves the server more of the two cores than 64 blocking client threads do.
func wrk(_ path: String, randomSeq: Bool) -> String? {
    guard let wrk = ["/usr/bin/wrk", "/usr/local/bin/wrk"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    let script = work.appendingPathComponent("requests.lua").path
    let lua = randomSeq
        ? "n = 0\nrequest = function()\n  n = n + 7919\n  return wrk.format(\"GET\", \"\(path)\" .. (n % \(size)) .. \"&size=\(size)\")\nend\n"
        : "request = function() return wrk.format(\"GET\", \"\(path)\") end\n"
    try? lua.write(toFile: script, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: wrk)
    p.arguments = ["-t2", "-c\(clients)", "-d\(Int(readSeconds))s", "--latency", "-s", script, "http://127.0.0.1:\(port)"]
    let out = Pipe()
    p.standardOutput = out
    guard (try? p.run()) != nil else { return nil }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    func field(_ prefix: String) -> String {
        text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }?
            .split(separator: " ", omittingEmptySubsequences: true).last.map(String.init) ?? "?"
    }
    let errors = text.contains("Non-2xx") ? ", NON-2xx ANSWERS: " + field("Non-2xx or 3xx responses:") : ""
    return "\(field("Requests/sec:"))/s, p50 \(field("50%")), p99 \(field("99%"))\(errors)"
}
let wrkProofs = wrk("/v1/proof/inclusion?seq=", randomSeq: true)
let wrkCheckpoints = wrk("/v1/checkpoint", randomSeq: false)
server.interrupt()
server.waitUntilExit()
let audit = try run("ledger-verify", [])

print("""
    ledger serve load benchmark (release, loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores shared by server and \(clients) client threads)
    CLI bulk import (ledger append, \(appendCount) statements, batches of 5000): \(String(format: "%.0f", cliRate))/s in \(String(format: "%.2f", cli.seconds)) s
    HTTP appends, one statement per request (\(clients) clients, \(appendCount) statements, --batch-wait-ms \(batchWait)): \(appends.line)
      = \(String(format: "%.0f", 100 * appends.rate / cliRate))% of the CLI import rate, in \(singleCommits) group commits
    HTTP batch appends, \(batchSize) statements per request (\(clients) clients, \(batchBodies.count * batchSize) statements): \(batchAppends.line)
      = \(String(format: "%.0f", 100 * batchAppends.rate / cliRate))% of the CLI import rate, in \(batchCommits) group commits
    inclusion proofs (\(Int(readSeconds)) s): \(proofs.line)
    checkpoints (\(Int(readSeconds)) s): \(checkpoints.line)
    entries by seq (\(Int(readSeconds)) s): \(entries.line)
    HTTP appends through wrk, one statement per request (2 threads, \(clients) connections, 4 s): \(wrkSingles ?? "(wrk not installed)")
    with wrk (2 threads, \(clients) connections, \(Int(readSeconds)) s): inclusion proofs \(wrkProofs ?? "(wrk not installed)"); checkpoints \(wrkCheckpoints ?? "-")
    ledger-verify after the run: \(audit.output.trimmingCharacters(in: .whitespacesAndNewlines))
    """)
