import Foundation

/// One finished run of a program, as the benchmarks measure it.
public struct Measured: Sendable {
    public let seconds: Double
    /// User + system CPU time of the child: on a shared machine, wall time also counts waiting.
    public let cpuSeconds: Double
    /// The child's own peak resident memory (`VmHWM`), sampled every 10 ms.
    public let peakKiB: Int
    public let stdout: String
}

/// Runs `path` with `args` in the current directory, stdin from a file (or /dev/null), stdout to
/// `outPath`; times it and samples its peak memory; fails loudly on a non-zero exit.
///
/// The peak is the child's own `VmHWM` (/proc/PID/status): the rusage of wait4 would count this
/// process's memory too, since posix_spawn starts the child in the parent's address space and
/// Linux carries that high-water mark across exec.
///
/// With `samplingPeak` false the child is waited for without polling (no peak), so a run of a
/// few milliseconds is timed to the microsecond rather than to the 10 ms sampling step.
public func measure(_ path: String, _ args: [String], stdin: String? = nil, outPath: String = "bench-out.txt",
                    samplingPeak: Bool = true) -> Measured {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let start = Date()
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { fatalError("cannot run \(path)") }
    var status: Int32 = 0
    var usage = rusage()
    var peakKiB = 0
    if !samplingPeak { wait4(pid, &status, 0, &usage) }
    while samplingPeak && wait4(pid, &status, WNOHANG, &usage) == 0 {
        if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
            peakKiB = max(peakKiB, kib)
        }
        usleep(10_000)
    }
    let seconds = Date().timeIntervalSince(start)
    func sec(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1_000_000 }
    guard status == 0 else { fatalError("\(path) \(args.joined(separator: " ")) exited with status \(status)") }
    return Measured(seconds: seconds, cpuSeconds: sec(usage.ru_utime) + sec(usage.ru_stime), peakKiB: peakKiB,
                    stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "")
}

/// Statements like real ones: 200 platforms, six categories, a quote of a few hundred bytes.
public func benchStatement(_ i: Int) -> String {
    let categories = ["third-party-sharing", "government-requests", "advertising", "data-retention", "encryption", "policy-text"]
    return #"{"schema":"disclosure-statement/v1","platform":"platform-\#(i % 200)","category":"\#(categories[i % 6])","summary":"Benchmark statement \#(i)","recipients":["governments","law-enforcement"],"data_kinds":["ip-address","phone-number"],"quantities":[{"unit":"requests-received","value":\#(i)},{"unit":"requests-complied","value":\#(i / 2)}],"period":{"start":"2024-01-01","end":"2024-06-30"},"effective_date":"2024-07-\#(String(format: "%02d", i % 28 + 1))","source":{"url":"https://example.org/transparency/\#(i)","retrieved_at":"2024-07-01T12:00:00Z","sha256":"\#(String(repeating: "5a", count: 32))"},"quote":"In the first half of 2024 we received \#(i) requests for user data from government agencies and complied with \#(i / 2) of them, disclosing only IP addresses and phone numbers as required by valid legal orders.","language":"en"}"#
}

/// Writes `count` statements starting at `first` as JSON Lines to `path`.
public func writeBenchStatements(_ path: String, first: Int = 0, count: Int) throws {
    var jsonl = ""
    jsonl.reserveCapacity(count * 720)
    for i in first..<(first + count) { jsonl += benchStatement(i); jsonl += "\n" }
    try jsonl.write(toFile: path, atomically: false, encoding: .utf8)
}

/// `openssl speed ed25519` on one core, or with `processes` > 1 on that many at once (`-multi`,
/// the sum of their rates): (sign/s, verify/s).
public func opensslEd25519(processes: Int = 1) -> (sign: Double, verify: Double) {
    let multi = processes > 1 ? ["-multi", "\(processes)"] : []
    let speed = measure("/usr/bin/openssl", ["speed"] + multi + ["-seconds", "3", "ed25519"]).stdout
    guard let line = speed.split(separator: "\n").last(where: { $0.contains("Ed25519") }),
          let verify = Double(line.split(separator: " ").last ?? ""),
          let sign = Double(line.split(separator: " ").dropLast().last ?? "") else {
        fatalError("cannot read `openssl speed ed25519` output:\n\(speed)")
    }
    return (sign, verify)
}

/// Removes `--dir DIR` from the command line, if given: where a benchmark keeps its ledger so that
/// a later run reuses it. The remaining arguments are returned with it.
public func benchArguments() -> (keepDir: String?, rest: [String]) {
    var args = Array(CommandLine.arguments.dropFirst())
    var keepDir: String?
    if let i = args.firstIndex(of: "--dir"), i + 1 < args.count {
        keepDir = args[i + 1]
        args.removeSubrange(i...(i + 1))
    }
    return (keepDir, args)
}
