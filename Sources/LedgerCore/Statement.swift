import LedgerCrypto

/// A statement: what a platform states about handing user data to others. Two schemas say it:
/// `disclosure-statement/v2` (what `statement new` writes) and `disclosure-statement/v1`, read
/// through the mapping of docs/SCHEMA.md "Reading v1 statements" (StatementV1.swift). The
/// ledger signs and stores the RFC 8785 canonical bytes of the JSON, not this model; the model
/// exists to validate those bytes and to answer queries.
public struct Statement: Equatable, Sendable {
    /// The schema `statement new` writes.
    public static let schema = "disclosure-statement/v2"
    public static let schemaV1 = "disclosure-statement/v1"
    public static let maxBytes = 64 * 1024

    public struct Period: Equatable, Sendable {
        public let start: CalendarDate
        public let end: CalendarDate
        public init(start: CalendarDate, end: CalendarDate) {
            self.start = start
            self.end = end
        }
    }

    public struct Source: Equatable, Sendable {
        /// Where the source was published; nil only for a source known from an archived copy alone,
        /// which must then carry a title.
        public let url: String?
        public let retrievedAt: Timestamp
        public let sha256: Digest
        public let title: String?
        public let archiveURL: String?
    }

    public struct Supersedes: Equatable, Sendable {
        public let seq: Int64
        public let leafHash: Digest
        public let kind: SupersedeKind
    }

    /// 1 or 2: which schema the bytes follow.
    public let version: Int
    public let platform: String
    /// v2: the products a company-wide statement covers (Meta's report: facebook, instagram,
    /// whatsapp); empty when it is about `platform` alone.
    public let products: [String]
    public let category: Category
    public let summary: String?
    public let speaker: String?
    public let recipients: [String]
    public let dataKinds: [String]
    public let figures: [Figure]
    public let assertions: [Assertion]
    /// v1's statement-wide period (each v1 figure carries it too); nil in v2, where every figure
    /// has its own.
    public let period: Period?
    /// When the platform said it: what `--as-of` and the timeline go by (v1: `effective_date`).
    public let published: CalendarDate
    /// v2 only: when a policy takes effect, if the source gives a date distinct from publication.
    public let takesEffect: CalendarDate?
    public let source: Source
    public let quote: String
    public let language: String
    public let supersedes: Supersedes?

    /// Validates a parsed document against its schema; every error names its field.
    public init(validating value: JSONValue) throws {
        var r = try FieldReader(value, path: "")
        let schema = try r.string("schema", maxLength: 64)
        switch schema {
        case Statement.schema: self = try Statement(v2: &r)
        case Statement.schemaV1: self = try Statement(v1: &r)
        default: throw ValidationError("schema", "must be \"\(Statement.schema)\" (or \"\(Statement.schemaV1)\"), found \"\(schema)\"")
        }
        try r.finish()
    }

    init(version: Int, platform: String, products: [String], category: Category, summary: String?, speaker: String?,
         recipients: [String], dataKinds: [String], figures: [Figure], assertions: [Assertion], period: Period?,
         published: CalendarDate, takesEffect: CalendarDate?, source: Source, quote: String, language: String, supersedes: Supersedes?) {
        self.version = version
        self.platform = platform
        self.products = products
        self.category = category
        self.summary = summary
        self.speaker = speaker
        self.recipients = recipients
        self.dataKinds = dataKinds
        self.figures = figures
        self.assertions = assertions
        self.period = period
        self.published = published
        self.takesEffect = takesEffect
        self.source = source
        self.quote = quote
        self.language = language
        self.supersedes = supersedes
    }

    /// The one date rule (FORMAT.md §4): no date or time in a statement may fall after the UTC
    /// day that follows the time it is appended at (`appendedAt`, the entry's time). The day of
    /// grace admits a date written where it is already tomorrow; anything later is a claim
    /// nobody has made yet, which would otherwise stand as the claim in force for good. (A
    /// policy's `effective_date` may lie ahead: policies are announced before they apply.)
    public func checkDates(appendedAt time: Timestamp) throws {
        let latest = Timestamp(millis: time.millis &+ 86_400_000).date
        func check(_ date: CalendarDate, _ field: String) throws {
            guard date <= latest else {
                throw ValidationError(field, "\(date) is in the future (after \(latest), the day after the entry's time \(time.secondsText))")
            }
        }
        try check(published, version == 1 ? "effective_date" : "published")
        if let period {
            try check(period.start, "period.start")
            try check(period.end, "period.end")
        }
        if version == 2 {
            for (i, f) in figures.enumerated() {
                if let p = f.period {
                    try check(p.start, "figures[\(i)].period.start")
                    try check(p.end, "figures[\(i)].period.end")
                }
            }
        }
        try check(source.retrievedAt.date, "source.retrieved_at")
    }

