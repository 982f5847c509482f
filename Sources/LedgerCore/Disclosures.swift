/// What a statement says was, or was not, handed over: the two sides of the contradiction rule
/// (docs/SCHEMA.md, "Conflicts and contradictions"). In the core because the ledger stores
/// each statement's absences (`zero_claims.scopes`) and a withhold notice signs them, so a
/// withheld claim of absence keeps its place in comparisons.
public struct DisclosureScope: Equatable, Sendable {
    /// Recipients of the hierarchy (or v1 slugs); empty means anyone.
    public let recipients: [String]
    /// A country code; nil means every jurisdiction.
    public let jurisdiction: String?
    /// For an absence: the first day it speaks of (nil: all time up to its publication, as
    /// "never" and a v1 zero do). For a figure: unused.
    public let from: CalendarDate?
    /// The data it is about; empty means any (an absence of `any-user-data` is stored as empty).
    public let dataKinds: [String]

    public init(recipients: [String], jurisdiction: String?, from: CalendarDate?, dataKinds: [String] = []) {
        self.recipients = recipients
        self.jurisdiction = jurisdiction
        self.from = from
        // One kind or none, the usual case, needs no set (the audit builds a scope per figure).
        if dataKinds.count <= 1 {
            self.dataKinds = dataKinds.first == "any-user-data" ? [] : dataKinds
        } else {
            self.dataKinds = dataKinds.contains("any-user-data") ? [] : Array(Set(dataKinds)).sorted()
        }
    }

    /// `names[@CC][>YYYY-MM-DD][#kinds]`: the sorted distinct recipients joined by ",", then the
    /// jurisdiction, the first day and the sorted data kinds when given. A v1 scope is the
    /// names alone.
    public var text: String {
        var out = recipients.count <= 1 ? recipients.first ?? "" : Array(Set(recipients)).sorted().joined(separator: ",")
        if let jurisdiction { out += "@" + jurisdiction }
        if let from { out += ">" + from.description }
        if !dataKinds.isEmpty { out += "#" + dataKinds.joined(separator: ",") }
        return out
    }

    /// True when data of the figure's kinds (`other`, a disclosure) is data this absence speaks
    /// of: it names no kind, or the figure names one of its kinds. A figure that does not say
    /// which data it counts does not contradict a claim about one kind of data.
    public func coversData(of other: DisclosureScope) -> Bool {
        dataKinds.isEmpty || other.dataKinds.contains { dataKinds.contains($0) }
    }

    /// Reads `text` back; nil for text no statement produces.
    public init?(text: Substring) {
        var rest = text
        var kinds: [String] = []
        if let i = rest.firstIndex(of: "#") {
            kinds = rest[rest.index(after: i)...].split(separator: ",").map(String.init)
            rest = rest[..<i]
        }
        var from: CalendarDate?
        if let i = rest.firstIndex(of: ">") {
            guard let d = CalendarDate(String(rest[rest.index(after: i)...])) else { return nil }
            from = d
            rest = rest[..<i]
        }
        var jurisdiction: String?
        if let i = rest.firstIndex(of: "@") {
            jurisdiction = String(rest[rest.index(after: i)...])
            rest = rest[..<i]
        }
        self.init(recipients: rest.split(separator: ",").map(String.init), jurisdiction: jurisdiction, from: from, dataKinds: kinds)
    }
}

extension DisclosureScope {
    /// Reads `Statement.disclosureScopes` back; nil for text no statement produces.
    public static func disclosures(text: String) -> [(scope: DisclosureScope, until: CalendarDate)]? {
        var out: [(scope: DisclosureScope, until: CalendarDate)] = []
        for item in text.split(separator: ";", omittingEmptySubsequences: false) {
            guard let colon = item.firstIndex(of: ":"), let until = CalendarDate(String(item[..<colon])),
                  let scope = DisclosureScope(text: item[item.index(after: colon)...]), scope.from == nil else { return nil }
            out.append((scope, until))
        }
        return out
    }
}

