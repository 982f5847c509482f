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
        var fields: [Int64: FieldValues] = [:]
        func values(_ c: Claim) -> FieldValues {
            if let v = fields[c.seq] { return v }
            let v = FieldValues(c.statement)
            fields[c.seq] = v
            return v
        }
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
                if let before = amended ?? previous[claim.category] {
                    changes = Changes(sinceSeq: before.seq, before: values(before), after: values(claim))
                }
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
        self.init(sinceSeq: a.seq, before: FieldValues(a.statement), after: FieldValues(b.statement))
    }

    init(sinceSeq: Int64, before: FieldValues, after: FieldValues) {
        self.sinceSeq = sinceSeq
        var added: [String] = [], removed: [String] = [], changed: [String] = []
        for (i, name) in Changes.fieldOrder.enumerated() {
            switch (before.values[i], after.values[i]) {
            case (nil, _?): added.append(name)
            case (_?, nil): removed.append(name)
            case (let x?, let y?) where x != y: changed.append(name)
            default: break
            }
        }
        self.added = added
        self.removed = removed
        self.changed = changed
        let old = before.quantities, new = after.quantities
        if old == new {
            quantityDeltas = []
        } else {
            quantityDeltas = Set(old.keys).union(new.keys).sorted().compactMap { key in
                old[key] == new[key] ? nil : QuantityDelta(key: key, from: old[key], to: new[key])
            }
        }
    }

    /// The compared fields, in schema order; `effective_date` is the timeline itself.
    static let fieldOrder = ["summary", "speaker", "recipients", "data_kinds", "quantities", "period", "source.url",
                             "source.title", "source.retrieved_at", "source.sha256", "source.archive_url", "quote", "language"]
}

/// A claim's compared fields as text (nil when absent; empty lists are absent) and its
/// quantities by key, computed once per claim. A withheld body has no fields.
struct FieldValues {
    let values: [String?]
    let quantities: [QuantityKey: Int64]

    init(_ s: Statement?) {
        guard let s else {
            values = Array(repeating: nil, count: Changes.fieldOrder.count)
            quantities = [:]
            return
        }
        // In Changes.fieldOrder order.
        values = [
            s.summary, s.speaker,
            s.recipients.isEmpty ? nil : s.recipients.sorted().joined(separator: ","),
            s.dataKinds.isEmpty ? nil : s.dataKinds.sorted().joined(separator: ","),
            s.quantities.isEmpty ? nil : s.quantities.map { $0.text }.sorted().joined(separator: ";"),
            s.period.map { "\($0.start)/\($0.end)" },
            s.source.url, s.source.title, s.source.retrievedAt.secondsText, s.source.sha256.hex, s.source.archiveURL,
            s.quote, s.language,
        ]
        var q: [QuantityKey: Int64] = [:]
        for item in s.quantities { q[QuantityKey(item)] = item.value }
        quantities = q
    }
}
