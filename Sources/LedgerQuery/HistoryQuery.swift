import LedgerCompare
import LedgerCore
import LedgerStorage

/// A platform's claims over time with what changed between them: what `ledger history` shows.
public enum HistoryQuery {
    /// Every statement about `platform` (of `category`, if given), oldest first. Reads the
    /// platform's index range once, parsing rows while the next are read.
    /// `since`: only the events from that date on (changes still measured against the whole
    /// history). `maxClaims`: refuse (`QueryError.tooLarge`) a history of more statements than
    /// that, counted on the index before any is read, so one answer's time and memory are
    /// bounded (the service's limit; the command line has none).
    public static func run(_ store: LedgerStore, platform: String, category: Category?, since: CalendarDate? = nil,
                           maxClaims: Int? = nil) throws -> History {
        let category = category?.rawValue
        if let maxClaims {
            let count = try store.statementCount(platform: platform, category: category)
            guard count <= maxClaims else { throw QueryError.tooLarge(statements: count, limit: maxClaims) }
        }
        // The claims in one read snapshot; then the pages they quote (reads do not nest).
        let (claims, zeros) = try store.readClaims { q -> ([Claim], [DisclosureFacts]) in
            let claims = try ClaimReading.claims { add in
                try q.timeline(platform: platform, category: category, chunkSize: 128, add)
            }
            guard !claims.isEmpty else {
                throw QueryError.unknownPlatform(platform, category: category, suggestion: Suggestion.nearest(to: platform, among: try q.platforms()))
            }
            let zeros = category == nil ? [] : try q.zeroClaims(platform: platform, asOf: "9999-12-31", limit: 1024).map {
                DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes)
            }
            return (claims, zeros)
        }
        let history = History(platform: platform, category: category, claims: claims, zeroClaims: zeros,
                              sourceChanges: try SourceChanges.find(claims, store: store))
        return since.map { history.since($0) } ?? history
    }
}
