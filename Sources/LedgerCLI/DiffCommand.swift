import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerQuery
import LedgerStorage

/// `ledger diff A B`: two statements side by side, and what changed from A to B in words.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Two statements side by side, and what changed from the first to the second.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The earlier statement's seq.") var a: Int64
    @Argument(help: "The later statement's seq.") var b: Int64

    @Option(help: "table (text) or json.")
    var format: OutputFormat = .table

    func run() throws {
        try runReportingErrors {
            let diff = try DiffQuery.run(try LedgerStore(path: global.ledger, readonly: true), a, b)
            var out = Output()
            out.text(diff.render(format))
            try out.flush()
        }
    }
}
