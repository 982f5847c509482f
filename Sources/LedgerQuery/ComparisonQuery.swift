import LedgerCompare
import LedgerCore
import LedgerStorage

/// The comparison (platforms x categories as of a date) read from a ledger: what `ledger
/// compare`, `GET /v1/compare` and the pages `/` and `/compare` all show.
public enum ComparisonQuery {
    /// `platforms` empty: every platform in the ledger, in order; otherwise those named, each
    /// once (an unknown one is refused). `categories` empty: every category of the vocabulary.
    /// Reads one index range per cell (at most `Comparison.maxClaimsPerCell` claims) and the
    /// platform's zero claims; parses all bodies in one parallel pass.
    /// Every category is read even when `categories` names some: a claim in force in another
    /// category can contradict one shown (figures of data handed over against "0 bytes"), and a
    /// filter must not hide a mark.
    public static func run(_ store: LedgerStore, platforms named: [String], categories shown: [Category], asOf date: CalendarDate) throws -> Comparison {
        let categories = Category.allCases.map(\.rawValue)
        // The claims in one read snapshot; then the pages they quote (a read of its own: reads
        // do not nest on one connection).
        let read = try store.readClaims { q -> Cells in
            let known = try q.platforms()
            if let unknown = named.first(where: { !known.contains($0) }) {
                throw QueryError.unknownPlatform(unknown, category: nil, suggestion: Suggestion.nearest(to: unknown, among: known))
            }
            var list = named.isEmpty ? known : []
            for p in named where !list.contains(p) { list.append(p) }
            var groups: [[ClaimRow]] = []
            var omitted: [String: [String: Int]] = [:]
            var zeros: [String: [DisclosureFacts]] = [:]
            for p in list {
                for c in categories {
                    let (rows, total) = try q.inForce(platform: p, category: c, asOf: date.description, limit: Comparison.maxClaimsPerCell)
                    groups.append(rows)
                    if total > rows.count { omitted[p, default: [:]][c] = total - rows.count }
                }
                zeros[p] = try q.zeroClaims(platform: p, asOf: date.description).map {
                    DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes)
                }
            }
            var parsed = try ClaimReading.claims(groups: groups).makeIterator()
            var inForce: [String: [String: [Claim]]] = [:]
            for p in list {
                for c in categories { inForce[p, default: [:]][c] = parsed.next() ?? [] }
            }
            return Cells(platforms: list, inForce: inForce, omitted: omitted, zeros: zeros)
        }
        let changes = try SourceChanges.find(read.inForce.values.flatMap { $0.values.flatMap { $0 } }, store: store)
        let whole = Comparison(asOf: date.description, platforms: read.platforms, categories: categories, inForce: read.inForce,
                               omitted: read.omitted, zeroClaims: read.zeros, sourceChanges: changes)
        return shown.isEmpty ? whole : whole.only(categories: shown.map(\.rawValue))
    }

    /// What one read snapshot gives a comparison: the platforms in order, each cell's claims
    /// (the newest of its date) and how many of that date were left unread, and each
    /// platform's zero claims.
    private struct Cells {
        let platforms: [String]
        let inForce: [String: [String: [Claim]]]
        let omitted: [String: [String: Int]]
        let zeros: [String: [DisclosureFacts]]
    }
}
