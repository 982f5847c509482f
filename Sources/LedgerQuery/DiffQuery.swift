import LedgerCompare
import LedgerCore
import LedgerStorage

/// Two statements read for `ledger diff`.
public enum DiffQuery {
    /// The statements at `a` and `b` (each with its corrections and responses), in one read.
    public static func run(_ store: LedgerStore, _ a: Int64, _ b: Int64) throws -> ClaimDiff {
        try store.readClaims { q in
            func claim(_ seq: Int64) throws -> Claim {
                guard let row = try q.claim(seq: seq) else {
                    throw QueryError.badOption(name: "seq", reason: "entry \(seq) is not a statement in this ledger")
                }
                return try ClaimReading.claim(row)
            }
            return ClaimDiff(before: try claim(a), after: try claim(b))
        }
    }
}
