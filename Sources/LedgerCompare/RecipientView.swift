import LedgerCore

/// `ledger compare --recipient governments`: who gives data to one recipient, and how much. One
/// row per platform: the figures of its claims in force on the date (the comparison's cells:
/// an older figure replaced by a later claim of the same category is in `history`) that report
/// data handed to that recipient or a narrower one (`RecipientHierarchy`: governments takes in law enforcement in
/// India), and its stated policy: the claims in force that name the recipient, a broader one
/// (a policy about third parties covers governments) or a narrower one. Every figure and
/// policy names the seq that proves it, with the marks of its cell.
public struct RecipientView: Sendable {
    public struct Reported: Sendable {
        public let claim: Claim
        /// The claim's figures about the recipient or a narrower one (and the measure and
        /// period asked for).
        public let figures: [Figure]
    }

    public struct Row: Sendable {
        public let platform: String
        public let figures: [Reported]
        public let policies: [Claim]
        /// The marks of the cells these claims are in force in.
        public let marks: [Mark]
    }

    public let recipient: String
    public let asOf: String
    public let measure: Measure?
    public let period: Statement.Period?
    public let rows: [Row]

    /// Built from the comparison of every platform and category as of a date (policies and
    /// marks: the claims in force) and, for figures, `latest[platform]`: per category, that
    /// cell's live claims latest first (`nil`: the claims in force). A platform's figures are,
    /// per category, those of the latest claim that has figures about the recipient (a later
    /// policy statement does not hide the last report). `measure` and `period` keep only
    /// figures of that measure whose period overlaps `period`.
    public init(comparison: Comparison, latest: [String: [[Claim]]]? = nil, recipient: String,
                measure: Measure? = nil, period: Statement.Period? = nil) {
        self.recipient = recipient
        self.measure = measure
        self.period = period
        asOf = comparison.asOf
        let filter = Filter(recipient: recipient, measure: measure, period: period)
        func about(_ s: Statement) -> [Figure] { filter.figures(in: s) }
        func near(_ r: String) -> Bool { RecipientHierarchy.isWithin(r, recipient) || RecipientHierarchy.isWithin(recipient, r) }
        let width = comparison.categories.count
        rows = comparison.platforms.enumerated().map { index, platform in
            var figures: [Reported] = [], policies: [Claim] = [], marks: [Mark] = []
            // Cells are row-major: this platform's are one run of `width`.
            for cell in comparison.cells[(index * width)..<((index + 1) * width)] {
                guard let first = cell.claim else { continue }
                var related = false
                for claim in [first] + cell.others {
                    guard let s = claim.statement else { continue }
                    let found = about(s)
                    if !found.isEmpty {
                        // Figures come from the cells only without `latest` (which holds them then).
                        if latest == nil { figures.append(Reported(claim: claim, figures: found)) }
                        related = true
                    } else if s.recipients.contains(where: near) || s.assertions.contains(where: { $0.recipient.map(near) ?? false }) {
                        // "0 bytes to third parties" is no figure for governments, but a policy toward them.
                        policies.append(claim)
                        related = true
                    }
                }
                if related { marks += cell.marks }
            }
            for candidates in latest?[platform] ?? [] {
                // The latest report with figures about the recipient, and any published the same day.
                let reporting = candidates.compactMap { c in c.statement.map { (claim: c, figures: about($0)) } }.filter { !$0.figures.isEmpty }
                for r in reporting where r.claim.effectiveDate == reporting.first?.claim.effectiveDate {
                    figures.append(Reported(claim: r.claim, figures: r.figures))
                }
            }
            return Row(platform: platform, figures: figures.sorted { $0.claim.seq < $1.claim.seq },
                       policies: policies.sorted { $0.seq < $1.seq }, marks: marks)
        }
    }
}

extension RecipientView {
    /// The view in `format`; a table narrower than `width` scalars when given (cells wrap).
    public func render(_ format: OutputFormat, width: Int? = nil) -> String {
        switch format {
        case .json: return Render.text(json)
        case .csv: return Render.csv([RecipientView.csvHeader] + csvRows)
        case .table: return Render.table(tableRows, width: width, wrapping: [1, 2, 3])  // figures, policy, marks
        case .markdown:
            return "Who gives data to \(recipient), as of \(asOf)\n\n" + Render.markdown(markdownRows)
        }
    }

