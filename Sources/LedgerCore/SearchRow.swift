/// What the full-text search index holds for one statement (the `search` table, docs/FORMAT.md
/// §13): derived from its signed body alone, so the audit recomputes each row and compares.
/// Slugs are written as single tokens (`law-enforcement` → `law_enforcement`: the index's
/// tokenizer keeps `_` inside a word and splits at `-`), so a filter on a recipient matches
/// that recipient and no other.
public struct SearchRow: Equatable, Sendable {
    /// The platform's slug as a token.
    public let platform: String
    /// The category's slug as a token.
    public let category: String
    /// Every recipient the statement names (its `recipients`, its assertions' recipients, its
    /// figures' requesters) and every broader one they are within, as tokens, sorted and
    /// separated by one space: a search for `governments` finds law enforcement's figures.
    public let recipients: String
    /// The quote, then a line feed and the summary when there is one: the words searched.
    public let text: String

    public init(platform: String, category: String, recipients: String, text: String) {
        self.platform = platform
        self.category = category
        self.recipients = recipients
        self.text = text
    }

    /// Built for every statement appended, mirrored and audited, so it works on small arrays
    /// (a statement names a handful of recipients) rather than hashed sets.
    public init(_ s: Statement) {
        var named: [String] = []
        func add(_ r: String) { if !named.contains(r) { named.append(r) } }
        s.recipients.forEach(add)
        for a in s.assertions { if let r = a.recipient { add(r) } }
        for f in s.figures { if let r = f.requester { add(r) } }
        var scopes: [String] = []
        for r in named { for scope in RecipientHierarchy.scopes(of: r) where !scopes.contains(scope) { scopes.append(scope) } }
        var tokens = scopes.map(Self.token)
        tokens.sort()
        self.init(platform: Self.token(s.platform), category: Self.token(s.category.rawValue),
                  recipients: tokens.joined(separator: " "),
                  text: s.summary.map { s.quote + "\n" + $0 } ?? s.quote)
    }

    /// A slug as the index's single token.
    public static func token(_ slug: String) -> String {
        let hyphen = UInt8(ascii: "-")
        guard slug.utf8.contains(hyphen) else { return slug }
        return String(decoding: slug.utf8.map { $0 == hyphen ? UInt8(ascii: "_") : $0 }, as: UTF8.self)
    }
}
