// ledger-mirror-bench: mirrors a source ledger of N statements served by the release `ledger
// serve` on loopback, from scratch, and compares the rate with the local `ledger-verify` of the
// same source in the same run (the issue's target: at least 80 %); then times an incremental
// mirror of INCREMENT new entries (target: under 2 s).
//
//   swift build -c release     # every product: ledger, ledger-net, ledger-verify and this bench
//   .build/release/ledger-mirror-bench [N=1000000] [INCREMENT=1000] [--dir DIR]
//
// With --dir the source is built in DIR and kept; a later run with the same DIR reuses it.
// With --static the source is published with `ledger publish` and served by the system's nginx
// (/usr/sbin/nginx) instead of `ledger serve`: the mirror reads tiles, body bundles and
// checkpoint listings alone (docs/DEPLOY.md).
import BenchSupport
import Foundation

var (keepDir, args) = benchArguments()
let fromStatic = args.contains("--static")
args.removeAll { $0 == "--static" }
let count = args.first.flatMap { Int($0) } ?? 1_000_000
let increment = args.dropFirst().first.flatMap { Int($0) } ?? 1000
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let cores = ProcessInfo.processInfo.activeProcessorCount
let work = URL(fileURLWithPath: keepDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("ledger-mirror-bench-\(getpid())").path)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { if keepDir == nil { try? FileManager.default.removeItem(at: work) } }
FileManager.default.changeCurrentDirectoryPath(work.path)

func ledger(_ args: [String], stdin: String? = nil) -> Measured { measure(bin.appendingPathComponent("ledger").path, args, stdin: stdin) }
func verify(_ args: [String]) -> Measured { measure(bin.appendingPathComponent("ledger-verify").path, args) }
func field(_ json: String, _ name: String) -> String {
    guard let r = json.range(of: "\"\(name)\":") else { return "" }
    return String(json[r.upperBound...].prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
}

// 1. The source (kept with --dir): N statements by bulk import, so checkpoints every 5,000 entries.
if !FileManager.default.fileExists(atPath: "ledger/ledger.sqlite") {
    try writeBenchStatements("statements.jsonl", count: count)
    _ = ledger(["init", "--origin", "bench.example/source"])
    _ = ledger(["keygen", "bench"])
    _ = ledger(["signer", "add", "bench", "keys/bench.pub"])
    _ = ledger(["append", "--key", "keys/bench.key"], stdin: "statements.jsonl")
}
let logKey = ledger(["log-key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
try? FileManager.default.removeItem(atPath: "copy")

// 2. The local audit of the source: with the copy's audit after the mirror, the rate to compare with.
let audit = verify(["--json"])
let sourceSize = Int(field(audit.stdout, "size")) ?? 0
guard audit.stdout.contains("\"status\":\"ok\""), sourceSize >= count + 1 else { fatalError("source audit failed: \(audit.stdout)") }

// 3. The source served on loopback: by `ledger serve`, or published and served by nginx.
let server = Process()
var base = ""
var publishSeconds = 0.0
if fromStatic {
    try? FileManager.default.removeItem(atPath: "public")
    let published = ledger(["publish", "public"])   // fails loudly on a non-zero exit
    publishSeconds = published.seconds
    let port = 20_000 + Int(getpid() % 20_000)
    try """
        daemon off; worker_processes 1; pid \(work.path)/nginx.pid; error_log \(work.path)/nginx-error.log;
        events { worker_connections 256; }
        http {
            access_log off; client_body_temp_path \(work.path)/nginx-tmp; proxy_temp_path \(work.path)/nginx-tmp;
            fastcgi_temp_path \(work.path)/nginx-tmp; uwsgi_temp_path \(work.path)/nginx-tmp; scgi_temp_path \(work.path)/nginx-tmp;
            sendfile on; keepalive_requests 100000;
            server { listen 127.0.0.1:\(port); root \(work.path)/public; default_type application/octet-stream; }
        }
        """.write(toFile: "nginx.conf", atomically: true, encoding: .utf8)
    server.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
    server.arguments = ["-c", work.path + "/nginx.conf", "-e", work.path + "/nginx-error.log"]
    server.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try server.run()
    base = "http://127.0.0.1:\(port)"
    usleep(300_000)
} else {
    try FileManager.default.createDirectory(atPath: "empty", withIntermediateDirectories: true)
    server.executableURL = bin.appendingPathComponent("ledger")
    server.arguments = ["serve", "--port", "0", "--statements", "empty"]
    let serverOut = Pipe()
    server.standardOutput = serverOut
    server.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try server.run()
    var seen = ""
    while base.isEmpty {
        let chunk = serverOut.fileHandleForReading.availableData
        guard !chunk.isEmpty else { fatalError("ledger serve exited: \(seen)") }
        seen += String(decoding: chunk, as: UTF8.self)
        if let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) { base = String(line.dropFirst("listening on ".count)) }
    }
}
defer { server.terminate(); server.waitUntilExit() }

/// CPU seconds the source server (and its children: nginx's worker) has used so far (utime +
/// stime of /proc/PID/stat): it shares the two cores with the mirror here, as a remote source would not.
func serverCPU() -> Double {
    func cpu(_ pid: String) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .nan }
        let fields = stat[stat.index(after: close)...].split(separator: " ")  // fields 3... of proc(5)
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
    let pid = String(server.processIdentifier)
    let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)) ?? ""
    return ([pid] + children.split(separator: " ").map(String.init)).map(cpu).reduce(0, +)
}

