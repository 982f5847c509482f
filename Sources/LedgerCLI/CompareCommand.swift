import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Platforms x categories: the claim in force on a date, with the seq and signer behind it.",
        discussion: """
            Each cell is the live claim (corrections applied) published latest on or before --as-of \
            (default: today, UTC); if several share that date, the last appended is shown and the \
            others' seqs beside it. Marks: conflict (signers disagree on that date), contradicts / \
            contradicted-by (figures of data produced to a recipient that a claim of absence covers). \
            +E/-D counts endorsements and disputes. See docs/SCHEMA.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Platforms to compare (default: every platform in the ledger).")
    var platforms: [String] = []

    @Option(help: "Only this category.")
    var category: String?

    @Option(name: .customLong("as-of"), help: "The date to look at (YYYY-MM-DD; default today, UTC).")
    var asOf: String?

    @Option(help: "Who gives data to this recipient (e.g. governments), and how much: one row per platform with its figures for it or a narrower recipient and its stated policy.")
    var recipient: String?

    @Option(help: "With --recipient: only figures of this measure (e.g. requests-with-data-produced).")
    var measure: String?

    @Option(help: "With --recipient: only figures whose period overlaps this one (2023, 2023-H1, 2023-Q3 or 2023-01-01..2023-06-30).")
    var period: String?

    @Option(help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    @Option(help: "Wrap the table to this many columns (0: never). Default: the terminal's width when standard output is a terminal, else no wrapping.")
    var width: Int?

    func run() throws {
        try runReportingErrors {
            let category = try QueryOptions.category(self.category)
            let date = try QueryOptions.date(asOf, option: "--as-of") ?? Timestamp.now().date
            let named = try platforms.map(QueryOptions.platform)
            if let width, width < 0 { throw CLIError.usage("--width must be 0 (no wrapping) or more") }
            let tableWidth = TerminalWidth.forTables(option: width)
            let store = try LedgerStore(path: global.ledger, readonly: true, mapped: true)
            if let recipient {
                let view = try RecipientQuery.run(store, recipient: recipient, measure: measure, period: period, platforms: named, asOf: date)
                var out = Output()
                out.text(view.render(format, width: tableWidth))
                try out.flush()
                return
            }
            guard measure == nil && period == nil else { throw CLIError.usage("--measure and --period go with --recipient") }
            let comparison = try ComparisonQuery.run(store, platforms: named, categories: category.map { [$0] } ?? [], asOf: date)
            var out = Output()
            out.text(comparison.render(format, width: tableWidth))
            try out.flush()
        }
    }
}
