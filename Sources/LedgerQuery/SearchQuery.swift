import LedgerCore
import LedgerStorage

/// Full-text search over statements, as `ledger search`, `GET /v1/search` and the `/search` page
/// give it: words in quotes and summaries (a "quoted phrase" as one), filtered by platform,
/// category and recipient, newest first, in pages.
public enum SearchQuery {
    /// Statements per page.
    public static let pageSize = 50
    /// The longest `q` read: longer is refused, not cut.
    public static let maxQueryLength = 512

    /// The terms of a search from what a reader typed: `q` split into words at white space,
    /// "double-quoted" runs kept as phrases; filters as slugs. Refuses (`QueryError.badOption`,
    /// naming the parameter) an empty search, an over-long one, and a filter that is no slug or
    /// no known category.
    public static func terms(q: String?, platform: String?, category: String?, recipient: String?) throws -> SearchTerms {
        let text = q ?? ""
        guard text.utf8.count <= maxQueryLength else { throw QueryError.badOption(name: "q", reason: "at most \(maxQueryLength) bytes") }
        // A word without a letter or digit ("—", "&") has nothing the index could hold.
        let words = phrases(text).filter { $0.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil } }
        guard words.count <= SearchTerms.maxWords else { throw QueryError.badOption(name: "q", reason: "at most \(SearchTerms.maxWords) words or phrases") }
        guard words.allSatisfy({ $0.count <= SearchTerms.maxWordLength }) else {
            throw QueryError.badOption(name: "q", reason: "a word or phrase of at most \(SearchTerms.maxWordLength) characters")
        }
        for (name, value) in [("platform", platform), ("recipient", recipient)] {
            if let value, !Slug.isValid(value) { throw QueryError.badOption(name: name, reason: "must be a slug such as 'telegram' or 'law-enforcement'") }
        }
        if let category, Category(rawValue: category) == nil {
            throw QueryError.badOption(name: "category", reason: "one of \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let terms = SearchTerms(words: words, platform: platform, category: category, recipient: recipient)
        guard !terms.isEmpty else { throw QueryError.badOption(name: "q", reason: "give words to search for, or a platform, category or recipient") }
        return terms
    }

    /// One page: the statements matching `terms` below seq `before` (all, if nil), newest first,
    /// and the `before` of the next page (nil on the last). Reads at most `pageSize` entries.
    public static func page(_ store: LedgerStore, _ terms: SearchTerms, before: Int64?) throws -> (entries: [StoredEntry], next: Int64?) {
        let seqs = try store.searchStatements(terms, before: before, limit: pageSize + 1)
        let entries = try seqs.prefix(pageSize).map { try store.entry(seq: $0) }
        return (entries, seqs.count > pageSize ? entries.last?.seq : nil)
    }

    /// `{"results": [entry…], "next_before": seq | null}`, each entry as `GET /v1/entries/{seq}`.
    public static func json(_ page: (entries: [StoredEntry], next: Int64?)) -> JSONValue {
        .object(["results": .array(page.entries.map(EntryJSON.entry)), "next_before": page.next.map { .integer($0) } ?? .null])
    }

    /// Words and "quoted phrases", in order; an unclosed quote runs to the end.
    static func phrases(_ text: String) -> [String] {
        var out: [String] = []
        for (i, part) in text.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            if i % 2 == 1 {
                let phrase = part.split(whereSeparator: \.isWhitespace).joined(separator: " ")
                if !phrase.isEmpty { out.append(phrase) }
            } else {
                out += part.split(whereSeparator: \.isWhitespace).map(String.init)
            }
        }
        return out
    }
}
