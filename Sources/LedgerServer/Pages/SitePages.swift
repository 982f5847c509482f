import Foundation
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

/// Every web page and feed, built from the ledger: `PageRoutes` answers with them, and
/// `ledger publish` writes them as files (`StaticSite`). One query and one render per page.
struct SitePages {
    let store: LedgerStore
    let origin: String
    /// Where readers reach the pages, for the feeds' absolute links (no trailing slash).
    let base: String
    /// The most statements a platform's timeline (changes and marks) is built from.
    let historyLimit: Int
    let hashCache: HashCache?

    /// The matrix `/` and `/compare` show: every platform and category as of `asOf`.
    func comparison(asOf: CalendarDate) throws -> Comparison {
        try ComparisonQuery.run(store, platforms: [], categories: [], asOf: asOf)
    }

    /// `/`: the platforms, the comparison, the latest answers and checkpoint.
    func index(_ comparison: Comparison) throws -> String {
        IndexPage.render(platforms: try store.platformSummaries(), comparison: comparison,
                         answers: try store.links(limit: IndexPage.latestAnswers),
                         checkpoint: try store.latestCosignedCheckpoint(), origin: origin)
    }

    /// `/compare`: the matrix.
    func compare(_ comparison: Comparison) -> String { ComparePage.page(comparison, origin: origin) }

    /// `/compare?recipient=`: who gives what to `recipient`, as of `asOf`.
    func recipient(_ recipient: String, measure: String? = nil, period: String? = nil, asOf: CalendarDate) throws -> String {
        let view = try RecipientQuery.run(store, recipient: recipient, measure: measure, period: period, platforms: [], asOf: asOf)
        return ComparePage.recipientPage(view, origin: origin)
    }

    /// The events of the platform's history that `window` holds, with changes and marks, if the
    /// platform is within `historyLimit`.
    func history(platform: String, window: HistoryWindow = .all) throws -> History? {
        // Counted here, once: past the limit the caller shows the plain list, not a refusal.
        let count = try store.statementCount(platform: platform)
        guard count > 0, count <= historyLimit else { return nil }
        return try HistoryQuery.run(store, platform: platform, category: nil, window: window)
    }

    /// `/platforms/{p}`: the timeline with changes and marks, a page of the newest before
    /// `before`, within the history limit (cut from `whole`, the platform's whole history, if the
    /// caller already read it); beyond it, the plain list a page at a time. Nil if the ledger has
    /// no statement about `platform` and no page was asked for.
    func platform(_ platform: String, before: TimelineCursor?, whole: History? = nil) throws -> String? {
        let window = HistoryWindow.newest(before: before, limit: PlatformPage.pageSize)
        // The years linked, and the total as their sum: one walk of the platform's index.
        func years() throws -> (total: Int64, years: [Int]) {
            let years = try store.statementYears(platform: platform)
            return (Int64(years.reduce(0) { $0 + $1.count }), years.map(\.year))
        }
        if let page = try whole.map({ $0.page(window) }) ?? history(platform: platform, window: window) {
            let (total, years) = try years()
            return PlatformPage.timeline(platform: platform, page: page, total: total, years: years, origin: origin)
        }
        let page = try store.entries(matching: EntryQuery(platform: platform, limit: PlatformPage.pageSize, order: .latestEffectiveFirst(before: before)))
        guard !page.isEmpty || before != nil else { return nil }
        let (total, years) = try years()
        return PlatformPage.render(platform: platform, page: page, total: total, years: years, origin: origin)
    }

