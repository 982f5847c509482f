import LedgerCompare
import LedgerCore
import LedgerStorage

/// A platform's claims over time with what changed between them: what `ledger history` shows.
public enum HistoryQuery {
    /// Every statement about `platform` (of `category`, if given), oldest first. Reads the
    /// platform's index range once, parsing rows while the next are read.
    public static func run(_ store: LedgerStore, platform: String, category: Category?) throws -> History {
        let category = category?.rawValue
        return try store.readClaims { q -> History in
            let claims = try ClaimReading.claims { add in
                try q.timeline(platform: platform, category: category, chunkSize: 128, add)
            }
            guard !claims.isEmpty else { throw QueryError.unknownPlatform(platform, category: category) }
            let zeros = category == nil ? [] : try q.zeroClaims(platform: platform, asOf: "9999-12-31", limit: 1024).map {
                DisclosureFacts(seq: $0.seq, effectiveDate: $0.effectiveDate, zeroScopes: $0.scopes)
            }
            return History(platform: platform, category: category, claims: claims, zeroClaims: zeros)
        }
    }
}
