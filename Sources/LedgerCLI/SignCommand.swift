import ArgumentParser
import Foundation
import LedgerAppend
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `ledger sign`: make the body of `POST /v1/entries` offline, with the signer's own key.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a statement offline and print the JSON to POST to /v1/entries.",
        discussion: """
            Prints {"signature":…,"signer":NAME,"statement":{…}} (canonical JSON, one line). The \
            signature is Ed25519 over the statement entry message of docs/FORMAT.md §6; no ledger \
            is opened, the server checks NAME's registered key.
            """)

    @Option(help: "The signer's private key (PKCS#8 PEM, mode 0600).") var key: String
    @Option(help: "The signer's registered name.") var signer: String
    @Argument(help: "The statement (a JSON file, or - for standard input).") var statement: String

    func run() throws {
        try runReportingErrors {
            guard SignerName.isValid(signer) else { throw CLIError.usage("'\(signer)' is not a signer name: 1-64 characters of a-z, 0-9, '.', '-', '_'") }
            let signingKey = try KeyFiles.readPrivate(key)
            let bytes = statement == "-" ? [UInt8](try readStandardInput()) : try readFile(statement)
            // What the service will accept: the same parse and refusals as `ledger append`.
            let body = try Submission(parsing: bytes, origin: .file(statement == "-" ? "stdin" : statement)).body
            let pending = try PendingEntry.sign(body, origin: .file(statement), signer: signer, key: signingKey)
            let value = try JSONParser.parse(body.canonical)
            print(CanonicalJSON.string(.object([
                "statement": value, "signer": .string(signer), "signature": .string(Base64.encode(pending.signature)),
            ])))
        }
    }
}