    /// `/platforms/{p}/history/{year}` (`?part=N`, from 1): the events published in `year`,
    /// `PlatformPage.yearPageSize` at a time, oldest first, as the whole history gives them (cut
    /// from `whole` if the caller already read it); past the history limit, the plain list of
    /// those statements. Nil when the year has no such part. `count`: the year's statements, if
    /// the caller knows it (a publication renders every part of a year).
    func year(_ platform: String, _ year: Int, part: Int, whole: History? = nil, count known: Int? = nil) throws -> String? {
        let size = PlatformPage.yearPageSize
        guard let count = try known ?? store.statementYears(platform: platform).first(where: { $0.year == year })?.count,
              part >= 1, part <= PlatformPage.yearParts(count) else { return nil }
        let statements: PlatformPage.YearStatements
        let window = HistoryWindow.year(year, part: part - 1, size: size)
        if let page = try whole.map({ $0.page(window) }) ?? history(platform: platform, window: window) {
            statements = .timeline(page)
        } else {
            statements = .list(try store.entries(matching: EntryQuery(platform: platform, fromDate: "\(year)-01-01", toDate: "\(year)-12-31",
                                                                      limit: size, order: .effectiveOldestFirst(offset: (part - 1) * size))))
        }
        return PlatformPage.year(platform: platform, year: year, part: part, parts: PlatformPage.yearParts(count), page: statements, origin: origin)
    }

    /// `/platforms/{p}/documents`: the archived versions of its pages, a page at a time.
    func documents(platform: String, after: Int64?) throws -> String {
        let rows = try DocumentQuery.versions(store, platform: platform, after: after)
        let next = rows.count == DocumentQuery.pageSize ? rows.last?.seq : nil
        return DocumentPages.list(platform: platform, rows: rows, next: next, origin: origin)
    }

    /// `/documents/diff?from=&to=`: what changed between two archived versions.
    func documentDiff(from: Int64, to: Int64) throws -> String {
        let (a, b, diff) = try DocumentQuery.diff(store, old: from, new: to)
        return DocumentPages.diff(old: (from, a), new: (to, b), diff: diff, origin: origin)
    }

    /// `/entries/{seq}`: the entry as a card, with its inclusion proof to the checkpoint of
    /// `proofSize` (the latest if nil), its answers and, for a statement, its marks from the
    /// platform's history (`history`, if the caller already read the whole of it).
    func entry(seq: Int64, proofSize: Int64? = nil, history: History?? = nil) throws -> String {
        try entry(try store.entry(seq: seq), proofSize: proofSize, history: history)
    }

    /// `entry(seq:...)` of an entry already read.
    func entry(_ entry: StoredEntry, proofSize: Int64?, history: History??) throws -> String {
        let (proof, root, _, note) = try store.inclusionProof(seq: entry.seq, size: proofSize, cache: hashCache)
        let checkpoint = try note ?? store.latestCosignedCheckpoint()
        let signerKey = try? store.keyHistory(before: entry.seq).key(for: entry.signer, kind: .statement)
        var input = EntryPage.Input(entry: entry, signerKey: signerKey, proof: proof, root: root, checkpoint: checkpoint,
                                    base: base, origin: origin)
        if let s = entry.parsedStatement {
            input.archivedSource = try store.archivedPageRows(contentSHA256s: [s.source.sha256])[s.source.sha256]?.seq
            input.answers = try store.links(answering: entry.seq, limit: 100)
            // Its marks come from its platform's history (a figure of one category contradicts a
            // claim of another), within the same limit as the platform page.
            if let history = try history ?? self.history(platform: s.platform, window: .entry(entry.seq)) {
                input.marks = history.events.first { $0.claim.seq == entry.seq }?.marks ?? []
            }
        }
        return EntryPage.render(input)
    }

    /// `/feeds/{p}.atom`: its newest statements; nil if the ledger has none about `platform`.
    func feed(platform: String) throws -> String? {
        let newest = try store.entries(matching: EntryQuery(platform: platform, limit: AtomFeed.maxEntries, order: .newestFirst))
        guard !newest.isEmpty else { return nil }
        let changes = try DocumentQuery.wordingChanges(store, entries: newest)
        return AtomFeed.render(platform: platform, entries: newest, changes: changes, base: base, origin: origin)
    }

    /// `/feeds/documents/{p}.atom`: the newest archived versions of its pages.
    func documentsFeed(platform: String) throws -> String {
        let rows = try DocumentQuery.newest(store, platform: platform, count: AtomFeed.maxEntries)
        return AtomFeed.documents(platform: platform, rows: rows, base: base, origin: origin)
    }
}
