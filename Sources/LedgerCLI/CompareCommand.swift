import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerStorage

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Platforms x categories: the claim in force on a date, with the seq and signer behind it.",
        discussion: """
            Each cell is the live claim (corrections applied) with the latest effective date on or \
            before --as-of (default: today, UTC); if several share that date, the last appended is \
            shown and the others' seqs beside it. Marks: conflict (signers disagree on that date), \
            contradicts / contradicted-by (a positive disclosure figure after a zero claim). +E/-D \
            counts endorsements and disputes. See docs/SCHEMA.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Platforms to compare (default: every platform in the ledger).")
    var platforms: [String] = []

    @Option(help: "Only this category.")
    var category: String?

    @Option(name: .customLong("as-of"), help: "The date to look at (YYYY-MM-DD; default today, UTC).")
    var asOf: String?

    @Option(help: "table, json, csv or markdown.")
    var format: OutputFormat = .table

    func run() throws {
        ClaimLoading.tuneAllocator()
        try runReportingErrors {
            let category = try ClaimLoading.category(self.category)
            let date = try ClaimLoading.date(asOf, option: "--as-of") ?? Timestamp.now().date
            let named = try platforms.map(ClaimLoading.platform)
            let store = try LedgerStore(path: global.ledger, readonly: true, mapped: true)
            let categories = category.map { [$0.rawValue] } ?? Category.allCases.map(\.rawValue)
            let comparison = try store.readClaims { q -> Comparison in
                let known = try q.platforms()
                if let unknown = named.first(where: { !known.contains($0) }) {
                    throw CLIError.input("no statement in the ledger is about platform '\(unknown)'")
                }
                var list = named.isEmpty ? known : []
                for p in named where !list.contains(p) { list.append(p) }
                // Read every cell's rows (index seeks), then parse all bodies in one parallel pass.
                var groups: [[ClaimRow]] = []
                var zeros: [String: [DisclosureFacts]] = [:]
                for p in list {
                    for c in categories { groups.append(try q.inForce(platform: p, category: c, asOf: date.description)) }
                    zeros[p] = try q.zeroClaims(platform: p, asOf: date.description).map {
                        DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes)
                    }
                }
                var parsed = try ClaimLoading.claims(groups: groups).makeIterator()
                var inForce: [String: [String: [Claim]]] = [:]
                for p in list {
                    for c in categories { inForce[p, default: [:]][c] = parsed.next() ?? [] }
                }
                return Comparison(asOf: date.description, platforms: list, categories: categories, inForce: inForce, zeroClaims: zeros)
            }
            var out = Output()
            out.text(comparison.render(format))
            try out.flush()
            ClaimLoading.exitKeeping(comparison)
        }
    }
}
