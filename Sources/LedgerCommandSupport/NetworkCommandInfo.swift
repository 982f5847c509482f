import Foundation

/// Names and one-line descriptions of the commands `ledger-net` runs, shared by `ledger`'s help.
public struct NetworkCommandInfo: Sendable {
    public let name: String
    public let abstract: String

    public static let mirror = NetworkCommandInfo(
        name: "mirror", abstract: "Copy a remote ledger's new entries into a local, verified copy (docs/FORMAT.md §24).")
    public static let track = NetworkCommandInfo(
        name: "track", abstract: "Fetch tracked platform pages and archive each new version of their text (add, remove, list, run).")
    public static let getCosignatures = NetworkCommandInfo(
        name: "get-cosignatures", abstract: "Send the latest checkpoint to witnesses (C2SP tlog-witness) and store their cosignatures.")
    public static let timestamp = NetworkCommandInfo(
        name: "timestamp", abstract: "Get an RFC 3161 time-stamp token over the latest checkpoint and store it.")
}

/// Programs built beside each other (`ledger`, `ledger-net`, `ledger-verify`) find one another
/// in the directory of the running executable.
public enum HelperProgram {
    /// The directory of the running executable (symbolic links resolved); nil if unknown.
    public static func executableDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count)
        // n == buffer.count: the path may have been cut short.
        guard n > 0, n < buffer.count else { return nil }
        let path = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// Runs `ledger-net ARGUMENTS` from this program's directory to its end. Its standard output
    /// goes to this process's standard error (a caller's own output stays clean); its standard
    /// error is copied there too, and returned. Throws `CLIError.io` if it cannot be started.
    public static func runNet(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        guard let directory = executableDirectory() else {
            throw CLIError.io("ledger-net runs from this program's directory, which /proc/self/exe does not give")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/ledger-net")
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch {
            throw CLIError.io("cannot run \(directory)/ledger-net (\(error)); build it with `swift build -c release --product ledger-net`")
        }
        let bytes = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        FileHandle.standardError.write(bytes)
        return (process.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }
}
