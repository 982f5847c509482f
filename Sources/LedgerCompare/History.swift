import LedgerConcurrency
import LedgerCore
import LedgerCrypto

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
    public private(set) var events: [Event]
    /// Only events effective on or after this date are kept (`since(_:)`); their changes and
    /// marks still come from the whole history.
    public private(set) var since: String?
    /// The window of the next page, when this history is one page of a longer one and events
    /// remain past it (set by the query that read the page).
    public var next: HistoryWindow?

    /// The same history from `date` on: what a reader following it from then needs.
    public func since(_ date: CalendarDate) -> History {
        var copy = self
        copy.since = date.description
        copy.events = events.filter { $0.claim.effectiveDate >= date.description }
        return copy
    }

    /// The events of this (whole) history that `window` holds, with the next page's window: the
    /// page the query layer would read, cut from a history already built.
    public func page(_ window: HistoryWindow) -> History {
        var copy = self
        let (positions, next) = window.select(events.map { TimelineCursor(effectiveDate: $0.claim.effectiveDate, seq: $0.claim.seq) })
        copy.events = Array(events[positions])
        copy.next = next
        return copy
    }

    /// `claims` are the platform's statements (any order); `zeroClaims` its live zero claims
    /// in every category, so a `--category` history still sees contradictions across categories.
    /// `sourceChanges`: the claims whose quoted page changed since (by seq). `only`: the seqs
    /// whose events to keep (a page); nil keeps every event. A page's events equal the whole
    /// history's when `claims` holds, besides them, what their changes and marks are measured
    /// against (the query layer's `HistoryReadPlan` picks those).
    public init(platform: String, category: String?, claims: [Claim], zeroClaims: [DisclosureFacts] = [],
                sourceChanges: [Int64: SourceChange] = [:], only: Set<Int64>? = nil) {
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

        // Status, marks and what each live claim is compared with, in timeline order; then the
        // comparisons themselves (the bulk of the work) on every core.
        // Claims by position in `ordered`, so the parallel pass reads field values in place.
        let position = Dictionary(ordered.enumerated().map { ($0.element.seq, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var previous: [String: Int] = [:]
        var heads: [(claim: Claim, status: Status, marks: [Mark], before: Int?)] = []
        heads.reserveCapacity(ordered.count)
        for (index, claim) in ordered.enumerated() {
            let status: Status
            if let by = claim.supersededBy {
                status = by.kind == .retraction ? .retracted(by: by.seq) : .amended(by: by.seq)
            } else if let of = claim.corrects, of.kind == .retraction {
                status = .retraction(of: of.seq)
            } else {
                status = .live
            }
            var marks: [Mark] = []
            var before: Int?
            if status == .live {
                if let other = conflicts[claim.seq] { marks.append(Mark(.conflict, other.sorted())) }
                if let zeros = contradicts[claim.seq] { marks.append(Mark(.contradicts, zeros.sorted())) }
                if let later = contradictedBy[claim.seq] { marks.append(Mark(.contradictedBy, later.sorted())) }
                if let change = sourceChanges[claim.seq] { marks.append(change.mark) }
                // An amendment shows what it corrected; other claims what changed since the last one.
                let amended = claim.corrects?.kind == .amendment ? position[claim.corrects?.seq ?? -1] : nil
                before = amended ?? previous[claim.category]
                previous[claim.category] = index
            }
            heads.append((claim, status, marks, before))
        }
        // Each claim's fields are read once, though most claims are compared twice (as `before`
        // of the next one and as the one after), and compared where they lie (no copies). A page
        // reads only its own claims' fields and those they are compared with.
        let kept = only.map { o in ordered.indices.filter { o.contains(ordered[$0].seq) } } ?? Array(ordered.indices)
        let read = only == nil ? kept : Array(Set(kept + kept.compactMap { heads[$0].before })).sorted()
        let values = parallelMap(read) { FieldValues(ordered[$0].statement) }
        // Position in `ordered` -> index in `values` (the identity when every claim was read):
        // an array, not a dictionary, as the whole history indexes it for every claim.
        var slots = [Int](repeating: 0, count: ordered.count)
        for (k, p) in read.enumerated() { slots[p] = k }
        let slot = slots
        let timeline = heads
        let events: [Event] = parallelMap(kept) { i in
            let head = timeline[i]
            let changes = head.before.map { b in
                Changes(sinceSeq: ordered[b].seq, before: values[slot[b]], after: values[slot[i]])
            }
            return Event(claim: head.claim, status: head.status, changes: changes, marks: head.marks)
        }
        self.events = events
    }
}

/// What changed between two claims of one category.
public struct Changes: Equatable, Sendable {
    /// A figure that changed between two comparable figures: the same measure, requester, data
    /// kind, jurisdiction and process, over periods of the same length.
    public struct FigureDelta: Equatable, Sendable {
        public let key: FigureKey
        public let from: Figure.Value
        public let to: Figure.Value
        /// `to - from` for two counts, or two shares (in basis points); nil otherwise (bands).
        public var delta: Int64? {
            switch (from, to) {
            case (.count(let a), .count(let b)), (.share(let a), .share(let b)): return b - a
            default: return nil
            }
        }

        /// `requests-received@governments in US: 100 -> 150, up 50`; shares move in points.
        public var text: String {
            var words = ""
            if let d = delta, d != 0 {
                let size = d < 0 ? -d : d
                let amount: String
                if case .share = to { amount = String(Figure.percent(size).dropLast()) + " points" } else { amount = Figure.grouped(size) }
                words = d > 0 ? ", up \(amount)" : ", down \(amount)"
            }
            return "\(key): \(from.readable) -> \(to.readable)\(words)"
        }
    }

    /// A figure with nothing to compare it with: a key on one side only, or both sides' figures
    /// when they cover periods of different lengths (a half-year against a quarter).
    public struct NotComparable: Equatable, Sendable {
        public enum Reason: String, Sendable {
            case onlyBefore = "only before"
            case onlyAfter = "only after"
            case periodsDiffer = "periods differ"
        }
        public let key: FigureKey
        public let reason: Reason

        public var text: String { "\(key) (\(reason.rawValue))" }
    }

    public let sinceSeq: Int64
    /// Field names (docs/SCHEMA.md), present now and absent before.
    public let added: [String]
    public let removed: [String]
    public let changed: [String]
    /// Changes of figures that can be compared (`FigureDelta`).
    public let figureDeltas: [FigureDelta]
    /// The figures that cannot: shown as such, never as a change.
    public let notComparable: [NotComparable]
    /// What the platform now says differently, in words (`ChangeWords`): assertions withdrawn,
    /// new, widened or narrowed, recipients widened or narrowed, the quote reworded.
    public let words: [String]

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
        // Both lists are sorted by key: one merge finds every key whose figure differs. Figures
        // over periods of different lengths are not compared at all.
        let old = before.figures, new = after.figures
        var deltas: [FigureDelta] = []
        var apart: [NotComparable] = []
        var i = 0, j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && old[i].key < new[j].key) {
                apart.append(NotComparable(key: old[i].key, reason: .onlyBefore))
                i += 1
            } else if i == old.count || new[j].key < old[i].key {
                apart.append(NotComparable(key: new[j].key, reason: .onlyAfter))
                j += 1
            } else {
                if old[i].days != new[j].days {
                    apart.append(NotComparable(key: old[i].key, reason: .periodsDiffer))
                } else if old[i].value != new[j].value {
                    deltas.append(FigureDelta(key: old[i].key, from: old[i].value, to: new[j].value))
                }
                i += 1
                j += 1
            }
        }
        figureDeltas = deltas
        notComparable = apart
        words = ChangeWords.describe(before: before, after: after, changedFields: changed)
    }

    /// The compared fields, in schema order; `effective_date` is the timeline itself.
    static let fieldOrder = ["products", "summary", "speaker", "recipients", "data_kinds", "figures", "assertions", "period", "effective_date", "source.url",
                             "source.title", "source.retrieved_at", "source.sha256", "source.archive_url", "quote", "language"]
}

