import LedgerConcurrency
import LedgerCore

extension Comparison {
    /// The comparison in `format`; a table narrower than `width` scalars when given (cells wrap).
    public func render(_ format: OutputFormat, width: Int? = nil) -> String {
        switch format {
        case .json: return jsonText
        case .csv: return Render.csv([Comparison.csvHeader] + parallelMap(cells, csvRow))
        case .table: return Render.table(tableRows, width: width, wrapping: [5, 7, 8])  // figures, marks, summary
        case .markdown: return markdown
        }
    }

    /// `{"as_of", "platforms", "categories", "cells": [{"platform", "category", "claim": {…} or null,
    /// "others": [{…}], "marks": [{"kind", "seqs"}]}]}` in canonical JSON.
    public var json: JSONValue {
        .object([
            "as_of": .string(asOf),
            "platforms": .array(platforms.map(JSONValue.string)),
            "categories": .array(categories.map(JSONValue.string)),
            "cells": .array(cells.map(Comparison.json)),
        ])
    }

    /// `others_omitted` only when some are: a cell of ordinary size keeps its bytes.
    static func json(_ c: Cell) -> JSONValue {
        var members: [String: JSONValue] = ["platform": .string(c.platform), "category": .string(c.category),
                                            "claim": c.claim.map { Render.json($0) } ?? .null, "others": .array(c.others.map { Render.json($0) }),
                                            "marks": .array(c.marks.map(Render.json))]
        if c.othersOmitted > 0 { members["others_omitted"] = .integer(Int64(c.othersOmitted)) }
        return .object(JSONObject(members))
    }

    /// The canonical text of `json` and a newline, with the cells encoded on every core. The
    /// members of the top object are written in RFC 8785 order (as_of, categories, cells, platforms).
    var jsonText: String {
        let cellBytes = parallelMap(cells) { CanonicalJSON.encode(Comparison.json($0)) }
        var out: [UInt8] = Array(#"{"as_of":"#.utf8) + CanonicalJSON.encode(.string(asOf))
        out += Array(#","categories":"#.utf8) + CanonicalJSON.encode(.array(categories.map(JSONValue.string)))
        out += Array(#","cells":["#.utf8)
        for (i, bytes) in cellBytes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += bytes
        }
        out += Array(#"],"platforms":"#.utf8) + CanonicalJSON.encode(.array(platforms.map(JSONValue.string)))
        out += Array("}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    static let csvHeader = ["platform", "category", "seq", "signer", "published", "period_start", "period_end", "figures",
                            "recipients", "data_kinds", "endorsements", "disputes", "other_seqs", "others_omitted", "marks",
                            "summary", "quote", "source_url", "source_sha256"]

    func csvRow(_ c: Cell) -> [String] {
        guard let claim = c.claim else { return [c.platform, c.category] + Array(repeating: "", count: 17) }
        let s = claim.statement
        return [c.platform, c.category, String(claim.seq), claim.signer, claim.effectiveDate,
                s?.period?.start.description ?? "", s?.period?.end.description ?? "", Render.quantities(claim),
                s?.recipients.joined(separator: ";") ?? "", s?.dataKinds.joined(separator: ";") ?? "",
                String(claim.endorsements), String(claim.disputes), c.others.map { String($0.seq) }.joined(separator: ";"),
                String(c.othersOmitted), Render.marks(c.marks), Render.summary(claim)] + Render.citation(claim)
    }

    var tableRows: [[String]] {
        [["PLATFORM", "CATEGORY", "PUBLISHED", "SEQ", "SIGNER", "FIGURES", "+/-", "MARKS", "SUMMARY"]] + cells.map { c in
            guard let claim = c.claim else { return [c.platform, c.category, "-", "-", "-", "-", "-", "", "(no claim)"] }
            let seq = String(claim.seq) + Comparison.othersNote(c)
            return [c.platform, c.category, claim.effectiveDate, seq, claim.signer, Render.quantities(claim, readable: true),
                    Render.responses(claim), Render.marks(c.marks), Render.clip(Render.summary(claim), 60)]
        }
    }

    /// The table's note on the other claims of the cell's date: ` (+12,15)`, or past three
    /// ` (+40,41,42 and 83 more)`, newest last.
    static func othersNote(_ c: Cell) -> String {
        guard !c.others.isEmpty else { return "" }
        let shown = c.others.suffix(3).map { String($0.seq) }.joined(separator: ",")
        let more = c.others.count - min(c.others.count, 3) + c.othersOmitted
        return " (+" + shown + (more > 0 ? " and \(more) more" : "") + ")"
    }

    /// The grid: one row per platform, one column per category.
    var markdown: String {
        var rows = [["platform"] + categories]
        for (i, platform) in platforms.enumerated() {
            let row = cells[(i * categories.count)..<((i + 1) * categories.count)]
            rows.append([platform] + row.map { c in
                guard let claim = c.claim else { return "—" }
                var parts = [Render.summary(claim)]
                if let s = claim.statement, !(s.figures.isEmpty && s.assertions.isEmpty) { parts.append(Words.content(s)) }
                if let url = claim.statement?.source.url { parts.append("[source](\(url))") }
                parts.append("seq \(claim.seq), \(claim.signer), \(claim.effectiveDate), \(Render.responses(claim))")
                if !c.marks.isEmpty { parts.append("**⚠ \(Render.marks(c.marks))**") }
                return parts.joined(separator: "\n")
            })
        }
        return "Claims in force on \(asOf)\n\n" + Render.markdown(rows)
    }
}