    static func period(_ r: inout FieldReader, _ key: String = "period") throws -> Period? {
        guard var p = try r.optionalObject(key) else { return nil }
        let start = try date(&p, "start")
        let end = try date(&p, "end")
        guard start <= end else { throw ValidationError(p.child("end"), "\(end) is before \(p.child("start")) \(start)") }
        try p.finish()
        return Period(start: start, end: end)
    }

    static func category(_ r: inout FieldReader) throws -> Category {
        let text = try r.string("category", maxLength: 64)
        guard let category = Category(rawValue: text) else {
            throw ValidationError(r.child("category"), "unknown category '\(text)'; one of: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return category
    }

    static func language(_ r: inout FieldReader) throws -> String {
        let language = try r.string("language", maxLength: 35)
        guard isLanguageTag(language) else {
            throw ValidationError(r.child("language"), "must be a BCP 47 language tag such as \"en\", \"it\" or \"pt-BR\"")
        }
        return language
    }

    static func source(_ r: inout FieldReader) throws -> Source {
        var s = try r.object("source")
        let url = try s.optionalString("url", maxLength: 2048)
        if let url, !isWebURL(url) { throw ValidationError(s.child("url"), "must be an http:// or https:// URL") }
        let retrievedText = try s.string("retrieved_at", maxLength: 20)
        guard let retrieved = Timestamp(retrievedText) else {
            throw ValidationError(s.child("retrieved_at"), "must be a UTC time like 2019-03-14T09:00:00Z")
        }
        let hashText = try s.string("sha256", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError(s.child("sha256"), "must be the 64 lowercase hex digits of the archived document's SHA-256")
        }
        let title = try s.optionalString("title", maxLength: 500)
        if url == nil && title == nil {
            throw ValidationError(s.child("url"), "is required (or, for a source known only from an archived copy, give source.title)")
        }
        let archive = try s.optionalString("archive_url", maxLength: 2048)
        if let archive, !isWebURL(archive) { throw ValidationError(s.child("archive_url"), "must be an http:// or https:// URL") }
        try s.finish()
        return Source(url: url, retrievedAt: retrieved, sha256: hash, title: title, archiveURL: archive)
    }

    static func supersedes(_ r: inout FieldReader) throws -> Supersedes? {
        guard var s = try r.optionalObject("supersedes") else { return nil }
        let seq = try s.integer("seq", min: 0)
        let hashText = try s.string("leaf_hash", maxLength: 64)
        guard Hex.isLowercaseDigest(hashText), let hash = Digest(hex: hashText) else {
            throw ValidationError(s.child("leaf_hash"), "must be the 64 lowercase hex digits of the superseded entry's leaf hash")
        }
        let kindText = try s.string("kind", maxLength: 32)
        guard let kind = SupersedeKind(rawValue: kindText) else {
            throw ValidationError(s.child("kind"), "must be \"amendment\" or \"retraction\"")
        }
        try s.finish()
        return Supersedes(seq: seq, leafHash: hash, kind: kind)
    }

    static func date(_ r: inout FieldReader, _ key: String) throws -> CalendarDate {
        let text = try r.string(key, maxLength: 10)
        guard let d = CalendarDate(text) else { throw ValidationError(r.child(key), "must be a date like 2019-03-14") }
        return d
    }

    static func isWebURL(_ s: String) -> Bool {
        // The scheme, compared case-insensitively by byte (ASCII letters | 0x20 is lowercase).
        let u = s.utf8
        func scheme(_ name: StaticString) -> Bool {
            name.withUTF8Buffer { n in u.count >= n.count && zip(u, n).allSatisfy { $0 | ($1 >= 0x61 ? 0x20 : 0) == $1 } }
        }
        let schemeLength = scheme("https://") ? 8 : scheme("http://") ? 7 : 0
        guard schemeLength > 0 else { return false }
        // What follows "://" must be there and not start with "/" (by byte: no grapheme breaking).
        let rest = u.dropFirst(schemeLength)
        guard let first = rest.first, first != UInt8(ascii: "/") else { return false }
        // ASCII whitespace by byte; Unicode properties only for the rare URL with non-ASCII text.
        let hasWhitespace = u.contains { $0 <= 0x20 || $0 == 0x7F }
            || (u.contains { $0 >= 0x80 } && s.unicodeScalars.contains { $0.properties.isWhitespace })
        return !hasWhitespace
    }

    /// A primary subtag of 2–3 lowercase ASCII letters, then subtags of 1–8 ASCII letters or
    /// digits, joined by '-'. (Checked by byte: every statement of every audit carries one.)
    static func isLanguageTag(_ s: String) -> Bool {
        var subtag = 0, length = 0
        for b in s.utf8 {
            if b == UInt8(ascii: "-") {
                guard subtag == 0 ? (2...3).contains(length) : (1...8).contains(length) else { return false }
                subtag += 1
                length = 0
                continue
            }
            let lower = (0x61...0x7A).contains(b)
            guard subtag == 0 ? lower : lower || (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) else { return false }
            length += 1
        }
        return subtag == 0 ? (2...3).contains(length) : (1...8).contains(length)
    }
}
