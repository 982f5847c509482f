import LedgerCore

/// Which events of a timeline one answer holds, so that an answer's size is its page's and not
/// the platform's: every event, a page from the oldest or the newest end (past a cursor), or one
/// entry's event. Events are always listed oldest first; the window only picks them.
public enum HistoryWindow: Sendable, Equatable {
    case all
    /// The first `limit` events after `after` (from the oldest when nil).
    case oldest(after: TimelineCursor?, limit: Int)
    /// The last `limit` events before `before` (up to the newest when nil).
    case newest(before: TimelineCursor?, limit: Int)
    /// The event of one statement (its marks and changes, as the whole history gives them).
    case entry(Int64)
    /// The events published in `year`, the `part`-th run of `size` of them (from 0, oldest
    /// first): a page whose events do not move when statements of other years are appended,
    /// which a static publication can keep under one name.
    case year(Int, part: Int, size: Int)

    /// The window that paging options ask for, the same on the command line and in the API: none
    /// is every event; `after` pages forward, `before` or `latest` back from the newest, each
    /// `limit` events (`defaultPage` if not given). Nil when both `after` and `before` are given.
    public static func paging(limit: Int?, after: TimelineCursor?, before: TimelineCursor?, latest: Bool,
                              defaultPage: Int = 100) -> HistoryWindow? {
        switch (after, before, latest) {
        case (nil, nil, false): return limit.map { .oldest(after: nil, limit: $0) } ?? .all
        case (let a?, nil, false): return .oldest(after: a, limit: limit ?? defaultPage)
        case (nil, let b, _): return .newest(before: b, limit: limit ?? defaultPage)
        default: return nil
        }
    }

    /// The positions in `keys` (a timeline's keys, ascending) this window holds, and the window
    /// of the next page when events remain past it. Cost: O(log n) comparisons, O(n) for `.entry`.
    public func select(_ keys: [TimelineCursor]) -> (positions: Range<Int>, next: HistoryWindow?) {
        switch self {
        case .all:
            return (keys.indices, nil)
        case .oldest(let after, let limit):
            let from = after.map { a in Self.partition(keys) { $0 <= a } } ?? 0
            let to = min(keys.count, from + max(limit, 0))
            let next = to < keys.count && to > from ? HistoryWindow.oldest(after: keys[to - 1], limit: limit) : nil
            return (from..<to, next)
        case .newest(let before, let limit):
            let to = before.map { b in Self.partition(keys) { $0 < b } } ?? keys.count
            let from = max(0, to - max(limit, 0))
            let next = from > 0 && to > from ? HistoryWindow.newest(before: keys[from], limit: limit) : nil
            return (from..<to, next)
        case .entry(let seq):
            guard let i = keys.firstIndex(where: { $0.seq == seq }) else { return (0..<0, nil) }
            return (i..<(i + 1), nil)
        case .year(let year, let part, let size):
            let (first, end) = Self.yearBounds(year)
            let from = Self.partition(keys) { $0.effectiveDate < first }
            let to = Self.partition(keys) { $0.effectiveDate < end }
            guard part >= 0, size > 0, part <= (to - from) / size else { return (0..<0, nil) }
            let start = from + part * size
            return (start..<min(to, start + size), nil)
        }
    }

    /// Bounds that every date of `year` (`YYYY-MM-DD`; `CalendarDate` years have four digits)
    /// falls between as text compares: `YYYY-` and `YYYY-99`.
    static func yearBounds(_ year: Int) -> (first: String, end: String) {
        ("\(year)-", "\(year)-99")
    }

    /// The number of leading elements of `keys` (sorted) for which `belongs` holds, which must
    /// hold for a prefix: a binary search.
    static func partition(_ keys: [TimelineCursor], _ belongs: (TimelineCursor) -> Bool) -> Int {
        var low = 0, high = keys.count
        while low < high {
            let mid = low + (high - low) / 2
            if belongs(keys[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The option (and JSON member) that asks for this page: `after` or `before` and its cursor;
    /// nil for a window without a cursor.
    public var cursorField: (name: String, cursor: TimelineCursor)? {
        switch self {
        case .oldest(let after?, _): return ("after", after)
        case .newest(let before?, _): return ("before", before)
        default: return nil
        }
    }
}
