import LedgerCore

/// What a query cannot answer, each the caller's to fix.
public enum QueryError: KindedError, Equatable, CustomStringConvertible {
    case unknownPlatform(String, category: String?, suggestion: String?)
    case tooLarge(statements: Int64, limit: Int)
    /// An option (`--measure`, `?measure=`) whose value the query does not know.
    case badOption(name: String, reason: String)

    public var kind: FailureKind { .caller }

    public var description: String {
        switch self {
        case .unknownPlatform(let p, let c, let suggestion):
            return "no statement in the ledger is about platform '\(p)'" + (c.map { " in category \($0)" } ?? "")
                + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .badOption(let name, let reason):
            return "\(name): \(reason)"
        case .tooLarge(let n, let limit):
            return "this history holds \(n) statements, more than the \(limit) one answer holds; narrow it with a category, or read the entries in pages (/v1/entries?platform=...)"
        }
    }
}
