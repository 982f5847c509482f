import ArgumentParser
import LedgerCommandSupport
import LedgerCore
import LedgerQuery
import LedgerStorage

/// `ledger search WORDS…`: statements whose quote or summary holds every word, newest first, a
/// page at a time; the same results as `GET /v1/search` and the `/search` page.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find statements by words in their quotes and summaries, and by platform, category or recipient.",
        discussion: """
            Every word must occur (case, accents and punctuation aside); put a phrase in double quotes. \
            A recipient finds statements about it and anyone within it (governments finds law-enforcement). \
            Prints "SEQ<TAB>PLATFORM<TAB>PUBLISHED<TAB>CATEGORY<TAB>SUMMARY", newest first, at most 50 lines; \
            when there are more, the --before that continues is printed on stderr.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only statements about this platform.") var platform: String?
    @Option(help: "Only statements of this category.") var category: String?
    @Option(help: "Only statements naming this recipient or a narrower one.") var recipient: String?
    @Option(help: "Only statements below this seq (the next page).") var before: Int64?
    @Flag(help: "One JSON object as GET /v1/search gives it: {\"results\": [entry…], \"next_before\"}.") var json = false
    @Argument(help: "Words (and \"quoted phrases\") to find.") var words: [String] = []

    func run() throws {
        try runReportingErrors {
            let terms = try SearchQuery.terms(q: words.isEmpty ? nil : words.joined(separator: " "), platform: platform, category: category,
                                              recipient: recipient)
            let store = try LedgerStore(path: global.ledger, readonly: true)
            let page = try SearchQuery.page(store, terms, before: before)
            var out = Output()
            if json {
                out.line(CanonicalJSON.string(SearchQuery.json(page)))
            } else {
                for e in page.entries {
                    out.line([String(e.seq), e.platform ?? "-", e.effectiveDate ?? "-", e.category ?? "-", EntrySummary.line(e)].joined(separator: "\t"))
                }
            }
            try out.flush()
            if let next = page.next, !json { printError("more: ledger search … --before \(next)") }
        }
    }
}
