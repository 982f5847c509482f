import ArgumentParser
import Foundation
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
            if !FileManager.default.fileExists(atPath: global.ledger) {
                let store = try LedgerSetup.initialize(global, origin: LedgerSetup.defaultOrigin)
                print("created \(global.ledger) (origin \(store.origin))")
            }
            let (store, logKey) = try LedgerSetup.openForWriting(global)
            let demoKey = try demoSigner(store: store, logKey: logKey)

            let files = try FileManager.default.contentsOfDirectory(atPath: statements).filter { $0.hasSuffix(".json") }.sorted()
            let bodies = try StatementInput.parseAll(try files.map { StatementInput(label: "\(statements)/\($0)", bytes: try readFile("\(statements)/\($0)")) })
            let existing = try store.existingStatements(bodies.map(\.body.sha256))
            let fresh = bodies.filter { existing[$0.body.sha256] == nil }
            let pending = try fresh.map { try PendingEntry.sign($0.body, label: $0.label, signer: "demo", key: demoKey) }
            for (appended, item) in zip(try store.append(pending, logKey: logKey), fresh) {
                print("appended \(item.label) as seq \(appended.seq)")
            }
            print("\(fresh.count) new, \(bodies.count - fresh.count) already in the ledger")

            let report = try LedgerAudit(store: store, logKey: store.logKey).run()
            print("verified: \(report.size) entries, \(report.checkpointsChecked) checkpoints, root \(report.root.base64)")
            print("log key: \(store.logKey.text)")
            print(report.latestCheckpoint, terminator: "")
        }
    }

    /// keys/demo.key, generated and registered on first use.
    private func demoSigner(store: LedgerStore, logKey: Ed25519PrivateKey) throws -> Ed25519PrivateKey {
        let path = "\(global.keys)/demo.key"
        let key = FileManager.default.fileExists(atPath: path) ? try KeyFiles.readPrivate(path) : try KeyFiles.generate(dir: global.keys, name: "demo")
        let history = try store.keyHistory()
        if history.signerName(for: key.publicKey) == nil {
            let body = try Body(value: SignerEvent(action: .add, name: "demo", publicKey: key.publicKey.raw).json)
            try store.append([try PendingEntry.sign(body, label: "register demo signer", signer: SignerName.log, key: logKey)], logKey: logKey)
            print("registered signer demo: \(try NoteVerifierKey(name: "demo", publicKey: key.publicKey).text)")
        }
        return key
    }
}
