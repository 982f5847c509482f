import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerStorage

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "A platform's claims, oldest first, with what changed between consecutive claims of a category.",
        discussion: """
            Every statement about PLATFORM by effective date, with its status (live, amended by N, \
            retracted by N, retracts N), endorsements and disputes, marks (conflict, contradicts, \
            contradicted-by) and, for each live claim, the fields added (+), removed (-) and \
            changed (~) since the previous live claim of its category, with quantity deltas.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The platform.")
    var platform: String

    @Option(help: "Only this category.")
    var category: String?

    @Option(help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        ClaimLoading.tuneAllocator()
        try runReportingErrors {
            let platform = try ClaimLoading.platform(self.platform)
            let category = try ClaimLoading.category(self.category)?.rawValue
            let store = try LedgerStore(path: global.ledger, readonly: true, mapped: false)
            let history = try store.readClaims { q -> History in
                let claims = try ClaimLoading.claims { add in
                    try q.timeline(platform: platform, category: category, chunkSize: 128, add)
                }
                guard !claims.isEmpty else {
                    throw CLIError.input("no statement in the ledger is about platform '\(platform)'\(category.map { " in category \($0)" } ?? "")")
                }
                let zeros = category == nil ? [] : try q.zeroClaims(platform: platform, asOf: "9999-12-31", limit: 1024).map {
                    DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes)
                }
                return History(platform: platform, category: category, claims: claims, zeroClaims: zeros)
            }
            var out = Output()
            out.text(history.render(format))
            try out.flush()
            ClaimLoading.exitKeeping(history)
        }
    }
}
