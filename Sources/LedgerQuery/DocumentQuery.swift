import LedgerCompare
import LedgerCore
import LedgerStorage
import LedgerText

/// Archived pages as `ledger source` and the pages and `/v1` routes show them.
public enum DocumentQuery {
    /// The archived page at `seq`; refused with what to do when `seq` is another kind of entry
    /// or the page is withheld. Reads one entry.
    public static func page(_ store: LedgerStore, seq: Int64) throws -> ArchivedDocument {
        guard let d = try store.archivedPage(seq: seq) else {
            throw QueryError.badOption(name: "seq", reason: "seq \(seq): the page is withheld by a signed notice; its digest and proofs remain")
        }
        return d
    }

    /// Two versions of a page and what changed between them, word by word.
    public static func diff(_ store: LedgerStore, old: Int64, new: Int64) throws -> (old: ArchivedDocument, new: ArchivedDocument, diff: TextDiff) {
        let a = try page(store, seq: old), b = try page(store, seq: new)
        return (a, b, TextDiff(from: a.text, to: b.text))
    }

    /// The statements among `entries` whose quoted page changed its wording since (by seq): what
    /// a feed of a platform's statements marks. The same rule as compare's `wording-changed`.
    public static func wordingChanges(_ store: LedgerStore, entries: [StoredEntry]) throws -> [Int64: SourceChange] {
        let claims = entries.compactMap { e -> Claim? in
            guard let bytes = e.body, let s = (try? Body(stored: bytes))?.statement else { return nil }
            return Claim(seq: e.seq, signer: e.signer, appendedAt: e.time, platform: s.platform, category: s.category.rawValue,
                         effectiveDate: s.published.description, statement: s)
        }
        return try SourceChanges.find(claims, store: store)
    }

    /// The pages most rows a listing shows at once.
    public static let pageSize = 500

    /// A platform's newest archived pages, highest seq first (a feed of its pages' changes).
    public static func newest(_ store: LedgerStore, platform: String, count: Int) throws -> [DocumentRow] {
        try store.archivedPages(platform: platform, from: 0, limit: count, newestFirst: true)
    }

    /// One page of a platform's archived pages, from seq `after` + 1 on, in seq order.
    public static func versions(_ store: LedgerStore, platform: String?, after: Int64? = nil) throws -> [DocumentRow] {
        try store.archivedPages(platform: platform, from: (after ?? -1) + 1, limit: pageSize)
    }
}
