/// A position in a platform's timeline (effective date, then seq): a page starts past it, before
/// or after. Written `DATE.SEQ` in URLs and options (`2021-01-01.42`).
public struct TimelineCursor: Sendable, Equatable, Comparable {
    public let effectiveDate: String
    public let seq: Int64

    public init(effectiveDate: String, seq: Int64) {
        self.effectiveDate = effectiveDate
        self.seq = seq
    }

    /// Parses `DATE.SEQ`; nil unless DATE is a calendar date and SEQ a non-negative integer.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, CalendarDate(String(parts[0])) != nil, let seq = Int64(parts[1]), seq >= 0 else { return nil }
        self.init(effectiveDate: String(parts[0]), seq: seq)
    }

    public var text: String { "\(effectiveDate).\(seq)" }

    /// Timeline order: effective date, then seq.
    public static func < (a: TimelineCursor, b: TimelineCursor) -> Bool { (a.effectiveDate, a.seq) < (b.effectiveDate, b.seq) }
}
