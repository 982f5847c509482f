import LedgerCompare
import LedgerCore
import LedgerStorage

/// Which statements one page of a history must decode for its events to equal the whole
/// history's, planned on the platform's index rows (no bodies). Besides the page's own claims:
/// - each live claim's comparison: the claim it amends, else the previous live claim of its
///   category;
/// - in a category whose live claims have more than one signer, every live claim of it (a
///   conflict is a disagreement on the same date or about the same period, and periods are in
///   the bodies);
/// - for each claim of absence, the first live claim that contradicts it, which `History` marks
///   (`addFirstContradictions`, on the bodiless `disclosures` rows).
/// So a page of a platform with one signer per category decodes about twice its own claims,
/// whatever the platform's length; what grows with the platform is the index rows read (no
/// bodies) and, when a claim of absence is contradicted late or never, the `disclosures` rows.
struct HistoryReadPlan {
    /// The timeline, oldest first (effective date, then seq).
    let rows: [ClaimRow]
    /// The positions in `rows` of the page's events.
    let page: Range<Int>
    let next: HistoryWindow?
    /// The positions in `rows` to decode.
    private(set) var needed: Set<Int>
    /// Each row's position, by seq.
    private let position: [Int64: Int]

    /// `since`: the events before it are not listed, and the window pages over the rest.
    init(rows: [ClaimRow], since: CalendarDate?, window: HistoryWindow) {
        self.rows = rows
        let visible = since.map { s in rows.firstIndex { $0.effectiveDate >= s.description } ?? rows.count } ?? 0
        let (positions, next) = window.select(rows[visible...].map(\.cursor))
        page = (positions.lowerBound + visible)..<(positions.upperBound + visible)
        self.next = next
        needed = Set(page)
        position = Dictionary(rows.enumerated().map { ($0.element.seq, $0.offset) }, uniquingKeysWith: { a, _ in a })
        // What each live claim of the page is compared with (`History`'s `before`).
        var lastLive: [String: Int] = [:]
        for i in 0..<page.upperBound where rows[i].isLive {
            if page.contains(i) {
                if let c = rows[i].corrects, c.kind == LinkKind.amendment.rawValue, let p = position[c.target] {
                    needed.insert(p)
                } else if let p = lastLive[rows[i].category] {
                    needed.insert(p)
                }
            }
            lastLive[rows[i].category] = i
        }
        // Conflicts need more than one signer among a category's live claims.
        var signers: [String: Set<String>] = [:]
        for r in rows where r.isLive { signers[r.category, default: []].insert(r.signer) }
        let categories = Set(page.map { rows[$0].category }).filter { (signers[$0]?.count ?? 0) > 1 }
        if !categories.isEmpty {
            for (i, r) in rows.enumerated() where r.isLive && categories.contains(r.category) { needed.insert(i) }
        }
    }

    /// Adds, for each of `zeros`, the first live claim in timeline order that contradicts it
    /// (`History` marks that one), found on the `disclosures` rows (`ClaimQueries.disclosures`,
    /// timeline order) without decoding a body: any decoded set holding those claims gives the
    /// whole history's contradiction marks. Stops when every claim of absence has one. Nil
    /// `disclosures` (a file without the table): decodes every claim instead.
    /// Cost: parsing the rows up to the last first contradiction; all of them when one has none.
    mutating func addFirstContradictions(zeros: [DisclosureFacts], disclosures: [(seq: Int64, scopes: String)]?) throws {
        var open = zeros.filter(\.isZeroClaim)
        guard !open.isEmpty else { return }
        guard let disclosures else {
            needed.formUnion(rows.indices)
            return
        }
        // Rows whose disclosures all end before every open absence begins are skipped unparsed
        // (an absence still open late in a timeline is usually one about a recent period).
        func earliestStart() -> CalendarDate? {
            let starts = open.map(\.absencesStart)
            return starts.contains { $0 == nil } ? nil : starts.compactMap { $0 }.min()
        }
        var earliest = earliestStart()
        for row in disclosures {
            if let earliest, !DisclosureScope.disclosures(row.scopes, reachOnOrAfter: earliest) { continue }
            guard let p = position[row.seq], rows[p].isLive, !rows[p].withheld else { continue }
            guard let facts = DisclosureFacts(seq: row.seq, effectiveDate: rows[p].effectiveDate, disclosureScopes: row.scopes) else {
                throw StorageError.corrupt("the disclosures row of seq \(row.seq) is not a list of scopes")
            }
            let before = open.count
            open.removeAll { facts.contradicts($0) }
            if open.count < before {
                needed.insert(p)
                earliest = earliestStart()
            }
            if open.isEmpty { return }
        }
    }
}
