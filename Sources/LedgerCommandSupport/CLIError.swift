import ArgumentParser
import Foundation
import LedgerCore

/// Errors of the command line itself (files, arguments), as one line a user can act on.
public enum CLIError: KindedError, CustomStringConvertible {
    case io(String)
    case usage(String)
    case input(String)

    public var kind: FailureKind {
        switch self {
        case .io: return .local
        case .usage, .input: return .caller
        }
    }

    public var description: String {
        switch self {
        case .io(let m), .usage(let m), .input(let m): return m
        }
    }
}

/// Runs a subcommand body: any error becomes one line on stderr and the exit status of its kind
/// (`ExitStatus.ledger`), so a script sees what failed and a person sees what to fix.
public func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("ledger: \(error)")
        throw ExitCode(ExitStatus.ledger(error))
    }
}

/// The exit statuses of the command-line programs, from the kind of failure (FailureKind), in
/// this one place (README.md, "Exit statuses").
public enum ExitStatus {
    /// `ledger` and `ledger-net`: 1 refused (the input or request is wrong; nothing written),
    /// 2 a local failure (a file, the disk, the network), 3 an integrity failure (signed or
    /// stored bytes disagree: run `ledger-verify`).
    public static func ledger(_ error: any Error) -> Int32 {
        switch FailureKind.of(error) {
        case .caller: return 1
        case .local: return 2
        case .integrity: return 3
        }
    }

    /// `ledger-verify` and the mirror, whose answer is about integrity: 1 an integrity failure,
    /// 2 anything that kept the check from running (usage, I/O, network).
    public static func verifier(_ error: any Error) -> Int32 {
        FailureKind.of(error) == .integrity ? 1 : 2
    }
}

/// One line on stderr. A failing stderr (closed, a full disk) is ignored: there is nowhere left
/// to report it, and Foundation's FileHandle.write would trap.
public func printError(_ message: String, terminator: String = "\n") {
    _ = writeAll(Array((message + terminator).utf8), to: STDERR_FILENO)
}

/// Writes every byte to `fd`, retrying short writes and EINTR; the errno of a failure, else nil.
@discardableResult
func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

/// Writes to stdout through a buffer: bulk output (export, append receipts) is line-heavy.
/// A failed write (a closed pipe, `> /dev/full`) is kept and thrown by the next `flush()`;
/// output after it is dropped.
public struct Output {
    public init() {}

    private var buffer = [UInt8]()
    private var failure: Int32?

    public mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        drainIfFull()
    }

    /// Text that already ends with its own line breaks.
    public mutating func text(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        drainIfFull()
    }

    public mutating func line(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        drainIfFull()
    }

    private mutating func drainIfFull() {
        if buffer.count > 1 << 16 { drain() }
    }

    private mutating func drain() {
        if failure == nil { failure = writeAll(buffer, to: STDOUT_FILENO) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered; throws if any write so far failed.
    public mutating func flush() throws {
        drain()
        if let failure { throw CLIError.io("cannot write to standard output: \(String(cString: strerror(failure)))") }
    }
}

/// All of standard input. A read error (stdin a directory, a closed descriptor) is an error
/// naming it; Foundation's readDataToEndOfFile would trap.
public func readStandardInput() throws -> Data {
    do { return try FileHandle.standardInput.readToEnd() ?? Data() } catch {
        throw CLIError.io("cannot read standard input: \((error as NSError).localizedDescription)")
    }
}

public func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        // A path the user named: theirs to fix.
        throw CLIError.input("cannot read \(path): no such file or not readable")
    }
    return [UInt8](data)
}

/// One line on stdout, unbuffered: whoever started the server waits for the address line.
public func say(_ line: String) {
    _ = writeAll(Array((line + "\n").utf8), to: STDOUT_FILENO)
}

/// Asks before an act that cannot be undone (the ledger is append-only: a withholding or a
/// revocation stays in it for good). Only a person at a terminal is asked; `yes` (the command's
/// `--yes`) or a script's non-terminal input goes ahead, as before. Throws if the answer is not yes.
public func confirm(_ question: String, yes: Bool) throws {
    guard !yes, isatty(STDIN_FILENO) == 1 else { return }
    printError(question + " This stays in the ledger for good. Type 'yes' to go on: ", terminator: "")
    guard let answer = readLine(), answer.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
        throw CLIError.input("not confirmed; nothing was written")
    }
}

/// A progress line on a terminal (stderr), redrawn at most ten times a second: `verb: done/total
/// noun (pct%)`. Nil when stderr is not a terminal, so scripts and logs never see it.
public final class ProgressLine {
    private var last = Date.distantPast
    private let verb: String, noun: String

    public init?(verb: String, noun: String) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.verb = verb
        self.noun = noun
    }

    public func show(_ done: Int64, _ total: Int64) {
        guard Date().timeIntervalSince(last) > 0.1 || done == total else { return }
        last = Date()
        let pct = total > 0 ? Int(done * 100 / total) : 100
        printError("\r\(verb): \(done)/\(total) \(noun) (\(pct)%)", terminator: "")
    }

    public func clear() { printError("\r\u{1B}[K", terminator: "") }
}

extension CosignerKey {
    /// A `--witness-key` value (a witness's verifier key), refused as a usage error naming it.
    public static func parsingOption(_ text: String) throws -> CosignerKey {
        do { return try CosignerKey(parsing: text) } catch { throw CLIError.usage("--witness-key \(text): \(error)") }
    }
}
