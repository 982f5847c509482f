import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The demo set-up shared by `ledger demo` and the first run of `ledger serve`: create the
/// ledger and log key if missing, a registered `demo` signer, and every demo statement not yet in.
enum DemoSeed {
    /// Returns the ledger, opened for writing; `report` gets one line per step.
    static func load(_ global: GlobalOptions, statements: String, report: (String) -> Void) throws -> LedgerStore {
        // Checked before anything is created: a missing directory left a half-made ledger.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: statements, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("no statements directory at \(statements); run from the repository (which ships ledger/statements) or pass --statements DIR")
        }
        if !FileManager.default.fileExists(atPath: global.ledger) {
            let store = try LedgerSetup.initialize(global, origin: LedgerSetup.defaultOrigin)
            report("created \(global.ledger) (origin \(store.origin))")
        }
        let (store, logKey) = try LedgerSetup.openForWriting(global)
        let demoKey = try demoSigner(global, store: store, logKey: logKey, report: report)

        let files = try listDirectory(statements).filter { $0.hasSuffix(".json") }.sorted()
        let bodies = try StatementInput.parseAll(try files.map { StatementInput(label: "\(statements)/\($0)", bytes: try readFile("\(statements)/\($0)")) })
        let existing = try store.existingStatements(bodies.map(\.body.sha256))
        let fresh = bodies.filter { existing[$0.body.sha256] == nil }
        let pending = try fresh.map { try PendingEntry.sign($0.body, label: $0.label, signer: "demo", key: demoKey) }
        for (appended, item) in zip(try store.append(pending, logKey: logKey), fresh) {
            report("appended \(item.label) as seq \(appended.seq)")
        }
        report("\(fresh.count) new, \(bodies.count - fresh.count) already in the ledger")
        return store
    }

    private static func listDirectory(_ path: String) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw CLIError.io("cannot read the statements directory \(path): \((error as NSError).localizedDescription)")
        }
    }

    /// keys/demo.key, generated and registered on first use.
    private static func demoSigner(_ global: GlobalOptions, store: LedgerStore, logKey: Ed25519PrivateKey,
                                   report: (String) -> Void) throws -> Ed25519PrivateKey {
        let path = "\(global.keys)/demo.key"
        let key = FileManager.default.fileExists(atPath: path) ? try KeyFiles.readPrivate(path) : try KeyFiles.generate(dir: global.keys, name: "demo")
        let history = try store.keyHistory()
        if history.signerName(for: key.publicKey) == nil {
            let body = try Body(value: SignerEvent(action: .add, name: "demo", publicKey: key.publicKey.raw).json)
            try store.append([try PendingEntry.sign(body, label: "register demo signer", signer: SignerName.log, key: logKey)], logKey: logKey)
            report("registered signer demo: \(try NoteVerifierKey(name: "demo", publicKey: key.publicKey).text)")
        }
        return key
    }
}
