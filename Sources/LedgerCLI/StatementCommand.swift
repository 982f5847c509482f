import ArgumentParser
import Foundation
import LedgerAppend
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement", abstract: "Write and check statement files without appending them.",
        subcommands: [New.self, Check.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a valid template statement (or, with --response, an endorsement/dispute) to fill in.",
            discussion: "Every field is shown with a placeholder of the right shape; `ledger statement check` names each placeholder left in until it is replaced. docs/SCHEMA.md explains each field.")

        @Option(help: "Pre-fill the platform.") var platform = "example-platform"
        @Option(help: "Pre-fill the category.") var category = Category.thirdPartySharing.rawValue
        @Flag(help: "Print a disclosure-response/v1 template instead.") var response = false

        func run() throws {
            try runReportingErrors {
                _ = try QueryOptions.platform(platform)
                _ = try QueryOptions.category(category)
                print(response ? Templates.response : Templates.statement(platform: platform, category: category), terminator: "")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate statement or response files without appending anything.",
            discussion: """
                Checks each FILE against its schema and, when the ledger exists, its correction \
                (supersedes) or response target against the ledger. Prints "FILE: ok …" per valid \
                file; for an invalid one, every mistake gets a line on stderr, "FILE:LINE:COLUMN: \
                field: message", and the exit status is 1.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Check corrections and responses as if signed by this signer.") var signer: String?
        @Argument(help: "Statement or response files.") var files: [String]

        func run() throws {
            var failed = false
            let store = FileManager.default.fileExists(atPath: global.ledger) ? try? LedgerStore(path: global.ledger, readonly: true) : nil
            for file in files {
                do {
                    let raw = try readFile(file)
                    let problems = Body.problems(in: raw)
                    guard problems.isEmpty else {
                        for p in problems { printError("ledger: \(file):\(p)") }
                        failed = true
                        continue
                    }
                    let submission = try Submission(parsing: raw, origin: .file(file))
                    let body = submission.body
                    try store?.checkLink(body, signer: signer)
                    if let store { try AppendPrecheck.checkQuotes([submission], store: store) }
                    switch body.document {
                    case .statement(let s):
                        try s.checkDates(appendedAt: .now())
                        print("\(file): ok: statement about \(s.platform), \(s.category.rawValue), published \(s.published); sha256 \(body.sha256.hex)")
                    case .response(let r):
                        print("\(file): ok: \(r.stance.rawValue) of seq \(r.targetSeq); sha256 \(body.sha256.hex)")
                    case .signer, .withhold, .archive:
                        throw CLIError.input("schema: a \(body.kind.rawValue) document is written by `ledger signer` or `ledger withhold`, not appended")
                    }
                } catch let e as AppendError {
                    printError("ledger: \(e)")
                    failed = true
                } catch {
                    printError("ledger: \(file): \(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
