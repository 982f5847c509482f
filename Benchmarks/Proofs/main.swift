// ledger-proof-bench: proof generation and incremental audit on a ledger of 1,000,000 entries.
//
//   swift build -c release && .build/release/ledger-proof-bench [DIR] [--entries N] [--proofs K]
//
// DIR (default: a temporary directory, removed afterwards) holds ledger/ and keys/. If
// DIR/ledger/ledger.sqlite exists it is reused (it grows by 1,000 entries per run); otherwise it
// is built through the real `ledger append` binary, JSON Lines on standard input, default batch
// size. Then it measures, in process through LedgerStorage and LedgerCore, the median and p99 time
// of K random inclusion and K random consistency proofs, each with the roots a client gets (each in its own read
// transaction, as a service would serve them), and the wall time of `ledger-verify --state`
// after appending 1,000 more entries. Targets: median proof < 0.2 ms, incremental audit < 1 s.
import Foundation
import LedgerCore
import LedgerStorage

var positional: [String] = []
var entries = 1_000_000
var proofs = 1_000
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    switch arg {
    case "--entries": entries = Int(args.popFirst() ?? "") ?? entries
    case "--proofs": proofs = Int(args.popFirst() ?? "") ?? proofs
    default: positional.append(arg)
    }
}
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let keepDir = positional.first != nil
let work = URL(fileURLWithPath: positional.first ?? FileManager.default.temporaryDirectory.appendingPathComponent("ledger-proof-bench-\(getpid())").path)
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { if !keepDir { try? FileManager.default.removeItem(at: work) } }
FileManager.default.changeCurrentDirectoryPath(work.path)
let ledgerPath = work.appendingPathComponent("ledger/ledger.sqlite").path

/// Runs a built binary in `work`, stdin from a file, stdout to a file; returns (seconds, stdout).
@discardableResult
func run(_ name: String, _ args: [String], stdin: String = "/dev/null") -> (seconds: Double, stdout: String) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let outPath = work.appendingPathComponent("out.txt").path
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let path = bin.appendingPathComponent(name).path
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = DispatchTime.now()
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { fatalError("cannot run \(path)") }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
    guard status == 0 else { fatalError("\(name) \(args.joined(separator: " ")) exited with status \(status): \(out)") }
    return (seconds, out)
}

/// Writes statements [from, to) as JSON Lines to a file and appends them with `ledger append`.
func appendStatements(_ from: Int, _ to: Int) -> Double {
    let input = work.appendingPathComponent("statements.jsonl").path
    var text = ""
    text.reserveCapacity((to - from) * 420)
    for i in from..<to {
        text += #"{"schema":"disclosure-statement/v1","platform":"platform-\#(i % 200)","category":"government-requests","recipients":["governments"],"quantities":[{"unit":"requests-received","value":\#(i)}],"effective_date":"2024-07-01","source":{"url":"https://example.org/transparency/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(String(repeating: "5a", count: 32))"},"quote":"We received \#(i) requests.","language":"en"}"#
        text += "\n"
    }
    FileManager.default.createFile(atPath: input, contents: Data(text.utf8))
    return run("ledger", ["append", "--key", "keys/bench.key"], stdin: input).seconds
}

let storeSize: () throws -> Int64 = { try LedgerStore(path: ledgerPath, readonly: true).size() }
if !FileManager.default.fileExists(atPath: ledgerPath) {
    run("ledger", ["init", "--origin", "bench.example/proofs"])
    run("ledger", ["keygen", "bench"])
    run("ledger", ["signer", "add", "bench", "keys/bench.pub"])
    // Ten invocations of 100,000 statements each keep the input files small.
    let chunk = 100_000
    var seconds = 0.0
    for start in stride(from: 0, to: entries, by: chunk) {
        seconds += appendStatements(start, min(start + chunk, entries))
        print("built \(min(start + chunk, entries)) statements (\(String(format: "%.0f", seconds)) s)")
    }
}
var size = try storeSize()
print("ledger-proof-bench: \(size) entries in \(ledgerPath)")

// Proof generation, in process: each proof in its own read transaction on one open store.
let store = try LedgerStore(path: ledgerPath, readonly: true)
var rng = SystemRandomNumberGenerator()
func percentile(_ samples: [Double], _ p: Double) -> Double {
    let sorted = samples.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.down)))]
}
/// (wall, this thread's CPU) milliseconds. The machine is shared: CPU time shows the work a
/// proof costs even when the scheduler preempts it (the wall-time p99 then shows a time slice).
func time(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    func cpuNow() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }
    let start = DispatchTime.now(), cpu = cpuNow()
    try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6, cpuNow() - cpu)
}
let latest = try Checkpoint.parse(text: SignedNote.parse(store.latestCheckpointRow().note).text)
var inclusion: [(wall: Double, cpu: Double)] = []
var consistency: [(wall: Double, cpu: Double)] = []
for _ in 0..<proofs {
    let seq = Int64.random(in: 0..<latest.size, using: &rng)
    inclusion.append(try time { _ = try store.inclusionProof(seq: seq, size: latest.size) })
    let old = Int64.random(in: 1...latest.size, using: &rng)
    consistency.append(try time { _ = try store.consistencyDocument(oldSize: old, newSize: latest.size) })
}
// One check that what was timed is right.
let sample = try store.inclusionProof(seq: latest.size / 3, size: latest.size).proof
guard sample.verify(leafHash: MerkleHash.leaf(try store.entry(seq: latest.size / 3).leaf), root: latest.root) else {
    fatalError("an inclusion proof did not verify")
}
try store.close()

// Incremental audit: bring the state up to date, append 1,000 entries, audit only those.
let statePath = work.appendingPathComponent("audit.state.json").path
let first = run("ledger-verify", ["--state", statePath])
let appendSeconds = appendStatements(Int(size), Int(size) + 1_000)
let incremental = run("ledger-verify", ["--state", statePath])
size = try storeSize()

func ms(_ x: Double) -> String { String(format: "%.3f ms", x) }
func stats(_ t: [(wall: Double, cpu: Double)]) -> String {
    let wall = t.map(\.wall), cpu = t.map(\.cpu)
    return "median \(ms(percentile(wall, 0.5)))  p99 \(ms(percentile(wall, 0.99)))  (thread CPU: median \(ms(percentile(cpu, 0.5)))  p99 \(ms(percentile(cpu, 0.99))))"
}
var load = [Double](repeating: 0, count: 3)
getloadavg(&load, 3)
print("""
  load average \(String(format: "%.2f", load[0])) on \(ProcessInfo.processInfo.activeProcessorCount) cores
  inclusion proofs   (\(proofs), tree of \(latest.size)): \(stats(inclusion))  (target: median < 0.2 ms)
  consistency proofs (\(proofs), to size \(latest.size)):  \(stats(consistency))  (target: median < 0.2 ms)
  ledger-verify --state, before the append: \(String(format: "%.2f s", first.seconds)): \(first.stdout.trimmingCharacters(in: .newlines))
  ledger append of 1,000 entries: \(String(format: "%.2f s", appendSeconds))
  incremental audit (ledger-verify --state) of 1,000 new entries: \(String(format: "%.3f s", incremental.seconds)) (target < 1 s)
    \(incremental.stdout.trimmingCharacters(in: .newlines))
  ledger now holds \(size) entries
""")
