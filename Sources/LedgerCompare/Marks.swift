import LedgerCore

/// Something a reader should look at twice, attached to a claim.
public struct Mark: Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// Other signers say something different about the same cell, date or period.
        case conflict
        /// This claim reports data handed over after an earlier claim said none was.
        case contradicts
        /// This claim said no data was handed over; a later claim reports some.
        case contradictedBy = "contradicted-by"
        /// The page this claim quotes has a newer archived version without its quote: the
        /// platform's wording changed (seqs: the version cited, the newer one; `since`: when
        /// the newer one was fetched).
        case wordingChanged = "wording-changed"
    }

    public let kind: Kind
    /// The other entries involved.
    public let seqs: [Int64]
    /// For `wordingChanged`: the time the newer version was fetched.
    public let since: String?

    public init(_ kind: Kind, _ seqs: [Int64], since: String? = nil) {
        self.kind = kind
        self.seqs = seqs
        self.since = since
    }

    /// `conflict:3,5`
    public var text: String { kind.rawValue + ":" + seqs.map(String.init).joined(separator: ",") }
}

/// A claim whose quoted page changed: the archived version it cites (`citedSeq`), and a newer
/// archived version of the same address whose text no longer holds the quote (`latestSeq`,
/// fetched at `since`). Found by the query layer, which reads the archived pages.
public struct SourceChange: Equatable, Sendable {
    public let citedSeq: Int64
    public let latestSeq: Int64
    public let since: String

    public init(citedSeq: Int64, latestSeq: Int64, since: String) {
        self.citedSeq = citedSeq
        self.latestSeq = latestSeq
        self.since = since
    }

    var mark: Mark { Mark(.wordingChanged, [citedSeq, latestSeq], since: since) }
}

/// The rules behind the marks (docs/SCHEMA.md, "Conflicts and contradictions").
public enum ClaimRules {
    /// Two statements disagree when their structured content differs: the set of figures
    /// (measure, value, period, jurisdiction, process, requester, data kind), assertions,
    /// recipients or data kinds, or v1's period. Wording (summary, quote) and sources may differ
    /// without a disagreement.
    public static func disagree(_ a: Statement, _ b: Statement) -> Bool {
        func content(_ s: Statement) -> Set<String> { Set(s.figures.map(\.text) + s.assertions.map(\.text)) }
        return content(a) != content(b) || Set(a.recipients) != Set(b.recipients)
            || Set(a.dataKinds) != Set(b.dataKinds) || a.period != b.period
    }

    /// True when a positive figure about `positive` falls within what an absence about `zero`
    /// said got nothing: either is "anyone" (empty), or some recipient of the figure is one of
    /// the absence's or narrower (`RecipientHierarchy`).
    static func covers(zero: [String], positive: [String]) -> Bool {
        zero.isEmpty || positive.isEmpty || positive.contains { p in zero.contains { RecipientHierarchy.isWithin(p, $0) } }
    }

    /// True when `later` reports data produced to a scope that an absence `zero` claims covers.
    public static func contradicts(_ later: Claim, zero: Claim) -> Bool {
        DisclosureFacts(later).contradicts(DisclosureFacts(zero))
    }

    /// The seqs of claims in `group` that disagree with a claim of another signer in `group`.
    public static func conflicting(_ group: [Claim]) -> [Int64] {
        var out: Set<Int64> = []
        for (i, a) in group.enumerated() {
            guard let sa = a.statement else { continue }
            for b in group[(i + 1)...] where b.signer != a.signer {
                if let sb = b.statement, disagree(sa, sb) {
                    out.insert(a.seq)
                    out.insert(b.seq)
                }
            }
        }
        return out.sorted()
    }
}

/// A claim's disclosures and absences reduced to what the contradiction rule compares,
/// computed once per claim (a timeline compares every claim of absence with every later claim).
public struct DisclosureFacts: Sendable {
    public let seq: Int64
    public let effectiveDate: String
    /// What the claim says nobody (in a scope) got.
    let absences: [DisclosureScope]
    /// Whom its positive figures say got data, each with the last day its figure counts (the
    /// period's end, or the publication date for a v1 figure without a period).
    let disclosed: [(scope: DisclosureScope, until: CalendarDate)]

    /// A claim of absence as `zero_claims` stores it (`Statement.zeroDisclosureScopes`).
    public init(seq: Int64, effectiveDate: String, zeroScopes text: String) {
        self.seq = seq
        self.effectiveDate = effectiveDate
        absences = text.split(separator: ";", omittingEmptySubsequences: false).compactMap { DisclosureScope(text: $0) }
        disclosed = []
    }

    /// A claim's disclosures as `disclosures` stores them (`Statement.disclosureScopes`); nil
    /// for text no statement produces.
    public init?(seq: Int64, effectiveDate: String, disclosureScopes text: String) {
        guard let disclosed = DisclosureScope.disclosures(text: text) else { return nil }
        self.seq = seq
        self.effectiveDate = effectiveDate
        absences = []
        self.disclosed = disclosed
    }

    public init(_ claim: Claim) {
        seq = claim.seq
        effectiveDate = claim.effectiveDate
        guard let s = claim.statement else {
            absences = []
            disclosed = []
            return
        }
        absences = s.absences
        disclosed = s.disclosures
    }

    public var isZeroClaim: Bool { !absences.isEmpty }
    /// The first day its absences speak of; nil when one speaks of all time. A disclosure that
    /// ends before it cannot contradict this claim.
    public var absencesStart: CalendarDate? { absences.contains { $0.from == nil } ? nil : absences.compactMap(\.from).min() }
    public var reportsDisclosures: Bool { !disclosed.isEmpty }

    /// This claim reports data produced to someone `zero` said got none: the same recipient or a
    /// narrower one, in a jurisdiction the absence covers, for a period that overlaps or follows
    /// the one it speaks of. (When the figure was published does not matter: a claim that data
    /// was never handed over is contradicted by an earlier report of data handed over too.)
    public func contradicts(_ zero: DisclosureFacts) -> Bool {
        guard reportsDisclosures, zero.isZeroClaim, seq != zero.seq else { return false }
        // The date and the jurisdiction first: a timeline holds this against thousands of
        // claims, and most fail there before the recipient hierarchy is walked.
        return disclosed.contains { d in
            zero.absences.contains { a in
                (a.from.map { d.until >= $0 } ?? true)
                    && (a.jurisdiction == nil || a.jurisdiction == d.scope.jurisdiction)
                    && ClaimRules.covers(zero: a.recipients, positive: d.scope.recipients)
                    && a.coversData(of: d.scope)
            }
        }
    }
}
