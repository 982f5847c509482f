import ArgumentParser
import Foundation
import LedgerCommandSupport

/// `ledger mirror` and `ledger timestamp` talk to other servers over HTTP(S), which needs
/// Foundation's URLSession and with it libcurl and some thirty libraries more. Loading those
/// took about 10 ms of every `ledger` run (the whole of `ledger log-key`'s start is now a few ms),
/// so, as git does with `git-remote-https`, they live in their own program, `ledger-net`, built
/// beside `ledger`, which `ledger` runs in its place with the same arguments.
enum NetworkCommands {
    static let names: Set = [NetworkCommandInfo.mirror.name, NetworkCommandInfo.timestamp.name, NetworkCommandInfo.track.name,
                             NetworkCommandInfo.getCosignatures.name]

    /// Replaces this process with `ledger-net ARGUMENTS` (same standard streams, same exit
    /// status); if it cannot be started, says why and exits 127, as a shell does for a command
    /// it cannot find (the commands' own statuses are 0, 1 and 2).
    static func run(_ arguments: [String]) -> Never {
        let command = "`ledger \(arguments.first ?? "")`"
        guard let directory = HelperProgram.executableDirectory() else {
            printError("ledger: \(command) runs ledger-net from ledger's own directory, which /proc/self/exe does not give (\(String(cString: strerror(errno))))")
            exit(127)
        }
        let helper = directory + "/ledger-net"
        var argv: [UnsafeMutablePointer<CChar>?] = (["ledger"] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(helper, &argv)
        let reason = String(cString: strerror(errno))
        printError("ledger: \(command) runs \(helper), which could not be started (\(reason)); build it with `swift build -c release --product ledger-net`")
        exit(127)
    }
}

/// `ledger mirror` in `ledger --help`; `Ledger.main` hands it to `ledger-net` before parsing.
struct MirrorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: NetworkCommandInfo.mirror.name, abstract: NetworkCommandInfo.mirror.abstract)
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { NetworkCommands.run([NetworkCommandInfo.mirror.name] + arguments) }
}

/// `ledger track` in `ledger --help`; `Ledger.main` hands it to `ledger-net` before parsing.
struct TrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: NetworkCommandInfo.track.name, abstract: NetworkCommandInfo.track.abstract)
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { NetworkCommands.run([NetworkCommandInfo.track.name] + arguments) }
}

/// `ledger timestamp` in `ledger --help`; `Ledger.main` hands it to `ledger-net` before parsing.
struct TimestampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: NetworkCommandInfo.timestamp.name, abstract: NetworkCommandInfo.timestamp.abstract)
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { NetworkCommands.run([NetworkCommandInfo.timestamp.name] + arguments) }
}

/// `ledger get-cosignatures` in `ledger --help`; `Ledger.main` hands it to `ledger-net` before parsing.
struct GetCosignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: NetworkCommandInfo.getCosignatures.name, abstract: NetworkCommandInfo.getCosignatures.abstract)
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []
    func run() throws { NetworkCommands.run([NetworkCommandInfo.getCosignatures.name] + arguments) }
}
