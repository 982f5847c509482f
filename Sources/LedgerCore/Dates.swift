/// A calendar date `YYYY-MM-DD` (proleptic Gregorian, years 1000–9999).
public struct CalendarDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ CalendarDate(bytes: $0[...]) }) else { return nil }
        self = parsed
    }

    /// `YYYY-MM-DD` from exactly these bytes (no copy: every statement and time has dates).
    init?(bytes u: Slice<UnsafeBufferPointer<UInt8>>) {
        let b = u.startIndex
        guard u.count == 10, u[b + 4] == UInt8(ascii: "-"), u[b + 7] == UInt8(ascii: "-"),
              let y = digits(u[b..<b + 4]), let m = digits(u[b + 5..<b + 7]), let d = digits(u[b + 8..<b + 10]),
              y >= 1000, (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        year = y; month = m; day = d
    }

    init(year: Int, month: Int, day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// `YYYY-MM-DD`, written as ten ASCII bytes (timelines print thousands of dates).
    public var description: String {
        func digit(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + v % 10) }
        let bytes: [UInt8] = [digit(year / 1000), digit(year / 100), digit(year / 10), digit(year), 0x2D,
                              digit(month / 10), digit(month), 0x2D, digit(day / 10), digit(day)]
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True on the last day of its month.
    public var isLastOfMonth: Bool { day == daysInMonth(year, month) }

    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int64 { daysFromCivil(year, month, day) }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A UTC instant in RFC 3339 form. Statements use whole seconds (`2019-03-14T09:00:00Z`);
/// entries use milliseconds (`2026-11-25T05:42:38.123Z`).
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millis: Int64

    public init(millis: Int64) { self.millis = millis }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ`, or with `.mmm` when `millisecondsRequired`.
    public init?(_ text: String, millisecondsRequired: Bool = false) {
        var text = text
        guard let parsed = text.withUTF8({ Timestamp(bytes: $0, millisecondsRequired: millisecondsRequired) }) else { return nil }
        self = parsed
    }

    private init?(bytes u: UnsafeBufferPointer<UInt8>, millisecondsRequired: Bool) {
        let expected = millisecondsRequired ? 24 : 20
        guard u.count == expected, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              u[expected - 1] == UInt8(ascii: "Z"),
              let date = CalendarDate(bytes: u[0..<10]),
              let h = digits(u[11..<13]), let mi = digits(u[14..<16]), let s = digits(u[17..<19]),
              h < 24, mi < 60, s < 60 else { return nil }
        var ms = 0
        if millisecondsRequired {
            guard u[19] == UInt8(ascii: "."), let f = digits(u[20..<23]) else { return nil }
            ms = f
        }
        let days = daysFromCivil(date.year, date.month, date.day)
        millis = ((days * 86_400) + Int64(h * 3600 + mi * 60 + s)) * 1000 + Int64(ms)
    }

    /// Whole seconds since the epoch, rounded down (also before 1970).
    public var wholeSeconds: Int64 { millis >= 0 ? millis / 1000 : (millis - 999) / 1000 }

    /// Whole-second form, as statements carry it.
    public var secondsText: String { format(withMillis: false) }
    /// Millisecond form, as entries carry it.
    public var description: String { format(withMillis: true) }

    private func format(withMillis: Bool) -> String {
        let totalSeconds = wholeSeconds
        let ms = Int(millis - totalSeconds * 1000)
        let days = totalSeconds >= 0 ? totalSeconds / 86_400 : (totalSeconds - 86_399) / 86_400
        let secs = Int(totalSeconds - days * 86_400)
        let (y, m, d) = civilFromDays(days)
        guard (0...9999).contains(y) else {  // not a time a ledger writes; kept readable all the same
            return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(secs / 3600, 2) + ":" + pad(secs / 60 % 60, 2)
                + ":" + pad(secs % 60, 2) + (withMillis ? "." + pad(ms, 3) : "") + "Z"
        }
        // Written byte by byte: every entry's leaf carries a time, and audits re-encode each one.
        var out = [UInt8]()
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                out.append(UInt8(truncatingIfNeeded: 0x30 + value / divisor % 10))
                divisor /= 10
            }
        }
        digits(y, 4); out.append(0x2D); digits(m, 2); out.append(0x2D); digits(d, 2); out.append(0x54)
        digits(secs / 3600, 2); out.append(0x3A); digits(secs / 60 % 60, 2); out.append(0x3A); digits(secs % 60, 2)
        if withMillis { out.append(0x2E); digits(ms, 3) }
        out.append(0x5A)
        return String(decoding: out, as: UTF8.self)
    }

    public var date: CalendarDate {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let (y, m, d) = civilFromDays(days)
        return CalendarDate(year: y, month: m, day: d)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.millis < b.millis }
}

private func digits(_ s: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
    var v = 0
    for c in s {
        guard (0x30...0x39).contains(c) else { return nil }
        v = v * 10 + Int(c - 0x30)
    }
    return v
}

private func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}

private func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

private func daysInMonth(_ y: Int, _ m: Int) -> Int {
    [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
}

// Howard Hinnant's days_from_civil / civil_from_days.
private func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return Int64(era * 146_097 + doe - 719_468)
}

private func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
    let z = Int(z0) + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp + (mp < 10 ? 3 : -9)
    return (m <= 2 ? y + 1 : y, m, d)
}
