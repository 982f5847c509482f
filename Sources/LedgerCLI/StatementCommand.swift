import ArgumentParser
import Foundation
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
                    let body = try Body(parsing: raw)
                    try Templates.refusePlaceholders(body)
                    try store?.checkLink(body, signer: signer)
                    switch body.document {
                    case .statement(let s):
                        try s.checkDates(appendedAt: .now())
                        print("\(file): ok: statement about \(s.platform), \(s.category.rawValue), published \(s.published); sha256 \(body.sha256.hex)")
                    case .response(let r):
                        print("\(file): ok: \(r.stance.rawValue) of seq \(r.targetSeq); sha256 \(body.sha256.hex)")
                    case .signer, .withhold:
                        throw CLIError.input("schema: a \(body.kind.rawValue) document is written by `ledger signer` or `ledger withhold`, not appended")
                    }
                } catch {
                    printError("ledger: \(file): \(error)")
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// The templates of `ledger statement new`.
enum Templates {
    static func statement(platform: String, category: String) -> String {
        """
        {
          "schema": "disclosure-statement/v2",
          "platform": "\(platform)",
          "category": "\(category)",
          "summary": "One sentence in your words: what the platform says it hands over, to whom.",
          "speaker": "Who said it, e.g. the platform's press office",
          "figures": [
            { "measure": "requests-received", "count": 0, "period": { "start": "2024-01-01", "end": "2024-06-30" },
              "jurisdiction": "worldwide", "requester": "governments" },
            { "measure": "requests-with-data-produced", "share_bp": 0, "period": { "start": "2024-01-01", "end": "2024-06-30" },
              "jurisdiction": "worldwide", "requester": "governments" }
          ],
          "assertions": [
            { "polarity": "may", "action": "disclose", "recipient": "law-enforcement", "data_kinds": ["ip-address", "phone-number"],
              "condition": "When it happens, in the source's words" }
          ],
          "published": "\(Timestamp.now().date)",
          "source": {
            "url": "https://example.org/transparency-report",
            "retrieved_at": "\(Timestamp.now().secondsText)",
            "sha256": "\(String(repeating: "0", count: 64))",
            "title": "Title of the source document",
            "archive_url": "https://web.archive.org/web/2024/https://example.org/transparency-report"
          },
          "quote": "The exact words of the source, in its language.",
          "language": "en"
        }

        """
    }

    /// The field of `body` that still holds placeholder text of a template above, if any: a
    /// template passes the schema on purpose (so it can be checked as it is filled in), so the
    /// placeholders are refused by name before anything is appended.
    static func refusePlaceholders(_ body: Body) throws {
        if let field = placeholder(in: body) {
            throw CLIError.input("\(field): still holds the placeholder text of `ledger statement new`; write what the source says")
        }
    }

    static func placeholder(in body: Body) -> String? {
        switch body.document {
        case .statement(let s):
            let fields: [(String, String?, String)] = [
                ("summary", s.summary, "One sentence in your words: what the platform says it hands over, to whom."),
                ("speaker", s.speaker, "Who said it, e.g. the platform's press office"),
                ("assertions[].condition", s.assertions.lazy.compactMap(\.condition).first { $0 == "When it happens, in the source's words" }, "When it happens, in the source's words"),
                ("quote", s.quote, "The exact words of the source, in its language."),
                ("source.url", s.source.url, "https://example.org/transparency-report"),
                ("source.title", s.source.title, "Title of the source document"),
            ]
            return fields.first { $0.1 == $0.2 }?.0
        case .response(let r):
            if r.reason == "Why you endorse or dispute the statement (ledger show SEQ prints its leaf hash)." { return "reason" }
            return r.source.url == "https://example.org/evidence" ? "source.url" : nil
        case .signer, .withhold:
            return nil
        }
    }

    static let response = """
        {
          "schema": "disclosure-response/v1",
          "target": { "seq": 1, "leaf_hash": "\(String(repeating: "0", count: 64))" },
          "stance": "dispute",
          "reason": "Why you endorse or dispute the statement (ledger show SEQ prints its leaf hash).",
          "source": {
            "url": "https://example.org/evidence",
            "retrieved_at": "\(Timestamp.now().secondsText)",
            "sha256": "\(String(repeating: "0", count: 64))"
          },
          "language": "en"
        }

        """
}
