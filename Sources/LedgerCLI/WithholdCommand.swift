import ArgumentParser
import LedgerCommandSupport
import LedgerStorage

struct WithholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "withhold",
        abstract: "Stop serving a statement's or archived page's body (court order, personal data) with a notice signed by the log key.",
        discussion: "The entry, its digest, its signature and every proof stay valid; ledger-verify reports it as withheld.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The statement's or archived page's seq.") var seq: Int64
    @Option(help: "Why the body is withheld (public).") var reason: String
    @Flag(help: "Do not ask for confirmation (asked only at a terminal).") var yes = false

    func run() throws {
        try runReportingErrors {
            let (store, logKey) = try KeyFiles.openForWriting(global)
            try confirm("Withhold the body of seq \(seq) (\"\(reason)\")?", yes: yes)
            let appended = try store.withhold(seq: seq, reason: reason, logKey: logKey)
            print("\(appended.seq) \(appended.leafHash.hex) withhold \(seq)")
        }
    }
}
