import LedgerCompare
import LedgerCore
import LedgerStorage

/// Which statements one page of a history must decode for its events to equal the whole
/// history's, planned on the platform's index rows (no bodies). Besides the page's own claims:
/// - each live claim's comparison: the claim it amends, else the previous live claim of its
///   category;
/// - in a category whose live claims have more than one signer (a conflict is a disagreement
///   between signers on the same date or about the same period): the claims of the same date,
///   and when a page's claim states a period (v1 only), every live claim of the category, whose
///   periods are in the bodies;
/// - for each claim of absence, the first live claim that contradicts it, which `History` marks
///   (`addFirstContradictions`, on the bodiless `disclosures` rows).
/// So a page decodes about twice its own claims whatever the platform's length, unless it holds a
/// v1 claim with a period in a category with two signers; what grows with the platform is the index rows read (no
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

    /// `rows`: the platform's statements without bodies, in any order. `since`: the events
    /// before it are not listed, and the window pages over the rest.
    init(rows: [ClaimRow], since: CalendarDate?, window: HistoryWindow) {
        let rows = rows.sorted { ($0.effectiveDate, $0.seq) < ($1.effectiveDate, $1.seq) }
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
        // Conflicts need more than one signer among a category's live claims. A page's claims'
        // date groups are found here (one date's claims lie together in the timeline); their
        // period groups once their bodies show a period (`periodGroups`).
        var signers: [String: Set<String>] = [:]
        for r in rows where r.isLive { signers[r.category, default: []].insert(r.signer) }
        contested = Set(signers.filter { $0.value.count > 1 }.keys)
        for i in page where rows[i].isLive && contested.contains(rows[i].category) {
            var first = i, last = i
            while first > 0, rows[first - 1].effectiveDate == rows[i].effectiveDate { first -= 1 }
            while last + 1 < rows.count, rows[last + 1].effectiveDate == rows[i].effectiveDate { last += 1 }
            for j in first...last where rows[j].isLive && rows[j].category == rows[i].category { needed.insert(j) }
        }
    }

    /// The categories whose live claims have more than one signer: only there can claims conflict.
    private var contested: Set<String> = []

    /// The positions still to decode for the conflicts about a period: in each contested
    /// category where a live claim of the page states a period (v1 statements only), every live
    /// claim, whose periods only their bodies give. `decoded`: the claims of `needed`.
    mutating func periodGroups(decoded: [Claim]) -> [Int] {
        let pageSeqs = Set(page.map { rows[$0].seq })
        let categories = Set(decoded.filter { pageSeqs.contains($0.seq) && $0.isLive && $0.statement?.period != nil }.map(\.category))
            .intersection(contested)
        guard !categories.isEmpty else { return [] }
        let more = rows.indices.filter { rows[$0].isLive && categories.contains(rows[$0].category) && !needed.contains($0) }
        needed.formUnion(more)
        return more
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
