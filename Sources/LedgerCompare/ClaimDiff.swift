import LedgerCore

/// `ledger diff A B`: two statements side by side, and what changed from the first to the second
/// (the same `Changes` a history shows between consecutive claims, for any two).
public struct ClaimDiff: Sendable {
    public let before: Claim
    public let after: Claim
    public let changes: Changes

    public init(before: Claim, after: Claim) {
        self.before = before
        self.after = after
        changes = Changes(from: before, to: after)
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return Render.text(.object(["before": Render.json(before), "after": Render.json(after), "changes": History.json(changes)]))
        case .table, .csv, .markdown:
            func head(_ label: String, _ c: Claim) -> [String] {
                var lines = ["\(label) seq \(c.seq)  \(c.platform)  \(c.category)  published \(c.effectiveDate)  by \(c.signer)"]
                if let s = c.statement {
                    lines += (Words.lines(s) + [Words.quote(s)]).map { "    " + $0 }
                } else {
                    lines.append("    (body withheld by a signed notice)")
                }
                return lines
            }
            let what = changes.words + changes.figureDeltas.map(\.text)
                + (changes.notComparable.isEmpty ? [] : ["not comparable: " + changes.notComparable.map(\.text).joined(separator: ", ")])
            let fields = changes.added.map { "+" + $0 } + changes.removed.map { "-" + $0 } + changes.changed.map { "~" + $0 }
            var lines = head("before:", before) + head("after: ", after) + ["what changed:"]
            lines += (what.isEmpty ? ["nothing in what the platform says"] : what).map { "    " + $0 }
            if !fields.isEmpty { lines.append("    fields: " + fields.joined(separator: " ")) }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
