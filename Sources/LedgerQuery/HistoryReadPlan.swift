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
/// - the claims of absence are compared with the live claims in timeline order until the first
///   that contradicts each (`scanForContradictions`), which `History` marks.
/// So a page of a single-signer platform decodes about twice its own claims plus a short prefix,
/// whatever the platform's length; its worst case (a claim of absence nothing contradicts) reads
/// the whole timeline, as the whole history does.
struct HistoryReadPlan {
    /// The timeline, oldest first (effective date, then seq).
    let rows: [ClaimRow]
    /// The positions in `rows` of the page's events.
    let page: Range<Int>
    let next: HistoryWindow?
    /// Positions to decode besides those the scan decodes.
    private(set) var needed: Set<Int>

    /// `since`: the events before it are not listed, and the window pages over the rest.
    init(rows: [ClaimRow], since: CalendarDate?, window: HistoryWindow) {
        self.rows = rows
        let visible = since.map { s in rows.firstIndex { $0.effectiveDate >= s.description } ?? rows.count } ?? 0
        let (positions, next) = window.select(rows[visible...].map(\.cursor))
        page = (positions.lowerBound + visible)..<(positions.upperBound + visible)
        self.next = next
        needed = Set(page)
        // What each live claim of the page is compared with (`History`'s `before`).
        let position = Dictionary(rows.enumerated().map { ($0.element.seq, $0.offset) }, uniquingKeysWith: { a, _ in a })
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

    /// Decodes the live claims in timeline order, in chunks of 8 positions doubling to 512,
    /// until the first claim contradicting each of `zeros` is found, or the scan is past the page
    /// and every claim of absence still open lies outside it (no event of the page can then be
    /// marked by it). `decode` turns positions into claims (and remembers them). Cost: the
    /// prefix up to the last first contradiction, at most doubled.
    func scanForContradictions(zeros: [DisclosureFacts], decode: ([Int]) throws -> [Claim]) throws {
        var open = zeros.filter(\.isZeroClaim)
        let pageSeqs = Set(page.map { rows[$0].seq })
        var start = 0, chunk = 8
        while !open.isEmpty, start < rows.count {
            if start >= page.upperBound, !open.contains(where: { pageSeqs.contains($0.seq) }) { return }
            let end = min(rows.count, start + chunk)
            chunk = min(chunk * 2, 512)
            let positions = (start..<end).filter { rows[$0].isLive && !rows[$0].withheld }
            let facts = try decode(positions).map(DisclosureFacts.init)
            open.removeAll { zero in facts.contains { $0.contradicts(zero) } }
            start = end
        }
    }
}
