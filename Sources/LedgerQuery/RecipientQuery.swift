import LedgerCompare
import LedgerCore
import LedgerStorage

/// "Who gives data to R, and how much?": the recipient view (`ledger compare --recipient R`,
/// `GET /v1/compare?recipient=R`, the page `/compare?recipient=R`), its options checked here
/// once for the three front ends.
public enum RecipientQuery {
    /// `recipient`: a recipient of the hierarchy (docs/SCHEMA.md). `measure`: a measure name.
    /// `period`: `2023`, `2023-H1`, `2023-Q3` or `2023-01-01..2023-06-30`, keeping figures whose
    /// period overlaps it. Costs one comparison of the named (or every) platform and, per cell
    /// whose claims in force report no such figure, a read of its 4 latest claims (64 where
    /// none of those does either).
    public static func run(_ store: LedgerStore, recipient: String, measure: String?, period: String?,
                           platforms: [String], asOf date: CalendarDate) throws -> RecipientView {
        guard Recipient.isKnown(recipient) else {
            throw QueryError.badOption(name: "recipient", reason: "unknown recipient '\(recipient)'; one of: \(Recipient.all.joined(separator: ", "))"
                                       + (Suggestion.nearest(to: recipient, among: Recipient.all).map { "; did you mean '\($0)'?" } ?? ""))
        }
        let measureValue: Measure? = try measure.map { text in
            guard let m = Measure(rawValue: text) else {
                throw QueryError.badOption(name: "measure", reason: "unknown measure '\(text)'; one of: \(Measure.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return m
        }
        let periodValue = try period.map { text in
            guard let p = parsePeriod(text) else {
                throw QueryError.badOption(name: "period", reason: "'\(text)' is not a period: write 2023, 2023-H1, 2023-Q3 or 2023-01-01..2023-06-30")
            }
            return p
        }
        let comparison = try ComparisonQuery.run(store, platforms: platforms, categories: [], asOf: date)
        // Per cell, the claims that may report figures about the recipient: those in force when
        // one of them does (no read); else the cell's latest live claims, a few first, more
        // only where none of those has such figures (reading 64 at once cost 12-16 ms more on
        // 10^6 statements: docs/PERFORMANCE.md).
        let filter = RecipientView.Filter(recipient: recipient, measure: measureValue, period: periodValue)
        func reports(_ c: Claim) -> Bool { c.statement.map { !filter.figures(in: $0).isEmpty } ?? false }
        let width = comparison.categories.count
        let latest: [String: [[Claim]]] = try store.readClaims { q in
            var out: [String: [[Claim]]] = [:]
            for (index, p) in comparison.platforms.enumerated() {
                for cell in comparison.cells[(index * width)..<((index + 1) * width)] {
                    let inForce = (cell.claim.map { [$0] } ?? []) + cell.others
                    guard !inForce.contains(where: reports) else {
                        out[p, default: []].append(inForce.sorted { $0.seq > $1.seq })
                        continue
                    }
                    var claims = try ClaimReading.claims(try q.latest(platform: p, category: cell.category, asOf: date.description, limit: 4))
                    if !claims.contains(where: reports) && claims.count == 4 {
                        claims = try ClaimReading.claims(try q.latest(platform: p, category: cell.category, asOf: date.description, limit: 64))
                    }
                    out[p, default: []].append(claims)
                }
            }
            return out
        }
        return RecipientView(comparison: comparison, latest: latest, recipient: recipient, measure: measureValue, period: periodValue)
    }

    /// `2023` → the year; `2023-H1`/`H2` → a half; `2023-Q1`…`Q4` → a quarter; `A..B` → from A to B.
    static func parsePeriod(_ text: String) -> Statement.Period? {
        if let sep = text.range(of: "..") {
            guard let a = CalendarDate(String(text[..<sep.lowerBound])), let b = CalendarDate(String(text[sep.upperBound...])), a <= b else { return nil }
            return Statement.Period(start: a, end: b)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), year >= 1900 else { return nil }
        func period(_ startMonth: Int, _ endMonth: Int, _ endDay: Int) -> Statement.Period? {
            func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            guard let a = CalendarDate("\(year)-\(pad(startMonth))-01"), let b = CalendarDate("\(year)-\(pad(endMonth))-\(pad(endDay))") else { return nil }
            return Statement.Period(start: a, end: b)
        }
        switch parts.count == 1 ? "" : String(parts[1]) {
        case "" where parts.count == 1: return period(1, 12, 31)
        case "H1": return period(1, 6, 30)
        case "H2": return period(7, 12, 31)
        case "Q1": return period(1, 3, 31)
        case "Q2": return period(4, 6, 30)
        case "Q3": return period(7, 9, 30)
        case "Q4": return period(10, 12, 31)
        default: return nil
        }
    }
}
