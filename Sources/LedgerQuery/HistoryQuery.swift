import LedgerCompare
import LedgerCore
import LedgerStorage

/// `ledger history`, and the service's history and platform pages.
public enum HistoryQuery {
    /// The statements about `platform` (of `category`, if given) that `window` holds, oldest
    /// first, each with the status, changes and marks the whole history gives it. `since`: only
    /// the events from that date on are listed and paged (changes still measured against the
    /// whole history). `maxClaims`: refuse (`QueryError.tooLarge`) a history of more statements
    /// than that, counted on the index before any is read (the service's bound on one answer's
    /// work; the command line has none).
    ///
    /// Cost: the platform's index rows (no bodies), then the bodies `HistoryReadPlan` picks,
    /// decoded on every core: for a page, about twice the page plus a short prefix on a
    /// single-signer platform, not the platform's length.
    public static func run(_ store: LedgerStore, platform: String, category: Category?, since: CalendarDate? = nil,
                           window: HistoryWindow = .all, maxClaims: Int? = nil) throws -> History {
        let category = category?.rawValue
        if let maxClaims {
            let count = try store.statementCount(platform: platform, category: category)
            guard count <= maxClaims else { throw QueryError.tooLarge(statements: count, limit: maxClaims) }
        }
        // The claims in one read snapshot; then the pages they quote (reads do not nest).
        let (page, claims, zeros) = try store.readClaims { q -> (HistoryReadPlan?, [Claim], [DisclosureFacts]) in
            // The claims of absence the marks compare with: with a category, every live one of
            // the platform (a figure of one category contradicts a claim of another); without,
            // those of the history itself, whose bodies are not withheld.
            func zeros(withheld: (Int64) -> Bool) throws -> [DisclosureFacts] {
                try q.zeroClaims(platform: platform, asOf: "9999-12-31", limit: category == nil ? Int.max : 1024)
                    .filter { category != nil || !withheld($0.seq) }
                    .map { DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes) }
            }
            if window == .all {
                // Every claim: one read of the platform's range with the bodies, parsed on the
                // other core while the next rows are read (about 15 % faster than by seq).
                let claims = try ClaimReading.claims { add in try q.timeline(platform: platform, category: category, chunkSize: 128, add) }
                guard !claims.isEmpty else { throw try Self.unknown(platform, category: category, q) }
                let withheld = Set(claims.filter(\.isWithheld).map(\.seq))
                return (nil, claims, try zeros { withheld.contains($0) })
            }
            // The rows without bodies, in index order; the plan puts them in timeline order.
            var indexRows: [ClaimRow] = []
            try q.timeline(platform: platform, category: category, full: false, chunkSize: 4096) { indexRows += $0 }
            guard !indexRows.isEmpty else { throw try Self.unknown(platform, category: category, q) }
            var plan = HistoryReadPlan(rows: indexRows, since: since, window: window)
            let rows = plan.rows
            let withheld = Set(rows.filter(\.withheld).map(\.seq))
            let zeroFacts = try zeros { withheld.contains($0) }
            try plan.addFirstContradictions(zeros: zeroFacts, disclosures: try q.disclosures(platform: platform, category: category))
            // The planned claims, whole rows read by seq in chunks, parsed on the other core
            // while the next chunk is read.
            func decode(_ positions: [Int]) throws -> [Claim] {
                try ClaimReading.claims(reading: { add in
                    for start in stride(from: 0, to: positions.count, by: 128) {
                        add(try positions[start..<min(positions.count, start + 128)].map { try q.claim(seq: rows[$0].seq) ?? rows[$0] })
                    }
                })
            }
            var claims = try decode(plan.needed.sorted())
            let more = plan.periodGroups(decoded: claims)
            if !more.isEmpty { claims += try decode(more) }
            return (plan, claims, zeroFacts)
        }
        let pageSeqs = page.map { plan in Set(plan.page.map { plan.rows[$0].seq }) }
        var history = History(platform: platform, category: category, claims: claims, zeroClaims: zeros,
                              sourceChanges: try SourceChanges.find(pageSeqs.map { s in claims.filter { s.contains($0.seq) } } ?? claims, store: store),
                              only: pageSeqs)
        history.next = page?.next
        return since.map { history.since($0) } ?? history
    }

    private static func unknown(_ platform: String, category: String?, _ q: ClaimQueries) throws -> QueryError {
        .unknownPlatform(platform, category: category, suggestion: Suggestion.nearest(to: platform, among: try q.platforms()))
    }
}
