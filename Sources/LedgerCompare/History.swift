import LedgerCore

/// `ledger history PLATFORM`: every claim about a platform, oldest first (effective date, then
/// seq), with its status in the current view and, for each live claim, what changed since the
/// previous live claim of the same category.
public struct History: Sendable {
    public enum Status: Equatable, Sendable {
        case live
        /// Replaced by a later amendment.
        case amended(by: Int64)
        /// Withdrawn by a later retraction.
        case retracted(by: Int64)
        /// This entry retracts `of`; it is not a claim itself.
        case retraction(of: Int64)

        public var text: String {
            switch self {
            case .live: return "live"
            case .amended(let by): return "amended by \(by)"
            case .retracted(let by): return "retracted by \(by)"
            case .retraction(let of): return "retracts \(of)"
            }
        }
    }

    public struct Event: Sendable {
        public let claim: Claim
        public let status: Status
        /// Changes since the previous live claim of the category (for an amendment: since the
        /// claim it amends); nil for the first live claim of a category and for claims that are
        /// not live.
        public let changes: Changes?
        public let marks: [Mark]
    }

    public let platform: String
    public let category: String?
    public let events: [Event]

    /// `claims` are the platform's statements (any order); `zeroClaims` its live zero claims
    /// in every category, so a `--category` history still sees contradictions across categories.
    public init(platform: String, category: String?, claims: [Claim], zeroClaims: [DisclosureFacts] = []) {
        self.platform = platform
        self.category = category
        let ordered = claims.sorted { ($0.effectiveDate, $0.seq) < ($1.effectiveDate, $1.seq) }
        let live = ordered.filter(\.isLive)

        // Conflicts: live claims of one category by different signers that disagree, on the
        // same effective date or about the same period.
        var conflicts: [Int64: Set<Int64>] = [:]
        func collect(_ groups: [[Claim]]) {
            for group in groups where group.count > 1 {
                let seqs = ClaimRules.conflicting(group)
                for s in seqs { conflicts[s, default: []].formUnion(seqs.filter { $0 != s }) }
            }
        }
        collect(Array(Dictionary(grouping: live) { "\($0.category) \($0.effectiveDate)" }.values))
        collect(Array(Dictionary(grouping: live.filter { $0.statement?.period != nil }) { c -> String in
            let p = c.statement?.period
            return "\(c.category) \(p?.start.description ?? "") \(p?.end.description ?? "")"
        }.values))

        // Contradictions: each zero claim is paired with the first later live claim (in
        // timeline order) that reports disclosures to an overlapping scope: the moment the
        // absolute claim stopped holding. Later claims repeat the change and are not marked.
        let liveFacts = live.map(DisclosureFacts.init)
        var zeroFacts = zeroClaims.filter(\.isZeroClaim)
        for f in liveFacts where f.isZeroClaim && !zeroFacts.contains(where: { $0.seq == f.seq }) { zeroFacts.append(f) }
        var contradicts: [Int64: [Int64]] = [:], contradictedBy: [Int64: [Int64]] = [:]
        for zero in zeroFacts {
            if let first = liveFacts.first(where: { $0.contradicts(zero) }) {
                contradicts[first.seq, default: []].append(zero.seq)
                contradictedBy[zero.seq, default: []].append(first.seq)
            }
        }

        let bySeq = Dictionary(ordered.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })
        var previous: [String: Claim] = [:]
        var events: [Event] = []
        for claim in ordered {
            let status: Status
            if let by = claim.supersededBy {
                status = by.kind == .retraction ? .retracted(by: by.seq) : .amended(by: by.seq)
            } else if let of = claim.corrects, of.kind == .retraction {
                status = .retraction(of: of.seq)
            } else {
                status = .live
            }
            var marks: [Mark] = []
            var changes: Changes?
            if status == .live {
                if let other = conflicts[claim.seq] { marks.append(Mark(.conflict, other.sorted())) }
                if let zeros = contradicts[claim.seq] { marks.append(Mark(.contradicts, zeros.sorted())) }
                if let later = contradictedBy[claim.seq] { marks.append(Mark(.contradictedBy, later.sorted())) }
                // An amendment shows what it corrected; other claims what changed since the last one.
                let amended = claim.corrects?.kind == .amendment ? bySeq[claim.corrects?.seq ?? -1] : nil
                if let before = amended ?? previous[claim.category] { changes = Changes(from: before, to: claim) }
                previous[claim.category] = claim
            }
            events.append(Event(claim: claim, status: status, changes: changes, marks: marks))
        }
        self.events = events
    }
}

