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

    public init(_ s: Statement) {
        var named = Set(s.recipients)
        for a in s.assertions { if let r = a.recipient { named.insert(r) } }
        for f in s.figures { if let r = f.requester { named.insert(r) } }
        let scopes = Set(named.flatMap(RecipientHierarchy.scopes(of:)))
        self.init(platform: Self.token(s.platform), category: Self.token(s.category.rawValue),
                  recipients: scopes.map(Self.token).sorted().joined(separator: " "),
                  text: s.summary.map { s.quote + "\n" + $0 } ?? s.quote)
    }

    /// A slug as the index's single token.
    public static func token(_ slug: String) -> String {
        String(slug.map { $0 == "-" ? "_" : $0 })
    }
}