// 4. A mirror from scratch, then its own audit: same root as the source.
let serverBefore = serverCPU()
let full = ledger(["mirror", base, "--ledger", "copy/ledger.sqlite", "--log-key", logKey])
let serverDuring = serverCPU() - serverBefore
let copyAudit = verify(["--ledger", "copy/ledger.sqlite", "--log-key", logKey, "--json"])
guard field(copyAudit.stdout, "root") == field(audit.stdout, "root"), !field(audit.stdout, "root").isEmpty else {
    fatalError("the copy's root differs: \(copyAudit.stdout) vs \(audit.stdout)")
}

// 5. INCREMENT new entries at the source, then an incremental mirror.
try writeBenchStatements("more.jsonl", first: 10_000_000 + sourceSize, count: increment)
_ = ledger(["append", "--key", "keys/bench.key"], stdin: "more.jsonl")
if fromStatic { _ = ledger(["publish", "public"]) }
usleep(300_000) // the server re-reads its latest checkpoint every 100 ms
let incremental = ledger(["mirror", base, "--ledger", "copy/ledger.sqlite"])
guard incremental.stdout.contains("mirrored \(increment) new entries") else { fatalError("incremental mirror: \(incremental.stdout)") }

let (_, verifyPerCore) = opensslEd25519()
let limit = Double(cores) * verifyPerCore
// The audit rate to compare with: the source's audit before the mirror and the copy's (the same
// entries, checked the same way) after it, averaged, so a host whose speed drifts during the
// run weighs on both sides alike.
let sourceAuditRate = Double(sourceSize) / audit.seconds
let copyAuditRate = Double(sourceSize) / copyAudit.seconds
let auditRate = (sourceAuditRate + copyAuditRate) / 2
let mirrorRate = Double(sourceSize) / full.seconds
func f(_ x: Double) -> String { String(format: "%.0f", x) }
func pct(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
print("""
ledger-mirror-bench: source of \(sourceSize) entries served on \(base) by \(fromStatic ? "nginx from `ledger publish` (\(String(format: "%.1f", publishSeconds)) s)" : "ledger serve"), \(cores) cores, release binaries in \(bin.path)
  openssl speed ed25519 (1 core): verify \(f(verifyPerCore))/s -> limit \(cores) x verify = \(f(limit))/s
  local audit (ledger-verify):    \(f(auditRate)) entries/s = \(pct(auditRate / limit)) of the Ed25519 limit (source before: \(String(format: "%.1f", audit.seconds)) s, copy after: \(String(format: "%.1f", copyAudit.seconds)) s)
  mirror from scratch:            \(f(mirrorRate)) entries/s in \(String(format: "%.1f", full.seconds)) s = \(pct(mirrorRate / auditRate)) of the local audit rate (target >= 80%), \(pct(mirrorRate / limit)) of the limit; CPU \(String(format: "%.1f", full.cpuSeconds)) s (the source server on the same cores: \(String(format: "%.1f", serverDuring)) s); peak \(full.peakKiB / 1024) MiB
  incremental mirror:             \(increment) new entries in \(String(format: "%.3f", incremental.seconds)) s (target < 2 s)
  roots equal: \(field(copyAudit.stdout, "root"))
""")
