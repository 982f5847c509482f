import LedgerConcurrency
import LedgerCore

/// The output formats of `compare` and `history`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, markdown
}

/// Shared pieces of the renderers: RFC 4180 CSV, aligned text tables, Markdown tables and the
/// JSON form of a claim.
enum Render {
    /// RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled; lines end CRLF.
    /// (By byte: a history writes thousands of fields.)
    static func csv(_ rows: [[String]]) -> String {
        var out: [UInt8] = []
        for row in rows {
            for (i, f) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                let bytes = f.utf8
                guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                    out.append(contentsOf: bytes)
                    continue
                }
                out.append(0x22)
                for b in bytes {
                    if b == 0x22 { out.append(0x22) }
                    out.append(b)
                }
                out.append(0x22)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Columns padded to their widest value (in Unicode scalars), separated by two spaces.
    static func table(_ rows: [[String]]) -> String {
        let measured = measure(rows)
        return aligned(rows, measured.lengths, measured.widths)
    }

    /// Each cell's length in Unicode scalars and each column's widest. Counting scalars reads
    /// every byte: on every core for a long table.
    static func measure(_ rows: [[String]]) -> (lengths: [[Int]], widths: [Int]) {
        let count = { @Sendable (row: [String]) in row.map { $0.unicodeScalars.count } }
        let lengths = rows.count > 256 ? parallelMap(rows, count) : rows.map(count)
        var widths = Array(repeating: 0, count: rows.first?.count ?? 0)
        for row in lengths { for (i, n) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], n) } }
        return (lengths, widths)
    }

    /// The rows on one line each, padded to `widths`.
    static func aligned(_ rows: [[String]], _ lengths: [[Int]], _ widths: [Int]) -> String {
        let width = widths.count
        guard width > 0 else { return "" }
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * (widths.reduce(0, +) + 2 * width + 1))
        for (row, lens) in zip(rows, lengths) {
            for (i, f) in row.enumerated() {
                if i > 0 { out.append(0x20); out.append(0x20) }
                out.append(contentsOf: f.utf8)
                if i < width - 1 { out.append(contentsOf: repeatElement(0x20, count: widths[i] - lens[i])) }
            }
            while out.last == 0x20 { out.removeLast() }
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A GitHub-flavoured Markdown table. In cells, `&`, `<` and `>` become HTML entities (so
    /// statement text cannot inject markup), `|` is escaped as `\|`, a tab becomes a space, CR
    /// is dropped and a line break becomes `<br>` (by byte: a history writes thousands of cells).
    static func markdown(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        var out: [UInt8] = []
        func line(_ r: [String]) {
            out.append(contentsOf: "| ".utf8)
            for (i, cell) in r.enumerated() {
                if i > 0 { out.append(contentsOf: " | ".utf8) }
                for b in cell.utf8 {
                    switch b {
                    case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
                    case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
                    case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
                    case UInt8(ascii: "|"): out.append(contentsOf: "\\|".utf8)
                    case 0x09: out.append(0x20)
                    case 0x0D: break
                    case 0x0A: out.append(contentsOf: "<br>".utf8)
                    default: out.append(b)
                    }
                }
            }
            out.append(contentsOf: " |\n".utf8)
        }
        line(header)
        out.append(contentsOf: ("|" + header.map { _ in " --- |" }.joined() + "\n").utf8)
        for r in rows.dropFirst() { line(r) }
        return String(decoding: out, as: UTF8.self)
    }

    /// One line of free text, at most `n` characters (only the head of a long quote is read).
    /// Line breaks and tabs become spaces. (Without Foundation: a history renders thousands.)
    static func clip(_ s: String, _ n: Int) -> String {
        func flat(_ t: Substring) -> String {
            guard t.utf8.contains(where: { $0 == 0x0A || $0 == 0x09 }) else { return String(t) }
            var scalars = String.UnicodeScalarView()
            for u in t.unicodeScalars { scalars.append(u == "\n" || u == "\t" ? " " : u) }
            return String(scalars)
        }
        guard let cut = s.index(s.startIndex, offsetBy: n, limitedBy: s.endIndex), cut != s.endIndex else { return flat(s[...]) }
        return flat(s[..<s.index(before: cut)]) + "…"
    }

    /// `readable`: in words with thousands separators, for tables and Markdown (CSV keeps the
    /// machine form with plain integers, FORMAT.md §14a).
    static func quantities(_ c: Claim, readable: Bool = false) -> String {
        guard let s = c.statement else { return "(withheld)" }
        return readable ? Words.content(s) : (s.figures.map(\.text) + s.assertions.map(\.text)).joined(separator: ";")
    }

    /// What a reader cites: the quote, and where it can be read.
    static func citation(_ c: Claim) -> [String] {
        guard let s = c.statement else { return ["", "", ""] }
        return [s.quote, s.source.url ?? "", s.source.sha256.hex]
    }

    static func responses(_ c: Claim) -> String { "+\(c.endorsements)/-\(c.disputes)" }

    static func marks(_ marks: [Mark]) -> String { marks.map(\.text).joined(separator: " ") }

    static func summary(_ c: Claim) -> String {
        guard let s = c.statement else { return "(body withheld)" }
        return s.summary ?? s.quote
    }

    /// A claim as FORMAT.md §14a gives it; `content: false` leaves out its figures and
    /// assertions (where the answer lists the ones that matter beside it).
    static func json(_ c: Claim, content: Bool = true) -> JSONValue {
        var o: [String: JSONValue] = [
            "seq": .integer(c.seq), "signer": .string(c.signer), "appended_at": .string(c.appendedAt),
            "platform": .string(c.platform), "category": .string(c.category), "published": .string(c.effectiveDate),
            "withheld": .bool(c.isWithheld), "endorsements": .integer(Int64(c.endorsements)), "disputes": .integer(Int64(c.disputes)),
        ]
        if let corr = c.corrects { o[corr.kind == .amendment ? "amends" : "retracts"] = .integer(corr.seq) }
        if let s = c.statement {
            if let summary = s.summary { o["summary"] = .string(summary) }
            o["schema_version"] = .integer(Int64(s.version))
            if !s.products.isEmpty { o["products"] = .array(s.products.map(JSONValue.string)) }
            if let d = s.takesEffect { o["takes_effect"] = .string(d.description) }
            if content {
                o["figures"] = .array(s.figures.map(json))
                o["assertions"] = .array(s.assertions.map(json))
            }
            o["recipients"] = .array(s.recipients.map(JSONValue.string))
            o["data_kinds"] = .array(s.dataKinds.map(JSONValue.string))
            if let p = s.period { o["period"] = .object(["start": .string(p.start.description), "end": .string(p.end.description)]) }
            if let url = s.source.url { o["source_url"] = .string(url) }
            if let title = s.source.title { o["source_title"] = .string(title) }
            o["source_sha256"] = .string(s.source.sha256.hex)
            o["quote"] = .string(s.quote)
            o["language"] = .string(s.language)
        }
        return .object(o)
    }

    /// A figure as `disclosure-statement/v2` writes it (a v1 quantity in its mapped form).
    static func json(_ f: Figure) -> JSONValue {
        var m: [String: JSONValue] = ["measure": .string(f.measure.rawValue)]
        switch f.value {
        case .count(let n): m["count"] = .integer(n)
        case .band(let low, let high): m["band"] = .object(["low": .integer(low), "high": .integer(high)])
        case .share(let bp): m["share_bp"] = .integer(bp)
        }
        if let p = f.period { m["period"] = .object(["start": .string(p.start.description), "end": .string(p.end.description)]) }
        if let j = f.jurisdiction { m["jurisdiction"] = .string(j) }
        if let p = f.process { m["process"] = .string(p.rawValue) }
        if let r = f.requester { m["requester"] = .string(r) }
        if let d = f.dataKind { m["data_kind"] = .string(d) }
        return .object(m)
    }

    static func json(_ a: Assertion) -> JSONValue {
        var m: [String: JSONValue] = ["polarity": .string(a.polarity.rawValue), "action": .string(a.action.rawValue)]
        if let r = a.recipient { m["recipient"] = .string(r) }
        if let j = a.jurisdiction { m["jurisdiction"] = .string(j) }
        if !a.dataKinds.isEmpty { m["data_kinds"] = .array(a.dataKinds.map(JSONValue.string)) }
        if let c = a.condition { m["condition"] = .string(c) }
        return .object(m)
    }

    static func json(_ m: Mark) -> JSONValue {
        var o: [String: JSONValue] = ["kind": .string(m.kind.rawValue), "seqs": .array(m.seqs.map(JSONValue.integer))]
        if let since = m.since { o["since"] = .string(since) }
        return .object(o)
    }

    static func text(_ value: JSONValue) -> String { CanonicalJSON.string(value) + "\n" }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
