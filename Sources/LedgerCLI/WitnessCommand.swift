import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage

/// `ledger witness`: run an independent witness that cosigns a log's checkpoints (C2SP
/// tlog-cosignature) only after checking they extend what it cosigned before.
struct WitnessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Cosign checkpoints as an independent witness, refusing rollbacks and forks.",
        subcommands: [Init.self, AddLog.self, Cosign.self, Serve.self])

    struct WitnessOptions: ParsableArguments {
        @Option(help: "The witness's state file (its own SQLite database).")
        var db = "witness/witness.sqlite"
        @Option(help: "The key directory holding NAME.key and NAME.pub.")
        var keys = "keys"
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the witness state file and key NAME.key (if missing); print the witness's verifier key.")
        @OptionGroup var options: WitnessOptions
        @Argument(help: "The witness's name, e.g. witness.example.org/w1.") var name: String

        func run() throws {
            try runReportingErrors {
                let keyName = WitnessKeyFile.fileName(for: name)
                let keyPath = "\(options.keys)/\(keyName).key"
                let key = FileManager.default.fileExists(atPath: keyPath)
                    ? try KeyFiles.readPrivate(keyPath) : try KeyFiles.generate(dir: options.keys, name: keyName)
                let cosigner = try Cosigner(name: name, privateKey: key)
                _ = try WitnessStore.create(at: options.db, name: name)
                print(cosigner.key.text)
            }
        }
    }

    struct AddLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-log", abstract: "Follow a log: pin its C2SP verifier key (as `ledger log-key` prints it).")
        @OptionGroup var options: WitnessOptions
        @Argument(help: "The log's verifier key (origin+keyid+base64).") var logKey: String

        func run() throws {
            try runReportingErrors {
                let key = try NoteVerifierKey(parsing: logKey)
                try WitnessStore(path: options.db).follow(key)
                print("following \(key.name)")
            }
        }
    }

    struct Cosign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cosign",
            abstract: "Check a signed checkpoint and print it with this witness's cosignature added.",
            discussion: """
                Refuses (exit 1, nothing recorded) a checkpoint of an unknown log, one not signed by \
                the pinned log key, a smaller tree than the last one cosigned (rollback), another root \
                for the same size or a consistency proof that does not verify (fork: both notes are \
                printed as evidence). A larger tree needs --proof, the output of \
                `ledger prove consistency OLD NEW`.
                """)
        @OptionGroup var options: WitnessOptions
        @Argument(help: "The signed checkpoint note (a file, or - for standard input).") var checkpoint: String
        @Option(help: "Consistency proof from the last cosigned size to this checkpoint's size (JSON).") var proof: String?

        func run() throws {
            try runReportingErrors {
                let store = try WitnessStore(path: options.db)
                let key = try KeyFiles.readPrivate("\(options.keys)/\(WitnessKeyFile.fileName(for: store.name)).key")
                let cosigner = try Cosigner(name: store.name, privateKey: key)
                let note = checkpoint == "-" ? [UInt8](try readStandardInput()) : try readFile(checkpoint)
                let origin = try Checkpoint.parse(text: try SignedNote.parse(note).text).origin
                let consistency = try proof.map { try ProofFile.readConsistency($0, origin: origin) }
                do {
                    let cosigned = try store.cosign(note, proof: consistency, cosigner: cosigner,
                                                    timestamp: UInt64(max(0, Date().timeIntervalSince1970)))
                    print(cosigned, terminator: "")
                } catch let refusal as WitnessError where !refusal.evidence.isEmpty {
                    printError("ledger: \(refusal)")
                    for (i, evidence) in refusal.evidence.enumerated() {
                        printError("--- evidence \(i + 1) of \(refusal.evidence.count) ---\n\(evidence)", terminator: "")
                    }
                    throw ExitCode(1)
                }
            }
        }
    }
}

extension WitnessCommand {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer the C2SP tlog-witness protocol (POST /add-checkpoint) over HTTP.",
            discussion: """
                A log (`ledger serve --witness URL`) or anyone holding its checkpoints sends each new \
                checkpoint with a consistency proof from the size this witness last cosigned; the \
                witness answers with its cosignature, or refuses with the spec's status: 404 an \
                unknown log, 403 not signed by the pinned key, 400 an old size above the new one, 409 \
                an old size that is not the last cosigned (the body gives it) or another root for it, \
                422 a proof that does not verify.
                """)
        @OptionGroup var options: WitnessOptions
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on (0: any free port; the address is printed).") var port = 8090

        func run() throws {
            try runReportingErrors {
                let store = try WitnessStore(path: options.db)
                let key = try KeyFiles.readPrivate("\(options.keys)/\(WitnessKeyFile.fileName(for: store.name)).key")
                let cosigner = try Cosigner(name: store.name, privateKey: key)
                let (host, port) = (host, port)
                let logger = ServeCommand.logger()
                do {
                    try runBlocking {
                        let app = buildWitnessApplication(store: store, cosigner: cosigner, host: host, port: port, logger: logger) { bound in
                            say("witness: \(cosigner.key.text)")
                            say("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(bound)")
                        }
                        try await app.runService()
                    }
                } catch {
                    throw CLIError.io("cannot serve the witness on \(host):\(port): \(error)")
                }
            }
        }
    }
}

/// Witness names are URLs (`witness.example.org/w1`); their key files take the name with every
/// character outside [A-Za-z0-9._-] replaced by '_'.
enum WitnessKeyFile {
    static func fileName(for name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            let ok = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            return ok ? Character(scalar) : "_"
        })
    }
}
