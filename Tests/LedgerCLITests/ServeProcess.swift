import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The real `ledger serve` binary running in a sandbox on a free loopback port (`--port 0`; the
/// address is read from its output), with a small HTTP client (URLSession) to talk to it.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private(set) var base = ""
    private let output = Pipe()
    private let lock = NSLock()
    private var lines: [String] = []

    /// `descriptorLimit`: run under `prlimit --nofile` (a small limit, as on a crowded host).
    /// `command`: the subcommand that serves (`ledger witness serve` runs a witness).
    init(_ s: Sandbox, command: [String] = ["serve"], extraArguments: [String] = [], descriptorLimit: Int? = nil) throws {
        let ledger = Sandbox.binDir.appendingPathComponent("ledger")
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            process.arguments = ["--nofile=\(descriptorLimit)", ledger.path] + command + ["--port", "0"] + extraArguments
        } else {
            process.executableURL = ledger
            process.arguments = command + ["--port", "0"] + extraArguments
        }
        process.currentDirectoryURL = s.dir
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let handle = output.fileHandleForReading
        // Weakly: a reader holding the process object would keep it (and its deinit's kill) alive
        // for as long as the process runs, so a test that does not stop it would leak it.
        Thread.detachNewThread { [weak self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending += chunk
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending = Data(pending[(nl + 1)...])
                    guard let self else { return }
                    lock.withLock { lines.append(line) }
                }
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let line = lock.withLock({ lines.first { $0.hasPrefix("listening on ") } }) {
                base = String(line.dropFirst("listening on ".count))
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw XCTSkip("ledger serve did not report its address; output: \(lock.withLock { lines })")
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

    var outputLines: [String] { lock.withLock { lines } }

    func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// SIGTERM, then waits for the graceful shutdown (status not checked).
    func stop() {
        signal(SIGTERM)
        _ = wait()
    }

    /// Waits for the process to exit; its status.
    func wait(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    struct Reply: Sendable {
        let status: Int
        let body: Data
        let headers: [String: String]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 64
        config.timeoutIntervalForRequest = 60
        return URLSession(configuration: config)
    }()

    func request(_ method: String, _ path: String, body: Data? = nil) async throws -> Reply {
        guard let url = URL(string: base + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        let (data, response) = try await ServeProcess.session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
        return Reply(status: http.statusCode, body: data, headers: headers)
    }
}

extension Sandbox {
    /// The body of GET `path` on `server`, fetched with curl (as a reader's tool would).
    func get(_ server: ServeProcess, _ path: String) throws -> String {
        try run("/usr/bin/curl", ["-sS", server.base + path]).stdout
    }
}
