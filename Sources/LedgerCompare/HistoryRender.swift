import LedgerConcurrency
import LedgerCore

extension History {
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return Render.text(json)
        case .csv: return Render.csv([History.header + ["quote", "source_url", "source_sha256"]]
                                     + rows(summaryLimit: nil).enumerated().map { $0.element + Render.citation(events[$0.offset].claim) })
        case .table: return timeline()
        case .markdown:
            return "History of \(platform)\(category.map { " (\($0))" } ?? "")\n\n" + Render.markdown([History.header] + rows(summaryLimit: nil, readable: true))
        }
    }

    /// `{"platform", "category"?, "since"?, "events": [{"claim": {…}, "status", "status_seq"?, "marks": […],
    /// "changes": {"since_seq", "added", "removed", "changed", "words", "figure_deltas": [{"key", "measure",
    /// "from", "to", "delta"?, "text"}], "not_comparable": [{"key", "measure", "reason"}]} or null}]}`
    /// in canonical JSON (FORMAT.md §14a).
    public var json: JSONValue {
        var o: [String: JSONValue] = ["platform": .string(platform), "events": .array(events.map { e in
            var m: [String: JSONValue] = ["claim": Render.json(e.claim), "marks": .array(e.marks.map(Render.json))]
            switch e.status {
            case .live: m["status"] = .string("live")
            case .amended(let by): m["status"] = .string("amended"); m["status_seq"] = .integer(by)
            case .retracted(let by): m["status"] = .string("retracted"); m["status_seq"] = .integer(by)
            case .retraction(let of): m["status"] = .string("retraction"); m["status_seq"] = .integer(of)
            }
            m["changes"] = e.changes.map(History.json) ?? .null
            return .object(m)
        })]
        if let category { o["category"] = .string(category) }
        if let since { o["since"] = .string(since) }
        if let next = next?.cursorField { o["next"] = .object([next.name: .string(next.cursor.text)]) }
        return .object(o)
    }

    static func json(_ c: Changes) -> JSONValue {
        .object([
            "since_seq": .integer(c.sinceSeq),
            "added": .array(c.added.map(JSONValue.string)),
            "removed": .array(c.removed.map(JSONValue.string)),
            "changed": .array(c.changed.map(JSONValue.string)),
            "words": .array(c.words.map(JSONValue.string)),
            "figure_deltas": .array(c.figureDeltas.map { d in
                var m: [String: JSONValue] = ["key": .string(d.key.description), "measure": .string(d.key.measure.rawValue),
                                              "from": .string(d.from.text), "to": .string(d.to.text), "text": .string(d.text)]
                if let x = d.delta { m["delta"] = .integer(x) }
                return .object(m)
            }),
            "not_comparable": .array(c.notComparable.map { n in
                let m: [String: JSONValue] = ["key": .string(n.key.description), "measure": .string(n.key.measure.rawValue),
                                              "reason": .string(n.reason.rawValue)]
                return .object(m)
            }),
        ])
    }

    /// The terminal form: one block per event, as a reader follows a timeline (FORMAT.md §14a):
    ///
    ///     2024-10-02  seq 6  government-requests  by demo  live  contradicts:1,2,3  +0/-0
    ///       2,380 requests with data produced (law-enforcement, IN, 2024-07-01 to 2024-09-30)
    ///       since 4: quote reworded; …
    ///       "For example, in Brazil, we disclosed data for …"
    ///       https://htxt.co.za/…
    ///
    /// Blocks are built on every core and joined (a timeline can hold thousands).
    func timeline() -> String {
        let title = "History of \(platform)" + (category.map { " (\($0))" } ?? "") + (since.map { " since \($0)" } ?? "") + "\n"
        let blocks: [[UInt8]] = parallelMap(events) { e in
            let c = e.claim
            var head = "\n\(c.effectiveDate)  seq \(c.seq)  \(c.category)  by \(c.signer)  \(e.status.text)"
            if !e.marks.isEmpty { head += "  " + Render.marks(e.marks) }
            head += "  " + Render.responses(c) + "\n"
            var lines: [String] = []
            if let s = c.statement {
                lines += Words.lines(s)
                if let changes = e.changes { lines.append(History.text(changes)) }
                lines.append(Words.quote(s))
                lines.append(s.source.url ?? s.source.title ?? "")
            } else {
                lines.append("(body withheld by a signed notice)")
            }
            var out = Array(head.utf8)
            for l in lines {
                out.append(contentsOf: [0x20, 0x20])
                out.append(contentsOf: l.utf8)
                out.append(0x0A)
            }
            return out
        }
        var out = Array(title.utf8)
        out.reserveCapacity(blocks.reduce(out.count) { $0 + $1.count })
        for b in blocks { out.append(contentsOf: b) }
        if let next = next?.cursorField { out.append(contentsOf: "\nmore: --\(next.name) \(next.cursor.text)".utf8) }
        return String(decoding: out, as: UTF8.self)
    }

    static let header = ["published", "category", "seq", "signer", "status", "figures", "endorsements", "disputes",
                         "marks", "changes", "summary"]

    /// One row per event (built on every core: a timeline can hold thousands).
    func rows(summaryLimit: Int?, readable: Bool = false) -> [[String]] {
        parallelMap(events) { e in
            let summary = Render.summary(e.claim)
            return [e.claim.effectiveDate, e.claim.category, String(e.claim.seq), e.claim.signer, e.status.text,
                    Render.quantities(e.claim, readable: readable),
                    String(e.claim.endorsements), String(e.claim.disputes), Render.marks(e.marks), e.changes.map(History.text) ?? "",
                    summaryLimit.map { Render.clip(summary, $0) } ?? summary]
        }
    }

    /// `since 3: withdrawn: has never disclosed …; requests-received@governments in US: 100 ->
    /// 150, up 50; not comparable: bytes-disclosed (only before); fields: +figures ~quote`.
    static func text(_ c: Changes) -> String {
        let fields = c.added.map { "+" + $0 } + c.removed.map { "-" + $0 } + c.changed.map { "~" + $0 }
        let apart = c.notComparable.isEmpty ? [] : ["not comparable: " + c.notComparable.map(\.text).joined(separator: ", ")]
        let parts = c.words + c.figureDeltas.map(\.text) + apart + (fields.isEmpty ? [] : ["fields: " + fields.joined(separator: " ")])
        return "since \(c.sinceSeq): " + (parts.isEmpty ? "nothing changed" : parts.joined(separator: "; "))
    }
}
