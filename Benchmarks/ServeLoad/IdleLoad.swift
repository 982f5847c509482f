// `ledger-serve-bench idle [IDLE=20000] [SECONDS=20] [HISTORY=200000]`: `ledger serve` while
// other processes hold IDLE idle connections (re-opening any it closes) and four clients read a
// HISTORY-statement platform's history, page and feed over and over. Reports p50/p99 of
// /healthz and of single appends made on fresh connections meanwhile, their failures, and the
// server's CPU and peak memory. (Before the connection guard, 20,000 idle connections exhausted
// the descriptors and the accept loop spun on EMFILE; a history answer held a whole platform.)
//
// `ledger-serve-bench hold PORT COUNT SECONDS` is the holder it runs (one per 10,000 connections,
// as each process has its own descriptor limit).
import Foundation
import LedgerCore
import LedgerCrypto

/// Holds `count` idle connections to `port` for `seconds`, re-opening those the server closes.
func holdIdleConnections(port: UInt16, count: Int, seconds: Double) {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var open: [Int32] = []
    var reopened = 0
    let deadline = Date().addingTimeInterval(seconds)
    var byte: UInt8 = 0
    while Date() < deadline {
        // Drop the ones the server closed (read returns 0 or an error other than EAGAIN).
        open.removeAll { fd in
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINPROGRESS && errno != ENOTCONN) {
                close(fd)
                return true
            }
            return false
        }
        while open.count < count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { break }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            open.append(fd)
            reopened += 1
        }
        usleep(50_000)
    }
    print("held \(count) connections, opened \(reopened) in all")
    for fd in open { close(fd) }
}

/// Latencies of requests each made on a fresh connection, one every `interval` seconds.
func probe(port: UInt16, seconds: Double, interval: Double, _ request: (Int) -> (String, String, [UInt8])) -> Phase {
    var phase = Phase()
    let start = Date()
    var n = 0
    while Date().timeIntervalSince(start) < seconds {
        let (method, path, body) = request(n)
        n += 1
        let t0 = DispatchTime.now().uptimeNanoseconds
        if let connection = try? HTTPConnection(port: port), let reply = try? connection.request(method, path, body: body) {
            phase.latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            phase.statuses[reply.status, default: 0] += 1
        } else {
            phase.errors += 1
        }
        Thread.sleep(forTimeInterval: interval)
    }
    phase.seconds = Date().timeIntervalSince(start)
    return phase
}

func runIdleLoad(_ arguments: [String]) throws {
    let numbers = arguments.map { Int($0) }
    let idle = (numbers.first ?? nil) ?? 20_000
    let seconds = Double((numbers.dropFirst().first ?? nil) ?? 20)
    let history = (numbers.dropFirst(2).first ?? nil) ?? 200_000
    func bigStatement(_ i: Int) -> String {
        statement(i).replacingOccurrences(of: "\"platform-\(i % 200)\"", with: "\"bigco\"")
    }
    try run("ledger", ["init", "--origin", "bench.example/idle"])
    try run("ledger", ["keygen", "alice"])
    try run("ledger", ["signer", "add", "alice", "keys/alice.pub"])
    try (0..<history).map { bigStatement(2_000_000 + $0) }.joined(separator: "\n").write(toFile: "big.jsonl", atomically: false, encoding: .utf8)
    let imported = try run("ledger", ["append", "--key", "keys/alice.key"], stdin: "big.jsonl")
    let (server, port) = try startServer([])
    let key = try Ed25519PrivateKey.fromPEM(Array(try Data(contentsOf: URL(fileURLWithPath: "keys/alice.key"))))
    func submission(_ i: Int) -> [UInt8] {
        let text = statement(5_000_000 + i)
        guard let body = try? Body(parsing: Array(text.utf8)),
              let signature = try? key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256)) else { return [] }
        return Array(#"{"statement":\#(text),"signer":"alice","signature":"\#(Base64.encode(signature))"}"#.utf8)
    }

    // Baseline: the same probes with no idle connections and no history readers.
    let quietHealth = probe(port: port, seconds: 3, interval: 0.02) { _ in ("GET", "/healthz", []) }
    let quietAppends = probe(port: port, seconds: 3, interval: 0.02) { n in ("POST", "/v1/entries", submission(n)) }

    // The holders, 10,000 connections each.
    let holders: [Process] = try stride(from: 0, to: idle, by: 10_000).map { start in
        let p = Process()
        p.executableURL = bin.appendingPathComponent("ledger-serve-bench")
        p.arguments = ["hold", String(port), String(min(10_000, idle - start)), String(Int(seconds) + 8)]
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        return p
    }
    Thread.sleep(forTimeInterval: 4)
    // Four clients reading the big platform's answers as fast as they can.
    final class Stop: @unchecked Sendable { var stop = false; var served = 0; var largest = 0; let lock = NSLock() }
    let readers = Stop()
    for r in 0..<4 {
        Thread.detachNewThread {
            let paths = ["/v1/platforms/bigco/history?limit=1000", "/platforms/bigco", "/feeds/bigco.atom", "/v1/platforms/bigco/history?limit=1000&after=2024-07-01.150000"]
            var i = r
            while !readers.lock.withLock({ readers.stop }) {
                if let c = try? HTTPConnection(port: port), let reply = try? c.request("GET", paths[i % paths.count]) {
                    readers.lock.withLock { readers.served += 1; readers.largest = max(readers.largest, reply.body.count) }
                }
                i += 1
            }
        }
    }
    let health = probe(port: port, seconds: seconds / 2, interval: 0.05) { _ in ("GET", "/healthz", []) }
    let appends = probe(port: port, seconds: seconds / 2, interval: 0.05) { n in ("POST", "/v1/entries", submission(100_000 + n)) }
    readers.lock.withLock { readers.stop = true }
    let status = (try? String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8)) ?? ""
    let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "?" } ?? "?"
    let stat = (try? String(contentsOfFile: "/proc/\(server.processIdentifier)/stat", encoding: .utf8))?.split(separator: " ") ?? []
    let ticks = stat.count > 15 ? (Int(stat[13]) ?? 0) + (Int(stat[14]) ?? 0) : 0
    for h in holders { h.terminate(); h.waitUntilExit() }
    server.interrupt()
    server.waitUntilExit()
    print("""
        ledger serve under idle connections (release, loopback, \(ProcessInfo.processInfo.activeProcessorCount) cores shared by everything)
        platform 'bigco': \(history) statements imported in \(String(format: "%.1f", imported.seconds)) s
        without load: /healthz \(quietHealth.line); single appends \(quietAppends.line)
        with \(idle) idle connections held (re-opened when closed) and 4 clients reading bigco's history, page and feed:
          /healthz on fresh connections: \(health.line)
          single appends on fresh connections: \(appends.line)
          history/page/feed answers served: \(readers.served), the largest \(readers.largest) bytes
          server: \(Double(ticks) / 100) s CPU in all, peak RSS \(peak) kB
        """)
}
