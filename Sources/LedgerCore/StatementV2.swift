/// Reading `disclosure-statement/v2` (docs/FORMAT.md §4, docs/SCHEMA.md): figures with their
/// own period, jurisdiction, legal process and requester; assertions with a polarity; the
/// publication date apart from the date a policy takes effect; products of one company.
extension Statement {
    init(v2 r: inout FieldReader) throws {
        let platform = try r.slug("platform")
        let products = try r.slugs("products", maxCount: 16)
        let category = try Statement.category(&r)
        let summary = try r.optionalString("summary", maxLength: 500)
        let speaker = try r.optionalString("speaker", maxLength: 200)
        let recipients = try Statement.recipients(&r, "recipients")
        let dataKinds = try r.slugs("data_kinds", maxCount: 32)
        let figures = try r.array("figures", maxCount: 256, emptyAllowed: false).enumerated().map { i, item in
            try Statement.figure(item, path: "figures[\(i)]")
        }
        let assertions = try r.array("assertions", maxCount: 32, emptyAllowed: false).enumerated().map { i, item in
            try Statement.assertion(item, path: "assertions[\(i)]")
        }
        let published = try Statement.date(&r, "published")
        let takesEffect = r.has("effective_date") ? try Statement.date(&r, "effective_date") : nil
        let source = try Statement.source(&r)
        let quote = try r.string("quote", maxLength: 16_384, allowNewlines: true)
        let language = try Statement.language(&r)
        let supersedes = try Statement.supersedes(&r)
        self.init(version: 2, platform: platform, products: products, category: category, summary: summary, speaker: speaker,
                  recipients: recipients, dataKinds: dataKinds, figures: figures, assertions: assertions, period: nil,
                  published: published, takesEffect: takesEffect, source: source, quote: quote, language: language, supersedes: supersedes)
    }

    static func figure(_ item: JSONValue, path: String) throws -> Figure {
        var f = try FieldReader(item, path: path)
        let measure: Measure = try f.choice("measure", among: Measure.v2)
        let value = try figureValue(&f)
        guard let period = try Statement.period(&f) else { throw ValidationError(f.child("period"), "is required: the span the figure counts, e.g. {\"start\": \"2023-01-01\", \"end\": \"2023-06-30\"}") }
        let jurisdiction = try Statement.jurisdiction(&f, required: true)
        let process: LegalProcess? = f.has("process") ? try f.choice("process", among: LegalProcess.allCases) : nil
        guard let requester = try Statement.recipient(&f, "requester", required: true) else { throw ValidationError(f.child("requester"), "is required") }
        let dataKind = f.has("data_kind") ? try f.slug("data_kind") : nil
        try f.finish()
        return Figure(measure: measure, value: value, period: period, jurisdiction: jurisdiction, process: process,
                      requester: requester, dataKind: dataKind)
    }

    /// Exactly one of `count`, `band` or `share_bp`.
    private static func figureValue(_ f: inout FieldReader) throws -> Figure.Value {
        let given = ["count", "band", "share_bp"].filter { f.has($0) }
        guard given.count == 1 else {
            throw ValidationError(f.child(given.count > 1 ? given[1] : "count"),
                                  given.isEmpty ? "is required: give the figure as \"count\", \"band\" or \"share_bp\""
                                                : "cannot be given with \"\(given[0])\": a figure has one value")
        }
        switch given[0] {
        case "count":
            return .count(try f.integer("count", min: 0))
        case "band":
            var b = try f.object("band")
            let low = try b.integer("low", min: 0), high = try b.integer("high", min: 0)
            guard low < high else {
                throw ValidationError(b.child("low"), low == high ? "equals band.high (\(high)): write an exact figure as \"count\"" : "\(low) is above band.high \(high)")
            }
            try b.finish()
            return .band(low: low, high: high)
        default:
            let bp = try f.integer("share_bp", min: 0)
            guard bp <= 10_000 else { throw ValidationError(f.child("share_bp"), "\(bp) basis points is over 100 % (10000)") }
            return .share(basisPoints: bp)
        }
    }

    static func assertion(_ item: JSONValue, path: String) throws -> Assertion {
        var a = try FieldReader(item, path: path)
        let polarity: Polarity = try a.choice("polarity", among: Polarity.allCases)
        let action: AssertionAction = try a.choice("action", among: AssertionAction.allCases)
        let recipient = try Statement.recipient(&a, "recipient", required: action != .useForAdvertising)
        let jurisdiction = try Statement.jurisdiction(&a, required: false)
        let dataKinds = try a.slugs("data_kinds", maxCount: 32)
        let condition = try a.optionalString("condition", maxLength: 500)
        if condition != nil && polarity.deniesIt {
            throw ValidationError(a.child("condition"), "is for \"may\" and \"does\"; a \"\(polarity.rawValue)\" claim has no condition")
        }
        try a.finish()
        return Assertion(polarity: polarity, action: action, recipient: recipient, jurisdiction: jurisdiction,
                         dataKinds: dataKinds, condition: condition)
    }

    /// A recipient of the hierarchy (Recipient.all).
    static func recipient(_ r: inout FieldReader, _ key: String, required: Bool) throws -> String? {
        guard required || r.has(key) else { return nil }
        let s = try r.string(key, maxLength: 64)
        guard Recipient.isKnown(s) else { throw ValidationError(r.child(key), unknownRecipient(s)) }
        return s
    }

    private static func recipients(_ r: inout FieldReader, _ key: String) throws -> [String] {
        let list = try r.slugs(key, maxCount: 32)
        if let i = list.firstIndex(where: { !Recipient.isKnown($0) }) {
            throw ValidationError("\(r.child(key))[\(i)]", unknownRecipient(list[i]))
        }
        return list
    }

    private static func unknownRecipient(_ s: String) -> String {
        let hint = Recipient.all.first { s.hasPrefix($0 + "-") }
            .map { "; a country is not part of the name: write \"\($0)\" and give the jurisdiction" } ?? ""
        return "unknown recipient '\(s)'\(hint); one of: \(Recipient.all.joined(separator: ", "))"
    }

    /// An ISO 3166-1 alpha-2 code or `worldwide` (required) or a code alone (optional: absent
    /// means everywhere, so `worldwide` would be a second spelling and is refused).
    private static func jurisdiction(_ r: inout FieldReader, required: Bool) throws -> String? {
        guard required || r.has("jurisdiction") else { return nil }
        let s = try r.string("jurisdiction", maxLength: 16)
        guard Jurisdiction.isValid(s), required || s != Jurisdiction.worldwide else {
            throw ValidationError(r.child("jurisdiction"), required
                ? "'\(s)' is not an ISO 3166-1 alpha-2 country code (such as \"US\", \"IN\", \"DE\") or \"worldwide\""
                : "'\(s)' is not an ISO 3166-1 alpha-2 country code (such as \"US\", \"IN\", \"DE\"); leave it out for everywhere")
        }
        return s
    }
}

extension FieldReader {
    /// A member whose value is one of a closed vocabulary's words.
    mutating func choice<T: RawRepresentable>(_ key: String, among allowed: [T]) throws -> T where T.RawValue == String {
        let text = try string(key, maxLength: 64)
        guard let value = allowed.first(where: { $0.rawValue == text }) else {
            throw ValidationError(child(key), "unknown \(key) '\(text)'; one of: \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
