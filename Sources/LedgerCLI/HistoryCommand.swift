import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A platform's claims, oldest first, with what changed between consecutive claims of a category.",
        discussion: """
            Every statement about PLATFORM by effective date, with its status (live, amended by N, \
            retracted by N, retracts N), endorsements and disputes, marks (conflict, contradicts, \
            contradicted-by) and, for each live claim, the fields added (+), removed (-) and \
            changed (~) since the previous live claim of its category, with quantity deltas. \
            With --limit, --after, --before or --latest, one page of those events, each as the \
            whole history gives it; the time and memory are the page's on a platform with one \
            signer per category.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The platform.")
    var platform: String

    @Option(help: "Only this category.")
    var category: String?

    @Option(help: "Only the events from this date on (YYYY-MM-DD); what changed is still measured against the whole history.")
    var since: String?

    @Option(help: "At most this many events (a page); 'more:' (JSON: \"next\") then names the next page.")
    var limit: Int?

    @Option(help: "The page after this cursor (DATE.SEQ), oldest first.")
    var after: String?

    @Option(help: "The page before this cursor (DATE.SEQ): paging back from the newest.")
    var before: String?

    @Flag(help: "The newest events (a page of --limit, 100 by default).")
    var latest = false

    @Option(help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        try runReportingErrors {
            let platform = try QueryOptions.platform(self.platform)
            let category = try QueryOptions.category(self.category)
            let store = try LedgerStore(path: global.ledger, readonly: true, mapped: false)
            let since = try QueryOptions.date(self.since, option: "--since")
            let window = try QueryOptions.window(limit: limit, after: after, before: before, latest: latest)
            let history = try HistoryQuery.run(store, platform: platform, category: category, since: since, window: window)
            var out = Output()
            out.text(history.render(format))
            try out.flush()
            // A table says where the next page is in its last line and JSON in "next"; CSV and
            // Markdown stay parseable, so the reader learns it on standard error.
            if format == .csv || format == .markdown, let next = history.next?.cursorField {
                printError("more: --\(next.name) \(next.cursor.text)")
            }
        }
    }
}
