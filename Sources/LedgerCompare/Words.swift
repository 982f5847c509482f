import LedgerCore

/// Figures and assertions as a reader reads them, for tables, Markdown and pages (the machine
/// forms are `Figure.text` and `Assertion.text`).
public enum Words {
    /// `2,380 requests with data produced (law-enforcement, IN, court-order, 2024-07-01 to 2024-09-30)`.
    public static func figure(_ f: Figure) -> String {
        var parts = [f.requester, f.dataKind, f.jurisdiction, f.process?.rawValue].compactMap { $0 }
        if let p = f.period { parts.append("\(p.start) to \(p.end)") }
        let what = f.measure.rawValue.replacingOccurrences(of: "-", with: " ")
        return "\(f.value.readable) \(what)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }

    /// `never discloses any-user-data to third-parties`; `may disclose ip-address to courts (in DE) if …`.
    public static func assertion(_ a: Assertion) -> String {
        let verb: String
        switch (a.polarity, a.action) {
        case (.never, .disclose): verb = "has never disclosed"
        case (.never, .sell): verb = "has never sold"
        case (.never, .useForAdvertising): verb = "has never used for advertising"
        case (.doesNot, .disclose): verb = "does not disclose"
        case (.doesNot, .sell): verb = "does not sell"
        case (.doesNot, .useForAdvertising): verb = "does not use for advertising"
        case (.may, .disclose): verb = "may disclose"
        case (.may, .sell): verb = "may sell"
        case (.may, .useForAdvertising): verb = "may use for advertising"
        case (.does, .disclose): verb = "discloses"
        case (.does, .sell): verb = "sells"
        case (.does, .useForAdvertising): verb = "uses for advertising"
        }
        var s = verb + " " + (a.dataKinds.isEmpty ? "user data" : a.dataKinds.joined(separator: ", "))
        if let r = a.recipient { s += " to " + r }
        if let j = a.jurisdiction { s += " in " + j }
        if let c = a.condition { s += " if " + c }
        return s
    }

    /// Every figure, then every assertion, of a statement, separated by "; ".
    public static func content(_ s: Statement) -> String {
        (s.figures.map(figure) + s.assertions.map(assertion)).joined(separator: "; ")
    }
}
