import LedgerCore

/// `ledger compare`: platforms x categories as of a date. Each cell holds the claim in force:
/// among live claims (corrections applied) published on or before the as-of date, those of
/// the latest publication date; the one appended last is shown, the others kept beside it.
/// A cell holds at most `maxClaimsPerCell` claims (the newest); the rest of its date are counted.
public struct Comparison: Sendable {
    /// The most claims of one date a cell reads, decodes and shows: 64, as many as the recipient
    /// view reads of a cell's latest claims. More share a date only when a report is split into
    /// that many statements or a signer floods a cell; then the newest are shown, the others
    /// counted, and the platform's history lists them all. Without it one `GET /` on a ledger of
    /// 1,692 same-date claims per cell took 9.8 s and 1.6 GB.
    public static let maxClaimsPerCell = 64

    public struct Cell: Sendable {
        public let platform: String
        public let category: String
        /// The claim in force, nil when the platform has said nothing in this category yet.
        public let claim: Claim?
        /// Other live claims of the same effective date, oldest first: the newest
        /// `maxClaimsPerCell - 1` of them.
        public let others: [Claim]
        /// Live claims of the same date left out of `others` (older than those kept).
        public let othersOmitted: Int
        /// Marks compare the claims the cell holds.
        public var marks: [Mark]
    }

    public let asOf: String
    public let platforms: [String]
    public let categories: [String]
    /// Row-major: every category of `platforms[0]`, then of `platforms[1]`, ...
    public let cells: [Cell]

    /// `inForce[platform][category]` are the live claims of the cell's latest effective date on
    /// or before `asOf` (as `ClaimQueries.inForce` returns them); `zeroClaims[platform]` the live
    /// zero-disclosure claims effective on or before `asOf` (as `ClaimQueries.zeroClaims` gives
    /// them, or `DisclosureFacts(claim)`); `omitted[platform][category]` the live claims of that
    /// date not in `inForce` (the store reads the newest `maxClaimsPerCell`).
    public init(asOf: String, platforms: [String], categories: [String],
                inForce: [String: [String: [Claim]]], omitted: [String: [String: Int]] = [:],
                zeroClaims: [String: [DisclosureFacts]], sourceChanges: [Int64: SourceChange] = [:]) {
        self.asOf = asOf
        self.platforms = platforms
        self.categories = categories
        var rows: [[Cell]] = []
        for platform in platforms {
            rows.append(categories.map { category -> Cell in
                let live = (inForce[platform]?[category] ?? []).filter { $0.isLive && $0.effectiveDate <= asOf }.sorted { $0.seq < $1.seq }
                let group = live.suffix(Self.maxClaimsPerCell)
                guard let claim = group.last else { return Cell(platform: platform, category: category, claim: nil, others: [], othersOmitted: 0, marks: []) }
                let conflicting = ClaimRules.conflicting(Array(group))
                return Cell(platform: platform, category: category, claim: claim, others: Array(group.dropLast()),
                            othersOmitted: live.count - group.count + (omitted[platform]?[category] ?? 0),
                            marks: (conflicting.isEmpty ? [] : [Mark(.conflict, conflicting)]) + [sourceChanges[claim.seq]?.mark].compactMap { $0 })
            })
        }
        // A company-wide statement (`products`) speaks for each product it names: its figures
        // count against that product's claims of absence too.
        let inForce = rows.flatMap { $0.compactMap(\.claim) }
        for (i, platform) in platforms.enumerated() {
            let alsoAbout = inForce.filter { $0.platform != platform && ($0.statement?.products.contains(platform) ?? false) }
            Comparison.markContradictions(&rows[i], alsoAbout: alsoAbout.map(DisclosureFacts.init), zeroClaims: zeroClaims[platform] ?? [])
        }
        cells = rows.flatMap { $0 }
    }

    /// A claim in force that reports disclosures a claim of absence denies is marked `contradicts`
    /// with the latest such claim of absence; a claim of absence in force is marked
    /// `contradicted-by` with the claims in force (any category of the platform, or a
    /// company-wide statement naming it in `alsoAbout`) whose figures contradict it.
    static func markContradictions(_ row: inout [Cell], alsoAbout: [DisclosureFacts], zeroClaims: [DisclosureFacts]) {
        let zeros = zeroClaims.filter(\.isZeroClaim).sorted { ($0.effectiveDate, $0.seq) < ($1.effectiveDate, $1.seq) }
        // A withheld claim of absence keeps its stored (and signed) absences.
        let inForce = row.map { cell in
            cell.claim.map { claim in claim.isWithheld ? zeros.first { $0.seq == claim.seq } ?? DisclosureFacts(claim) : DisclosureFacts(claim) }
        }
        let reporting = inForce.compactMap { $0 } + alsoAbout
        for i in row.indices {
            guard let facts = inForce[i] else { continue }
            if let zero = zeros.last(where: { facts.contradicts($0) }) { row[i].marks.append(Mark(.contradicts, [zero.seq])) }
            if facts.isZeroClaim {
                let later = reporting.filter { $0.contradicts(facts) }.map(\.seq).sorted()
                if !later.isEmpty { row[i].marks.append(Mark(.contradictedBy, later)) }
            }
        }
    }

    /// The same comparison showing only `categories` (marks computed over all of them stay).
    public func only(categories kept: [String]) -> Comparison {
        Comparison(asOf: asOf, platforms: platforms, categories: kept, cells: cells.filter { kept.contains($0.category) })
    }

    private init(asOf: String, platforms: [String], categories: [String], cells: [Cell]) {
        self.asOf = asOf
        self.platforms = platforms
        self.categories = categories
        self.cells = cells
    }

    public func cell(_ platform: String, _ category: String) -> Cell? {
        cells.first { $0.platform == platform && $0.category == category }
    }
}
