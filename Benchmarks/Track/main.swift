// ledger-track-bench: a tracking round over N pages (default 1,000) served on 127.0.0.1 by
// Python's http.server, none of which changed since the round before: the round is fetching,
// extracting and comparing only, and should be limited by the network, not by us.
//
//   swift build -c release && .build/release/ledger-track-bench [N]
//
// Target: the unchanged round under 5 s on loopback. Also times the first round, which archives
// every page (N signed appends).
import BenchSupport
import Foundation

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1000
let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let work = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-track-bench-\(getpid())")
let site = work.appendingPathComponent("site")
try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
_ = FileManager.default.changeCurrentDirectoryPath(work.path)
defer { try? FileManager.default.removeItem(at: work) }

func ledger(_ args: [String]) -> Measured { measure(bin.appendingPathComponent("ledger").path, args, samplingPeak: false) }

// Pages of about 20 KB of policy prose each.
for i in 0..<count {
    var html = "<html><head><title>Policy \(i)</title><script>track()</script></head><body><nav>Home</nav><main><h1>Policy \(i)</h1>"
    for j in 0..<60 {
        html += "<p>Section \(j): if we receive a valid order about account \(i * 100 + j), we may disclose the data it names to the authority that sent it. We publish the number of such orders twice a year.</p>"
    }
    try (html + "</main></body></html>").write(to: site.appendingPathComponent("p\(i).html"), atomically: false, encoding: .utf8)
}
let server = Process()
server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
server.arguments = ["python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory", site.path, "0"]
let out = Pipe()
server.standardOutput = out
server.standardError = FileHandle.nullDevice
try server.run()
defer { server.terminate() }
// "Serving HTTP on 127.0.0.1 port NNNNN (http://127.0.0.1:NNNNN/) ..."
var line = Data()
while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
let text = String(decoding: line, as: UTF8.self)
guard let port = text.components(separatedBy: "port ").last?.split(separator: " ").first else { fatalError("http.server did not start: \(text)") }

_ = ledger(["init", "--origin", "bench.example/track"])
_ = ledger(["keygen", "a"])
_ = ledger(["signer", "add", "a", "keys/a.pub"])
for i in 0..<count { _ = ledger(["track", "add", "http://127.0.0.1:\(port)/p\(i).html", "--platform", "example", "--type", "privacy-policy"]) }

let first = ledger(["track", "run", "--key", "keys/a.key"])
let archived = first.stdout.split(separator: "\n").filter { $0.contains("first version archived") }.count
let second = ledger(["track", "run", "--key", "keys/a.key"])
let unchanged = second.stdout.split(separator: "\n").filter { $0.contains(": unchanged") }.count
var load = [0.0, 0, 0]
getloadavg(&load, 3)
print("ledger-track-bench: \(count) pages of about 20 KB on http://127.0.0.1:\(port) (python3 http.server), release binaries; load average \(String(format: "%.1f", load[0])) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
print(String(format: "  first round (every page archived):  %.2f s, %d archived, CPU %.2f s", first.seconds, archived, first.cpuSeconds))
print(String(format: "  unchanged round:                     %.2f s, %d unchanged, CPU %.2f s (target < 5 s) %@", second.seconds, unchanged, second.cpuSeconds,
             second.seconds < 5 && unchanged == count ? "ok" : "OVER"))
