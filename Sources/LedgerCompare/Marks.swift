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
    }

    public let kind: Kind
    /// The other claims involved.
    public let seqs: [Int64]

    public init(_ kind: Kind, _ seqs: [Int64]) {
        self.kind = kind
        self.seqs = seqs
    }

    /// `conflict:3,5`
    public var text: String { kind.rawValue + ":" + seqs.map(String.init).joined(separator: ",") }
}

/// The rules behind the marks (docs/SCHEMA.md, "Conflicts and contradictions").
public enum ClaimRules {
    /// Two statements disagree when their structured content differs: the set of quantities
    /// (unit, recipient, data kind, value), recipients, data kinds, or period. Wording
    /// (summary, quote) and sources may differ without a disagreement.
    public static func disagree(_ a: Statement, _ b: Statement) -> Bool {
        func quantities(_ s: Statement) -> Set<String> { Set(s.quantities.map(\.text)) }
        return quantities(a) != quantities(b) || Set(a.recipients) != Set(b.recipients)
            || Set(a.dataKinds) != Set(b.dataKinds) || a.period != b.period
    }

    /// Who a quantity is about: its own recipient and the statement's recipients. Empty means
    /// anyone, which overlaps every scope.
    /// (Scopes are a few names: arrays, not sets, so no hashing.)
    static func scope(_ q: Statement.Quantity, in s: Statement) -> [String] {
        guard let r = q.recipient, !s.recipients.contains(r) else { return s.recipients }
        return s.recipients + [r]
    }

    /// True when a positive figure for `positive` falls within what a zero claim for `zero` said
    /// got nothing: either is "anyone" (empty), or some recipient of the figure is one of the
    /// zero claim's or narrower (`RecipientHierarchy`).
    static func covers(zero: [String], positive: [String]) -> Bool {
        zero.isEmpty || positive.isEmpty || positive.contains { p in zero.contains { RecipientHierarchy.isWithin(p, $0) } }
    }

    /// True when `later` (effective after `zero`) reports a positive amount of a disclosure unit
    /// for a scope that `zero`'s zero quantity of a disclosure unit covers.
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

/// A claim's disclosure figures reduced to what the contradiction rule compares, computed once
/// per claim (a timeline compares every zero claim with every later claim).
public struct DisclosureFacts: Sendable {
    public let seq: Int64
    public let effectiveDate: String
    /// Scopes of the quantities of a disclosure unit equal to 0.
    let zeroScopes: [[String]]
    /// Scopes of the quantities of a disclosure unit above 0.
    let positiveScopes: [[String]]

    /// A zero claim as `zero_claims` stores it (`Statement.zeroDisclosureScopes`).
    public init(seq: Int64, effectiveDate: String, zeroScopes text: String) {
        self.seq = seq
        self.effectiveDate = effectiveDate
        zeroScopes = text.split(separator: ";", omittingEmptySubsequences: false).map { scope in
            scope.split(separator: ",").map(String.init)
        }
        positiveScopes = []
    }

    public init(_ claim: Claim) {
        seq = claim.seq
        effectiveDate = claim.effectiveDate
        var zeros: [[String]] = [], positives: [[String]] = []
        if let s = claim.statement {
            for q in s.quantities where q.unit.countsDisclosures {
                if q.value == 0 { zeros.append(ClaimRules.scope(q, in: s)) } else { positives.append(ClaimRules.scope(q, in: s)) }
            }
        }
        zeroScopes = zeros
        positiveScopes = positives
    }

    public var isZeroClaim: Bool { !zeroScopes.isEmpty }
    public var reportsDisclosures: Bool { !positiveScopes.isEmpty }

    /// This claim, effective after `zero`, reports disclosures to someone `zero` said got none
    /// (the same recipient or a narrower one).
    public func contradicts(_ zero: DisclosureFacts) -> Bool {
        guard reportsDisclosures, zero.isZeroClaim, seq != zero.seq, effectiveDate > zero.effectiveDate else { return false }
        return positiveScopes.contains { p in zero.zeroScopes.contains { ClaimRules.covers(zero: $0, positive: p) } }
    }
}
