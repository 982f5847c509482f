import LedgerCore

/// One statement as comparison sees it: the signed statement (nil when its body is withheld),
/// where it sits in the log, and what later entries say about it. A class: timelines sort,
/// group and index thousands of claims, and a reference moves without retaining every field.
public final class Claim: Sendable {
    public struct Correction: Equatable, Sendable {
        public let seq: Int64
        public let kind: LinkKind
        public init(seq: Int64, kind: LinkKind) {
            self.seq = seq
            self.kind = kind
        }
    }

    public let seq: Int64
    public let signer: String
    /// When the entry was appended (entry time).
    public let appendedAt: String
    public let platform: String
    public let category: String
    public let effectiveDate: String
    public let statement: Statement?
    /// The amendment or retraction that replaces this claim.
    public let supersededBy: Correction?
    /// The earlier claim this one amends or retracts (`seq` is the target's).
    public let corrects: Correction?
    public let endorsements: Int
    public let disputes: Int

    public init(seq: Int64, signer: String, appendedAt: String, platform: String, category: String, effectiveDate: String,
                statement: Statement?, supersededBy: Correction? = nil, corrects: Correction? = nil,
                endorsements: Int = 0, disputes: Int = 0) {
        self.seq = seq
        self.signer = signer
        self.appendedAt = appendedAt
        self.platform = platform
        self.category = category
        self.effectiveDate = effectiveDate
        self.statement = statement
        self.supersededBy = supersededBy
        self.corrects = corrects
        self.endorsements = endorsements
        self.disputes = disputes
    }

    /// In the current view: not replaced by a correction, and not itself a retraction.
    public var isLive: Bool { LinkKind.isLive(superseded: supersededBy != nil, ownLink: corrects?.kind) }

    public var isWithheld: Bool { statement == nil }
}

/// A figure's identity within a claim: what it counts, for whom, of which data, where and under
/// which process. Two figures with one key over periods of one length can be subtracted.
/// (Fields, not text: a timeline keys every figure of thousands of claims.)
public struct FigureKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let measure: Measure
    public let requester: String?
    public let dataKind: String?
    public let jurisdiction: String?
    public let process: LegalProcess?

    public init(_ f: Figure) {
        measure = f.measure
        requester = f.requester
        dataKind = f.dataKind
        jurisdiction = f.jurisdiction
        process = f.process
    }

    /// Field by field, stopping at the first that differs (sorting keys is most of a timeline's
    /// comparisons).
    public static func < (a: FigureKey, b: FigureKey) -> Bool {
        if a.measure != b.measure { return a.measure.rawValue < b.measure.rawValue }
        if a.requester != b.requester { return (a.requester ?? "") < (b.requester ?? "") }
        if a.dataKind != b.dataKind { return (a.dataKind ?? "") < (b.dataKind ?? "") }
        if a.jurisdiction != b.jurisdiction { return (a.jurisdiction ?? "") < (b.jurisdiction ?? "") }
        return (a.process?.rawValue ?? "") < (b.process?.rawValue ?? "")
    }

    /// `requests-with-data-produced@law-enforcement in IN by court-order`.
    public var description: String {
        measure.rawValue + Figure.qualifiers(requester: requester, dataKind: dataKind, jurisdiction: jurisdiction, process: process)
    }
}
