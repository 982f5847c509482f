import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Set up the default ledger with the demo statements and audit it.",
        discussion: """
            Creates the ledger and log key if missing, a `demo` signer key if missing (registered \
            by the log key), appends every statement of --statements not yet in the ledger, then \
            runs the full audit and prints the latest checkpoint. Safe to run again.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Directory of demo statements (*.json, appended in file-name order).")
    var statements = "ledger/statements"

    func run() throws {
        try runReportingErrors {
            let store = try DemoSeed.load(global, statements: statements) { print($0) }
            let report = try LedgerAudit(store: store, logKey: store.logKey).run()
            print("verified: \(report.size) entries, \(report.checkpointsChecked) checkpoints, root \(report.root.base64)")
            print("log key: \(store.logKey.text)")
            print(report.latestCheckpoint, terminator: "")
        }
    }
}
