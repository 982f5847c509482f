import LedgerConcurrency
import LedgerCore
import LedgerStorage

/// A document offered for appending (a statement, or a response to one), parsed and validated,
/// with where it came from. The one parse behind `ledger append`, the demo seeding and the
/// service's entry routes, so all three accept and refuse the same documents.
public struct Submission: Sendable {
    public let origin: EntryOrigin
    public let body: Body

    /// Parses and validates `bytes`. Throws `AppendError` naming `origin`.
    public init(parsing bytes: [UInt8], origin: EntryOrigin) throws {
        let body: Body
        do { body = try Body(parsing: bytes) } catch { throw AppendError.invalid(origin, "\(error)") }
        try self.init(body, origin: origin)
    }

    /// Validates an already parsed document (the `statement` member of a request).
    public init(value: JSONValue, origin: EntryOrigin) throws {
        let body: Body
        do { body = try Body(value: value) } catch { throw AppendError.invalid(origin, "\(error)") }
        try self.init(body, origin: origin)
    }

    /// Only statements and responses are submitted (signer events and withhold notices are the
    /// log operator's), and none with the placeholder text `ledger statement new` writes: a
    /// template passes the schema on purpose, so it can be checked while it is filled in.
    public init(_ body: Body, origin: EntryOrigin) throws {
        guard body.kind == .statement || body.kind == .response else { throw AppendError.notSubmittable(origin, kind: body.kind) }
        if let field = Templates.placeholder(in: body) { throw AppendError.placeholder(origin, field: field) }
        self.origin = origin
        self.body = body
    }

    /// Every input parsed on all cores; the first refusal in input order is thrown.
    public static func parseAll(_ inputs: [(origin: EntryOrigin, bytes: [UInt8])]) throws -> [Submission] {
        try parallelMap(inputs) { input in Result { try Submission(parsing: input.bytes, origin: input.origin) } }.map { try $0.get() }
    }

    /// JSON Lines split into inputs, each named by its line of `source`; blank lines are skipped.
    public static func jsonLines(_ bytes: [UInt8], source: String) -> [(origin: EntryOrigin, bytes: [UInt8])] {
        JSONLines.split(bytes).map { (EntryOrigin.line($0.number, of: source), Array($0.bytes)) }
    }
}

/// Why a document cannot be submitted. Always the caller's: the document is to be mended.
public enum AppendError: KindedError, Equatable, CustomStringConvertible {
    /// Not a valid document: its JSON, its schema or a field (the message names it).
    case invalid(EntryOrigin, String)
    /// A signer event or withhold notice offered as a statement.
    case notSubmittable(EntryOrigin, kind: EntryKind)
    /// A field still holding the placeholder text of `ledger statement new`.
    case placeholder(EntryOrigin, field: String)
    /// The statement cites an archived page (its `source.sha256`) whose text lacks its quote.
    case quoteNotInSource(EntryOrigin, seq: Int64, url: String, nearest: String?)

    public var kind: FailureKind { .caller }

    public var origin: EntryOrigin {
        switch self {
        case .invalid(let o, _), .notSubmittable(let o, _), .placeholder(let o, _), .quoteNotInSource(let o, _, _, _): return o
        }
    }

    /// What is wrong, without where.
    public var problem: String {
        switch self {
        case .invalid(_, let why): return why
        case .notSubmittable(_, .document):
            return "an archived document is not appended as a statement: add it with `ledger source add`"
        case .notSubmittable(_, let kind):
            return "a \(kind.rawValue) document cannot be appended as a statement: signer events and withhold notices are written by the log operator (`ledger signer`, `ledger withhold`)"
        case .placeholder(_, let field):
            return "\(field): still holds the placeholder text of `ledger statement new`; write what the source says"
        case .quoteNotInSource(_, let seq, let url, let nearest):
            return "quote: is not in the text of the page it cites (seq \(seq), \(url)), compared as disclosure-text/v1 normalises both"
                + (nearest.map { "; the nearest passage is \u{201C}\($0)\u{201D}" } ?? "; no passage shares its words")
        }
    }

    public var description: String { "\(origin): \(problem)" }
}
