import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the ledger database and the log key (keys/log.key) if missing.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The log's origin: its name in checkpoints and the name of its verifier key.")
    var origin = LedgerSetup.defaultOrigin

    func run() throws {
        try runReportingErrors {
            let store = try LedgerSetup.initialize(global, origin: origin)
            print("created \(global.ledger) for origin \(store.origin)")
            print("log key: \(store.logKey.text)")
        }
    }
}

enum LedgerSetup {
    static let defaultOrigin = "localhost/disclosure-ledger"

    /// Creates the ledger, with a new log key unless keys/log.key exists.
    static func initialize(_ global: GlobalOptions, origin: String) throws -> LedgerStore {
        guard !FileManager.default.fileExists(atPath: global.ledger) else {
            throw CLIError.usage("\(global.ledger) already exists; it is left as it is")
        }
        let key = FileManager.default.fileExists(atPath: global.logKeyPath)
            ? try KeyFiles.readPrivate(global.logKeyPath)
            : try KeyFiles.generate(dir: global.keys, name: "log")
        return try LedgerStore.create(at: global.ledger, origin: origin, logSigner: try NoteSigner(name: origin, privateKey: key))
    }

}

import LedgerCrypto
