import ArgumentParser
import Foundation
import LedgerCommandSupport

/// `ledger-verify`: the audit (default), and offline checks that open no database.
/// Exit 0 ok, 1 integrity failure, 2 usage or I/O error.
@main
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-verify",
        abstract: "Audit a disclosure ledger, or check a receipt or a consistency proof offline.",
        discussion: "Exit status: 0 ok, 1 integrity failure (the first bad seq, checkpoint or proof is named), 2 usage or I/O error.",
        subcommands: [AuditCommand.self, ReceiptCheckCommand.self, ConsistencyCheckCommand.self],
        defaultSubcommand: AuditCommand.self)

    static func main() {
        do {
            var command = try parseAsRoot()
            guard var check = command as? VerifySubcommand else {
                try command.run()
                Foundation.exit(0)
            }
            Foundation.exit(check.execute())
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            Foundation.exit(ExitStatus.verifier(error))
        }
    }
}

/// A subcommand that reports its own outcome as an exit status.
protocol VerifySubcommand {
    mutating func execute() -> Int32
}
