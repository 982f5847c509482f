// ledger-bench: bulk import and full audit of N statements with the release binaries, reported
// as ratios against the limits measured in the same run (`openssl speed ed25519` and raw SQLite
// inserts), because this machine is shared and noisy.
//
//   swift build -c release && .build/release/ledger-bench [N]
import Foundation

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let cores = ProcessInfo.processInfo.activeProcessorCount
let work = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }
// Children inherit the working directory: ledger/ and keys/ live in `work`.
FileManager.default.changeCurrentDirectoryPath(work.path)

struct Measured {
    let seconds: Double
    let maxRSSKiB: Int
    let stdout: String
}

/// Runs a program in `work` with stdin from a file, timing it and sampling its peak memory.
///
/// The peak is the child's own `VmHWM` (/proc/PID/status), read every 10 ms until it exits: the
/// rusage of wait4 would count this process's memory too, since posix_spawn starts the child in
/// the parent's address space and Linux carries that high-water mark across exec.
func measure(_ path: String, _ args: [String], stdin: String? = nil) -> Measured {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let outPath = work.appendingPathComponent("out.txt").path
    posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = Date()
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { fatalError("cannot run \(path)") }
    var status: Int32 = 0
    var peakKiB = 0
    while waitpid(pid, &status, WNOHANG) == 0 {
        if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            peakKiB = max(peakKiB, kib)
        }
        usleep(10_000)
    }
    let seconds = Date().timeIntervalSince(start)
    guard status == 0 else { fatalError("\(path) \(args.joined(separator: " ")) exited with status \(status)") }
    return Measured(seconds: seconds, maxRSSKiB: peakKiB, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
}

func ledger(_ args: String...) -> Measured { measure(bin.appendingPathComponent("ledger").path, Array(args)) }

// Statements like real ones: 200 platforms, every category, a quote of a few hundred bytes.
let categories = ["third-party-sharing", "government-requests", "advertising", "data-retention", "encryption", "policy-text"]
var jsonl = ""
jsonl.reserveCapacity(count * 700)
for i in 0..<count {
    jsonl += #"{"schema":"disclosure-statement/v1","platform":"platform-\#(i % 200)","category":"\#(categories[i % 6])","summary":"Benchmark statement \#(i)","recipients":["governments","law-enforcement"],"data_kinds":["ip-address","phone-number"],"quantities":[{"unit":"requests-received","value":\#(i)},{"unit":"requests-complied","value":\#(i / 2)}],"period":{"start":"2024-01-01","end":"2024-06-30"},"effective_date":"2024-07-\#(String(format: "%02d", i % 28 + 1))","source":{"url":"https://example.org/transparency/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(String(repeating: "5a", count: 32))"},"quote":"In the first half of 2024 we received \#(i) requests for user data from government agencies and complied with \#(i / 2) of them, disclosing only IP addresses and phone numbers as required by valid legal orders.","language":"en"}"#
    jsonl += "\n"
}
let input = work.appendingPathComponent("statements.jsonl").path
try jsonl.write(toFile: input, atomically: false, encoding: .utf8)

_ = ledger("init", "--origin", "bench.example/ledger")
_ = ledger("keygen", "bench")
_ = ledger("signer", "add", "bench", "keys/bench.pub")
let importRun = measure(bin.appendingPathComponent("ledger").path, ["append", "--key", "keys/bench.key"], stdin: input)
let verifyRun = measure(bin.appendingPathComponent("ledger-verify").path, ["--json"])
guard verifyRun.stdout.contains("\"status\":\"ok\""), verifyRun.stdout.contains("\"size\":\(count + 1)") else {
    fatalError("verification did not pass: \(verifyRun.stdout)")
}
let dbBytes = (try? FileManager.default.attributesOfItem(atPath: work.appendingPathComponent("ledger/ledger.sqlite").path)[.size] as? Int) ?? 0

// The limits, measured now: OpenSSL's single-core Ed25519 rates, and raw SQLite inserts of rows of
// the same size in the same mode (WAL, synchronous=FULL, one transaction).
let speed = measure("/usr/bin/openssl", ["speed", "-seconds", "3", "ed25519"]).stdout
guard let line = speed.split(separator: "\n").last(where: { $0.contains("Ed25519") }),
      let verifyPerCore = Double(line.split(separator: " ").last ?? ""),
      let signPerCore = Double(line.split(separator: " ").dropLast().last ?? "") else {
    fatalError("cannot read `openssl speed ed25519` output:\n\(speed)")
}
let rawRows = max(count * 3, 100_000)
let rawSQL = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < \(rawRows)) INSERT INTO t SELECT x, printf('%0700d', x) FROM c;"
let raw = measure("/usr/bin/sqlite3", [work.appendingPathComponent("raw.sqlite").path, rawSQL])

let importRate = Double(count) / importRun.seconds
let verifyRate = Double(count + 1) / verifyRun.seconds
let limit = Double(cores) * verifyPerCore
let rawRate = Double(rawRows) / raw.seconds
func f(_ x: Double) -> String { String(format: "%.0f", x) }
func pct(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }

print("""
ledger-bench: \(count) statements, \(cores) cores, release binaries in \(bin.path)
  openssl speed ed25519 (1 core):  sign \(f(signPerCore))/s  verify \(f(verifyPerCore))/s  -> limit \(cores) x verify = \(f(limit))/s
  raw sqlite3 inserts (WAL, FULL): \(f(rawRate)) rows/s (700-byte rows, one transaction)
  bulk import  (ledger append):    \(f(importRate)) entries/s  = \(pct(importRate / limit)) of the Ed25519 limit (target >= 60%), \(pct(importRate / rawRate)) of raw inserts; peak \(importRun.maxRSSKiB / 1024) MiB
  full audit   (ledger-verify):    \(f(verifyRate)) entries/s  = \(pct(verifyRate / limit)) of the Ed25519 limit (target >= 80%); peak \(verifyRun.maxRSSKiB / 1024) MiB (target < 64 MiB)
  ledger file: \(dbBytes / 1_048_576) MiB for \(count + 1) entries (\(dbBytes / (count + 1)) bytes/entry)
""")