/// A claim's compared fields (nil when absent; empty lists are absent) and its figures by key,
/// computed once per claim and compared by equality only. A withheld body has no fields.
struct FieldValues: Sendable {
    /// One compared field's value. Lists are sorted, so equal sets compare equal.
    enum Value: Equatable, Sendable {
        case text(String)
        case names([String])
        case figures([Figure])
        case period(Statement.Period)
        case date(CalendarDate)
        /// `source.retrieved_at` to the second, as the schema writes it.
        case seconds(Int64)
        case digest(Digest)
    }

    let values: [Value?]
    /// Figures by key, sorted by key; a key given twice keeps its last figure.
    let figures: [(key: FigureKey, value: Figure.Value, days: Int64?)]
    /// What `ChangeWords` compares.
    let assertions: [Assertion]
    let recipients: [String]

    init(_ s: Statement?) {
        guard let s else {
            values = Array(repeating: nil, count: Changes.fieldOrder.count)
            figures = []
            assertions = []
            recipients = []
            return
        }
        func text(_ t: String?) -> Value? { t.map(Value.text) }
        func names(_ list: [String]) -> Value? { list.isEmpty ? nil : .names(list.sorted()) }
        // One sort of positions (not of figures, which are costly to move) gives both the
        // figures in a canonical order and runs of equal keys.
        let all = s.figures
        let sorted = all.indices.sorted { FieldValues.order(all[$0], all[$1]) }
        // In Changes.fieldOrder order.
        values = [
            names(s.products), text(s.summary), text(s.speaker), names(s.recipients), names(s.dataKinds),
            all.isEmpty ? nil : .figures(sorted.map { all[$0] }), names(s.assertions.map(\.text)), s.period.map(Value.period), s.takesEffect.map(Value.date),
            text(s.source.url), text(s.source.title), .seconds(s.source.retrievedAt.wholeSeconds),
            .digest(s.source.sha256), text(s.source.archiveURL), .text(s.quote), .text(s.language),
        ]
        var byKey: [(key: FigureKey, value: Figure.Value, days: Int64?)] = []
        var lastOffset = 0
        for i in sorted {
            let key = FigureKey(all[i])
            if let last = byKey.last, last.key == key {
                // A key given twice keeps the figure given last.
                guard i > lastOffset else { continue }
                byKey.removeLast()
            }
            byKey.append((key, all[i].value, all[i].periodLength))
            lastOffset = i
        }
        figures = byKey
        assertions = s.assertions
        recipients = s.recipients
    }

    /// A total order on figures (any one does: it only makes equal sets sort alike), on fields
    /// rather than text.
    static func order(_ a: Figure, _ b: Figure) -> Bool {
        if a.measure != b.measure || a.requester != b.requester || a.dataKind != b.dataKind
            || a.jurisdiction != b.jurisdiction || a.process != b.process {
            return FigureKey(a) < FigureKey(b)
        }
        let pa = a.period.map { ($0.start.daysSinceEpoch, $0.end.daysSinceEpoch) } ?? (0, 0)
        let pb = b.period.map { ($0.start.daysSinceEpoch, $0.end.daysSinceEpoch) } ?? (0, 0)
        if pa != pb { return pa < pb }
        func rank(_ v: Figure.Value) -> (Int, Int64, Int64) {
            switch v {
            case .count(let n): return (0, n, 0)
            case .band(let l, let h): return (1, l, h)
            case .share(let bp): return (2, bp, 0)
            }
        }
        return rank(a.value) < rank(b.value)
    }
}