extension DisclosureScope {
    /// True when some disclosure in `Statement.disclosureScopes` text counts up to `date` or
    /// later: the first test of the contradiction rule, read on the `UNTIL` fields' bytes
    /// (dates are ten ASCII bytes, so byte order is date order) without parsing the rest.
    public static func disclosures(_ text: String, reachOnOrAfter date: CalendarDate) -> Bool {
        let bound = Array(date.description.utf8)
        var utf8 = text.utf8[...]
        while !utf8.isEmpty {
            if !utf8.prefix(bound.count).lexicographicallyPrecedes(bound) { return true }
            guard let semicolon = utf8.firstIndex(of: 0x3B) else { return false }
            utf8 = utf8[utf8.index(after: semicolon)...]
        }
        return false
    }
}

extension Statement {
    /// The absences the statement claims: each zero figure of a measure that counts disclosures,
    /// and each "never" or "does not" disclose assertion. A v1 zero covers all time (v1 had no
    /// figure periods); a v2 zero covers its period onwards; "never" all time; "does not" from
    /// publication onwards.
    public var absences: [DisclosureScope] {
        var out: [DisclosureScope] = []
        for f in figures where f.measure.countsDisclosures && f.value.isZero {
            out.append(version == 1 ? DisclosureScope(recipients: v1Scope(f), jurisdiction: nil, from: nil)
                                    : DisclosureScope(recipients: f.requester.map { [$0] } ?? [], jurisdiction: Jurisdiction.narrowing(f.jurisdiction),
                                                      from: f.period?.start, dataKinds: f.dataKind.map { [$0] } ?? []))
        }
        for a in assertions where a.deniesDisclosure {
            out.append(DisclosureScope(recipients: a.recipient.map { [$0] } ?? [], jurisdiction: a.jurisdiction,
                                       from: a.polarity == .never ? nil : published, dataKinds: a.dataKinds))
        }
        return out
    }

    /// Each positive figure of a measure that counts disclosures: whom it says got data, and the
    /// last day it counts (its period's end, or the publication date for a v1 figure without one).
    public var disclosures: [(scope: DisclosureScope, until: CalendarDate)] {
        figures.filter { $0.measure.countsDisclosures && $0.value.isPositive }.map { f in
            let scope = version == 1 ? DisclosureScope(recipients: v1Scope(f), jurisdiction: nil, from: nil)
                : DisclosureScope(recipients: f.requester.map { [$0] } ?? [], jurisdiction: Jurisdiction.narrowing(f.jurisdiction), from: nil,
                                  dataKinds: f.dataKind.map { [$0] } ?? [])
            return (scope, f.period?.end ?? published)
        }
    }

    /// A v1 quantity is about its own recipient and the statement's recipients.
    private func v1Scope(_ f: Figure) -> [String] {
        guard let r = f.requester, !recipients.contains(r) else { return recipients }
        return recipients + [r]
    }

    /// The disclosures as stored in `disclosures.scopes`: each `UNTIL:SCOPE` (the last day its
    /// figure counts, then `DisclosureScope.text`), in figure order, joined by ";". Nil when the
    /// statement reports none.
    public var disclosureScopes: String? {
        var out = ""
        for d in disclosures {
            if !out.isEmpty { out += ";" }
            out += d.until.description + ":" + d.scope.text
        }
        return out.isEmpty ? nil : out
    }

    /// True when the statement claims an absence.
    public var claimsZeroDisclosure: Bool { !absences.isEmpty }

    /// The absences as stored in `zero_claims.scopes` and signed in a withhold notice: each
    /// `DisclosureScope.text`, in order, joined by ";". Nil when there are none.
    public var zeroDisclosureScopes: String? {
        let scopes = absences.map(\.text)
        return scopes.isEmpty ? nil : scopes.joined(separator: ";")
    }
}