/// What changed between two claims of one category.
public struct Changes: Equatable, Sendable {
    public struct QuantityDelta: Equatable, Sendable {
        public let key: QuantityKey
        public let from: Int64?
        public let to: Int64?
        /// `to - from` when both exist.
        public var delta: Int64? {
            guard let from, let to else { return nil }
            return to - from
        }

        /// `requests-received: 100 -> 150 (+50)`, `bytes: (none) -> 10`.
        public var text: String {
            let d = delta.map { $0 >= 0 ? " (+\($0))" : " (\($0))" } ?? ""
            return "\(key): \(from.map(String.init) ?? "(none)") -> \(to.map(String.init) ?? "(none)")\(d)"
        }
    }

    public let sinceSeq: Int64
    /// Field names (docs/SCHEMA.md), present now and absent before.
    public let added: [String]
    public let removed: [String]
    public let changed: [String]
    public let quantityDeltas: [QuantityDelta]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public init(from a: Claim, to b: Claim) {
        sinceSeq = a.seq
        let before = Changes.fields(a.statement), after = Changes.fields(b.statement)
        var added: [String] = [], removed: [String] = [], changed: [String] = []
        for name in Changes.fieldOrder {
            switch (before[name], after[name]) {
            case (nil, _?): added.append(name)
            case (_?, nil): removed.append(name)
            case (let x?, let y?) where x != y: changed.append(name)
            default: break
            }
        }
        self.added = added
        self.removed = removed
        self.changed = changed
        var old: [QuantityKey: Int64] = [:], new: [QuantityKey: Int64] = [:]
        for q in a.statement?.quantities ?? [] { old[QuantityKey(q)] = q.value }
        for q in b.statement?.quantities ?? [] { new[QuantityKey(q)] = q.value }
        quantityDeltas = Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil : QuantityDelta(key: key, from: old[key], to: new[key])
        }
    }

    /// The compared fields, in schema order; `effective_date` is the timeline itself.
    static let fieldOrder = ["summary", "speaker", "recipients", "data_kinds", "quantities", "period", "source.url",
                             "source.title", "source.retrieved_at", "source.sha256", "source.archive_url", "quote", "language"]

    /// Each field's value as text; absent fields (and empty lists) are missing. A withheld body
    /// has no fields.
    static func fields(_ s: Statement?) -> [String: String] {
        guard let s else { return [:] }
        var f: [String: String] = ["source.retrieved_at": s.source.retrievedAt.secondsText, "source.sha256": s.source.sha256.hex,
                                   "quote": s.quote, "language": s.language]
        f["summary"] = s.summary
        f["speaker"] = s.speaker
        if !s.recipients.isEmpty { f["recipients"] = s.recipients.sorted().joined(separator: ",") }
        if !s.dataKinds.isEmpty { f["data_kinds"] = s.dataKinds.sorted().joined(separator: ",") }
        if !s.quantities.isEmpty { f["quantities"] = s.quantities.map(\.text).sorted().joined(separator: ";") }
        if let p = s.period { f["period"] = "\(p.start)/\(p.end)" }
        f["source.url"] = s.source.url
        f["source.title"] = s.source.title
        f["source.archive_url"] = s.source.archiveURL
        return f
    }
}
