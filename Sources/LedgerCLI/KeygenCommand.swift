import ArgumentParser
import LedgerCommandSupport
import LedgerCore

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen", abstract: "Write keys/NAME.key (PKCS#8, mode 0600) and keys/NAME.pub (SPKI) and print the verifier key.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The signer's name (a-z, 0-9, '.', '-', '_').")
    var name: String

    func run() throws {
        try runReportingErrors {
            guard SignerName.isValid(name), name != SignerName.log else {
                throw CLIError.usage("'\(name)' is not a usable signer name: 1-64 characters of a-z, 0-9, '.', '-', '_', not 'log'")
            }
            let key = try KeyFiles.generate(dir: global.keys, name: name)
            print(try NoteVerifierKey(name: name, publicKey: key.publicKey).text)
        }
    }
}
