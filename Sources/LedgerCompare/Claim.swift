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
    public var isLive: Bool { supersededBy == nil && corrects?.kind != .retraction }

    public var isWithheld: Bool { statement == nil }
}

/// A quantity's identity within a claim: what it counts, for whom, of which data.
public struct QuantityKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let unit: String
    public let recipient: String?
    public let dataKind: String?

    public init(unit: String, recipient: String?, dataKind: String?) {
        self.unit = unit
        self.recipient = recipient
        self.dataKind = dataKind
    }

    init(_ q: Statement.Quantity) { self.init(unit: q.unit.rawValue, recipient: q.recipient, dataKind: q.dataKind) }

    public static func < (a: QuantityKey, b: QuantityKey) -> Bool {
        (a.unit, a.recipient ?? "", a.dataKind ?? "") < (b.unit, b.recipient ?? "", b.dataKind ?? "")
    }

    /// `unit`, then `@recipient` and `/data_kind` when given: `requests-complied@governments/ip-address`.
    public var description: String { unit + (recipient.map { "@" + $0 } ?? "") + (dataKind.map { "/" + $0 } ?? "") }
}

extension Statement.Quantity {
    /// `unit=value@recipient/data_kind` (docs/SCHEMA.md, "Reading compare and history"): the
    /// machine form, in CSV and where quantities are compared.
    public var text: String {
        "\(unit.rawValue)=\(value)" + (recipient.map { "@" + $0 } ?? "") + (dataKind.map { "/" + $0 } ?? "")
    }

    /// The same for a reader: the value with thousands separators (`requests-complied=2,380@…`).
    public var readable: String {
        "\(unit.rawValue)=\(Self.grouped(value))" + (recipient.map { "@" + $0 } ?? "") + (dataKind.map { "/" + $0 } ?? "")
    }

    /// `2380` → `2,380`, `1234567` → `1,234,567`.
    public static func grouped(_ n: Int64) -> String {
        let digits = Array(String(n.magnitude))
        var out = n < 0 ? "-" : ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }
}
