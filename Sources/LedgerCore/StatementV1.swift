/// Reading `disclosure-statement/v1` into the statement model (docs/SCHEMA.md, "Reading v1
/// statements"). v1 entries stay in ledgers for good and keep verifying; the comparison reads
/// them beside v2 through this mapping:
/// - `effective_date` is the publication date (v1 meant "the date the claim was made or
///   published");
/// - each quantity becomes a figure over the statement's `period`, with its recipient as the
///   requester and no jurisdiction or legal process; the units map to measures: `bytes` →
///   `bytes-disclosed`, `requests-received` → `requests-received`, `requests-complied` →
///   `requests-with-data-produced`, `accounts-affected` → `accounts-affected` (kept apart: v1
///   used it for accounts requested and for accounts disclosed alike).
extension Statement {
    /// v1's units, in the order of its closed list.
    static let v1Units: [(unit: String, measure: Measure)] = [
        ("bytes", .bytesDisclosed), ("requests-received", .requestsReceived),
        ("requests-complied", .requestsWithDataProduced), ("accounts-affected", .accountsAffected),
    ]

    init(v1 r: inout FieldReader) throws {
        let platform = try r.slug("platform")
        let category = try Statement.category(&r)
        let summary = try r.optionalString("summary", maxLength: 500)
        let speaker = try r.optionalString("speaker", maxLength: 200)
        let recipients = try r.slugs("recipients", maxCount: 32)
        let dataKinds = try r.slugs("data_kinds", maxCount: 32)
        let quantities = try r.array("quantities", maxCount: 64, emptyAllowed: false)
        let period = try Statement.period(&r)
        let figures = try quantities.enumerated().map { i, item in try Statement.v1Figure(item, index: i, period: period) }
        let published = try Statement.date(&r, "effective_date")
        let source = try Statement.source(&r)
        let quote = try r.string("quote", maxLength: 16_384, allowNewlines: true)
        let language = try Statement.language(&r)
        let supersedes = try Statement.supersedes(&r)
        self.init(version: 1, platform: platform, products: [], category: category, summary: summary, speaker: speaker,
                  recipients: recipients, dataKinds: dataKinds, figures: figures, assertions: [], period: period,
                  published: published, takesEffect: nil, source: source, quote: quote, language: language, supersedes: supersedes)
    }

    private static func v1Figure(_ item: JSONValue, index i: Int, period: Period?) throws -> Figure {
        var q = try FieldReader(item, path: "quantities[\(i)]")
        let unitText = try q.string("unit", maxLength: 64)
        guard let measure = v1Units.first(where: { $0.unit == unitText })?.measure else {
            throw ValidationError(q.child("unit"), "unknown unit '\(unitText)'; one of: \(v1Units.map(\.unit).joined(separator: ", "))")
        }
        let value = try q.integer("value", min: 0)
        let recipient = q.optional("recipient") == nil ? nil : try q.slug("recipient")
        let dataKind = q.optional("data_kind") == nil ? nil : try q.slug("data_kind")
        try q.finish()
        return Figure(measure: measure, value: .count(value), period: period, jurisdiction: nil, process: nil,
                      requester: recipient, dataKind: dataKind)
    }
}
