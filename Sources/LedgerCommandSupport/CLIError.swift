import ArgumentParser
import Foundation

/// Errors of the command line itself (files, arguments), as one line a user can act on.
public enum CLIError: Error, CustomStringConvertible {
    case io(String)
    case usage(String)
    case input(String)

    public var description: String {
        switch self {
        case .io(let m), .usage(let m), .input(let m): return m
        }
    }
}

/// Runs a subcommand body: any error becomes one line on stderr and exit status 1, so a script
/// sees failure and a person sees what to fix.
public func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch {
        printError("ledger: \(error)")
        throw ExitCode(1)
    }
}

public func printError(_ message: String, terminator: String = "\n") {
    FileHandle.standardError.write(Data((message + terminator).utf8))
}

/// Writes to stdout through a buffer: bulk output (export, append receipts) is line-heavy.
public struct Output {
    public init() {}

    private var buffer = [UInt8]()

    public mutating func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    /// Text that already ends with its own line breaks.
    public mutating func text(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    public mutating func line(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count > 1 << 16 { flush() }
    }

    public mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

public func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError.io("cannot read \(path): no such file or not readable")
    }
    return [UInt8](data)
}

/// One line on stdout, unbuffered: whoever started the server waits for the address line.
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
