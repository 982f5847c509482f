import ArgumentParser
import LedgerCommandSupport
import LedgerCore
import LedgerQuery
import LedgerCrypto
import LedgerStorage

struct SignerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signer", abstract: "Register, revoke and list the keys allowed to sign statements.",
        subcommands: [Add.self, Revoke.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Register NAME with the public key in PUBKEY.pem (an entry signed by the log key).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The signer's name.") var name: String
        @Argument(help: "The signer's SPKI PEM public key.") var pubkey: String

        func run() throws {
            try runReportingErrors {
                let key = try KeyFiles.readPublic(pubkey)
                try appendKeyEvent(global, SignerEvent(action: .add, name: name, publicKey: key.raw))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke NAME: its later entries are refused, its earlier ones stay valid.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The signer's name.") var name: String
        @Flag(help: "Do not ask for confirmation (asked only at a terminal).") var yes = false

        func run() throws {
            try runReportingErrors {
                let store = try LedgerStore(path: global.ledger)
                guard let key = try store.keyHistory().activeSigners.first(where: { $0.name == name })?.key else {
                    throw CLIError.input("signer '\(name)' is not registered (see `ledger signer list`)")
                }
                try confirm("Revoke signer '\(name)'? Its later entries will be refused.", yes: yes)
                try appendKeyEvent(global, SignerEvent(action: .revoke, name: name, publicKey: key.raw))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the registered signers and their verifier keys.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "As GET /v1/signers gives it: the log key and each signer's verifier key and PEM.") var json = false

        func run() throws {
            try runReportingErrors {
                let store = try LedgerStore(path: global.ledger, readonly: true)
                if json {
                    print(CanonicalJSON.string(EntryJSON.signers(try store.keyHistory(), logKey: store.logKey)))
                    return
                }
                for signer in try store.keyHistory().activeSigners {
                    print("\(signer.name)\t\(try NoteVerifierKey(name: signer.name, publicKey: signer.key).text)")
                }
            }
        }
    }
}

private func appendKeyEvent(_ global: GlobalOptions, _ event: SignerEvent) throws {
    guard SignerName.isValid(event.name), event.name != SignerName.log else {
        throw CLIError.usage("'\(event.name)' is not a usable signer name: 1-64 characters of a-z, 0-9, '.', '-', '_', not 'log'")
    }
    let (store, logKey) = try KeyFiles.openForWriting(global)
    let body = try Body(value: event.json)
    let pending = try PendingEntry.sign(body, origin: .generated("signer \(event.action.rawValue) \(event.name)"), signer: SignerName.log, key: logKey)
    let appended = try store.append([pending], logKey: logKey)[0]
    print("\(appended.seq) \(appended.leafHash.hex) signer \(event.action.rawValue) \(event.name)")
}
