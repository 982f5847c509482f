import Foundation
import XCTest

/// A scratch directory with its own ledger and keys, where the built `ledger` and `ledger-verify`
/// binaries run as a user runs them.
final class Sandbox {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let dir: URL
    static var binDir: URL { Bundle.module.bundleURL.deletingLastPathComponent() }
    static var interopDir: URL { Bundle.module.resourceURL!.appendingPathComponent("Interop") }

    init(_ name: String = #function) throws {
        // A command may stop reading its input early (`ledger append` refuses the first bad
        // batch): the write then fails with EPIPE instead of killing the test process.
        signal(SIGPIPE, SIG_IGN)
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-test-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var ledgerPath: String { dir.appendingPathComponent("ledger/ledger.sqlite").path }
    func path(_ p: String) -> String { dir.appendingPathComponent(p).path }

    @discardableResult
    /// Starts `Interop/SCRIPT` with `args` under python3 and returns the port it prints first
    /// (once it listens); the test stops it when it ends.
    func startPythonServer(_ script: String, _ args: [String], test: XCTestCase) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Sandbox.interopDir.appendingPathComponent(script).path] + args
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        test.addTeardownBlock { if process.isRunning { process.terminate() } }
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
        return try XCTUnwrap(Int(String(decoding: line, as: UTF8.self)), "\(script) did not start")
    }

    /// Runs `executable` in the sandbox, with `environment` added to this process's.
    func run(_ executable: String, _ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : Sandbox.binDir.appendingPathComponent(executable)
        process.arguments = args
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        // Feed stdin and drain both pipes concurrently so large outputs cannot deadlock.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    @discardableResult
    func ledger(_ args: String..., stdin: Data? = nil) throws -> Run { try run("ledger", args, stdin: stdin) }
    func ledger(_ args: [String], stdin: Data? = nil) throws -> Run { try run("ledger", args, stdin: stdin) }

    /// Runs `ledger` and fails the test unless it exits 0.
    @discardableResult
    func ok(_ args: String..., stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try ok(args, stdin: stdin, file: file, line: line)
    }

    @discardableResult
    func ok(_ args: [String], stdin: Data? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run("ledger", args, stdin: stdin)
        XCTAssertEqual(r.status, 0, "ledger \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// The log's verifier key, as `ledger log-key` prints it (without the newline).
    func logKey(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try ok("log-key", file: file, line: line).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func verify(_ args: String...) throws -> Run { try run("ledger-verify", args) }

    /// Runs SQL with the sqlite3 CLI on the ledger file.
    @discardableResult
    func sqlite(_ sql: String) throws -> Run {
        let r = try run("/usr/bin/sqlite3", [ledgerPath, sql])
        XCTAssertEqual(r.status, 0, "sqlite3: \(r.stderr)")
        return r
    }

    /// `columns` of the two look-up indexes a large import or a first copy defers, by name: what
    /// the tests compare with a new ledger's, or check are there.
    func lookupIndexes(_ columns: String) throws -> String {
        try sqlite("SELECT \(columns) FROM sqlite_master WHERE name IN ('entries_statement_body', 'entries_platform') ORDER BY name").stdout
    }

    /// Drops the append-only triggers, as someone editing the file behind the ledger's back would.
    func dropTriggers() throws {
        let names = try sqlite("SELECT name FROM sqlite_master WHERE type = 'trigger'").stdout.split(separator: "\n")
        try sqlite(names.map { "DROP TRIGGER \($0);" }.joined())
    }

    func write(_ name: String, _ text: String) throws {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The ledger file's SHA-256 and its WAL's contents, to prove a refused command wrote nothing.
    func fingerprint() throws -> String {
        var parts: [String] = []
        for suffix in ["", "-wal"] {
            let p = ledgerPath + suffix
            // An empty WAL holds nothing: SQLite creates and removes one as readers come and go.
            if let data = FileManager.default.contents(atPath: p), !data.isEmpty { parts.append("\(suffix):\(data.count):\(data.hashValue)") }
        }
        return parts.joined(separator: " ") + " " + (try run("/usr/bin/sha256sum", [ledgerPath]).stdout)
    }

    /// An initialised ledger with a registered signer `alice`.
    func setUp(origin: String = "test.example/ledger") throws {
        try ok("init", "--origin", origin)
        try ok("keygen", "alice")
        try ok("signer", "add", "alice", "keys/alice.pub")
    }
}

/// A valid statement as one JSON line; `i` makes each one distinct.
func statementLine(_ i: Int, platform: String = "telegram", category: String = "third-party-sharing") -> String {
    #"{"schema":"disclosure-statement/v1","platform":"\#(platform)","category":"\#(category)","recipients":["governments"],"quantities":[{"unit":"bytes","value":\#(i)}],"effective_date":"2019-03-14","source":{"url":"https://example.org/report/\#(i)","retrieved_at":"2019-03-14T12:00:00Z","sha256":"\#(String(repeating: "ab", count: 32))"},"quote":"statement number \#(i)","language":"en"}"#
}

func statementLines(_ range: Range<Int>, platform: String = "telegram") -> Data {
    Data(range.map { statementLine($0, platform: platform) }.joined(separator: "\n").utf8 + [0x0A])
}

extension Sandbox {
    /// A second ledger with the same log key (copied keys/log.key, which `ledger init` reuses) and
    /// the same origin, holding other statements: the log's operator showing another history.
    static func fork(of a: Sandbox, statements: Range<Int>) throws -> Sandbox {
        let b = try Sandbox()
        try FileManager.default.createDirectory(atPath: b.path("keys"), withIntermediateDirectories: true)
        for f in ["log.key", "log.pub", "alice.key", "alice.pub"] {
            try FileManager.default.copyItem(atPath: a.path("keys/\(f)"), toPath: b.path("keys/\(f)"))
        }
        try b.ok("init", "--origin", "test.example/ledger")
        XCTAssertEqual(try b.ok("log-key"), try a.ok("log-key"))
        try b.ok("signer", "add", "alice", "keys/alice.pub")
        try b.ok("append", "--key", "keys/alice.key", stdin: statementLines(statements))
        return b
    }
}
