/// Whether a statement's quote is in an archived page's text, compared as `disclosure-text/v1`
/// normalises both (Unicode NFC, each run of whitespace one space, line breaks included): a
/// quote that differs only in spacing or Unicode form is found; a paraphrase is not, and the
/// passage nearest to it is named instead.
public enum QuoteCheck {
    public enum Outcome: Equatable, Sendable {
        case found
        /// Not in the text; `nearest` is the passage of as many words sharing the most of them.
        case notFound(nearest: String?)
    }

    /// Looks for `quote` in `text`. Linear in the text's length for the search; the nearest
    /// passage is one more linear pass over its words.
    public static func check(_ quote: String, in text: String) -> Outcome {
        let q = TextExtraction.normalise(quote)
        let t = TextExtraction.normalise(text)
        guard !q.isEmpty else { return .notFound(nearest: nil) }
        if t.contains(q) { return .found }
        return .notFound(nearest: nearest(to: q, in: t))
    }

    /// The window of the quote's word count in `text` holding the most of the quote's words
    /// (counted with repeats), the first such; nil when no word is shared. Words are compared
    /// without case and without the punctuation around them.
    static func nearest(to quote: String, in text: String) -> String? {
        let quoteWords = quote.split(separator: " ").map(key)
        let words = text.split(separator: " ")
        let n = quoteWords.count
        guard n > 0, !words.isEmpty else { return nil }
        let width = min(n, words.count)
        var wanted: [Substring: Int] = [:]
        for w in quoteWords { wanted[w, default: 0] += 1 }
        var have: [Substring: Int] = [:]
        var shared = 0
        func add(_ w: Substring) {
            have[w, default: 0] += 1
            if have[w, default: 0] <= wanted[w, default: 0] { shared += 1 }
        }
        func remove(_ w: Substring) {
            if have[w, default: 0] <= wanted[w, default: 0] { shared -= 1 }
            have[w, default: 0] -= 1
        }
        let keys = words.map(key)
        for i in 0..<width { add(keys[i]) }
        var best = (shared: shared, start: 0)
        var start = 0
        while start + width < keys.count {
            remove(keys[start])
            add(keys[start + width])
            start += 1
            if shared > best.shared { best = (shared, start) }
        }
        guard best.shared > 0 else { return nil }
        return words[best.start..<best.start + width].joined(separator: " ")
    }

    /// A word as compared: lowercase, without the punctuation around it.
    static func key(_ word: Substring) -> Substring {
        let trimmed = word.drop { !$0.isLetter && !$0.isNumber }.reversed().drop { !$0.isLetter && !$0.isNumber }
        return Substring(String(trimmed.reversed()).lowercased())
    }
}