    /// `{"recipient", "as_of", "measure"?, "period"?, "rows": [{"platform", "figures": [{"claim":
    /// claim, "figures": [figure]}], "policies": [claim], "marks": [mark]}]}` (FORMAT.md §14a).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "recipient": .string(recipient), "as_of": .string(asOf),
            "rows": .array(rows.map { row in
                .object([
                    "platform": .string(row.platform),
                    "figures": .array(row.figures.map { f in
                        .object(["claim": Render.json(f.claim, content: false), "figures": .array(f.figures.map(Render.json))])
                    }),
                    "policies": .array(row.policies.map { Render.json($0) }),
                    "marks": .array(row.marks.map(Render.json)),
                ])
            }),
        ]
        if let measure { o["measure"] = .string(measure.rawValue) }
        if let period { o["period"] = .object(["start": .string(period.start.description), "end": .string(period.end.description)]) }
        return .object(o)
    }

    static let csvHeader = ["platform", "kind", "seq", "signer", "published", "period_start", "period_end", "figures",
                            "marks", "summary", "quote", "source_url", "source_sha256"]

    /// One line per figure or policy (a platform with neither gets one empty line).
    var csvRows: [[String]] {
        rows.flatMap { row -> [[String]] in
            func line(_ kind: String, _ claim: Claim, _ figures: [Figure]) -> [String] {
                let periods = figures.compactMap(\.period)
                return [row.platform, kind, String(claim.seq), claim.signer, claim.effectiveDate,
                        periods.map(\.start).min()?.description ?? "", periods.map(\.end).max()?.description ?? "",
                        figures.map(\.text).joined(separator: ";"), Render.marks(row.marks),
                        Render.summary(claim)] + Render.citation(claim)
            }
            let lines = row.figures.map { line("figure", $0.claim, $0.figures) } + row.policies.map { line("policy", $0, []) }
            return lines.isEmpty ? [[row.platform, "none"] + Array(repeating: "", count: RecipientView.csvHeader.count - 2)] : lines
        }
    }

    var tableRows: [[String]] {
        [["PLATFORM", "FIGURES", "POLICY", "MARKS"]] + rows.map { row in
            let figures = row.figures.map { f in f.figures.map(Words.figure).joined(separator: "; ") + " (seq \(f.claim.seq), \(f.claim.effectiveDate))" }
            let policies = row.policies.map { "\(RecipientView.policy($0)) (seq \($0.seq))" }
            return [row.platform, figures.isEmpty ? "-" : figures.joined(separator: "; "), policies.isEmpty ? "-" : policies.joined(separator: "; "),
                    Render.marks(row.marks)]
        }
    }

    var markdownRows: [[String]] {
        [["platform", "figures", "policy", "marks"]] + rows.map { row in
            let figures = row.figures.map { f in
                f.figures.map(Words.figure).joined(separator: "; ") + " (seq \(f.claim.seq), \(f.claim.effectiveDate)"
                    + (f.claim.statement?.source.url.map { ", [source](\($0))" } ?? "") + ")"
            }
            let policies = row.policies.map { c in
                RecipientView.policy(c) + " (seq \(c.seq)" + (c.statement?.source.url.map { ", [source](\($0))" } ?? "") + ")"
            }
            return [row.platform, figures.isEmpty ? "—" : figures.joined(separator: "\n"), policies.isEmpty ? "—" : policies.joined(separator: "\n"),
                    row.marks.isEmpty ? "" : Render.marks(row.marks)]
        }
    }
}

extension RecipientView {
    /// Which figures the view shows: about the recipient or a narrower one (v1: the quantity's
    /// recipient, else the statement's), of the measure, over a period overlapping the period.
    public struct Filter: Sendable {
        public let recipient: String
        public let measure: Measure?
        public let period: Statement.Period?

        public init(recipient: String, measure: Measure?, period: Statement.Period?) {
            self.recipient = recipient
            self.measure = measure
            self.period = period
        }

        public func figures(in s: Statement) -> [Figure] {
            s.figures.filter { f in
                (f.requester.map { [$0] } ?? s.recipients).contains { RecipientHierarchy.isWithin($0, recipient) }
                    && (measure == nil || f.measure == measure)
                    && (period.map { p in f.period.map { $0.start <= p.end && p.start <= $0.end } ?? false } ?? true)
            }
        }
    }

    /// A policy as the reader reads it: its assertions in words where it has them, else its summary.
    public static func policy(_ c: Claim) -> String {
        guard let s = c.statement, !s.assertions.isEmpty else { return Render.summary(c) }
        return s.assertions.map(Words.assertion).joined(separator: "; ")
    }
}
