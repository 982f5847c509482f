import LedgerCore

extension String {
    /// Line breaks as " / ", so a quote stays on its line of a timeline or a diff.
    func replacingNewlines() -> String {
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return self }
        var out: [UInt8] = []
        for b in utf8 {
            if b == 0x0D { continue }
            if b == 0x0A { out.append(contentsOf: " / ".utf8) } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Figures and assertions as a reader reads them, for tables, Markdown and pages (the machine
/// forms are `Figure.text` and `Assertion.text`).
public enum Words {
    /// `2,380 requests with data produced (law-enforcement, IN, court-order, 2024-07-01 to 2024-09-30)`.
    public static func figure(_ f: Figure) -> String {
        var s = f.value.readable
        s.reserveCapacity(120)
        s += " "
        s += measure(f.measure, singular: f.value == .count(1))
        var first = true
        func part(_ t: String) {
            s += first ? " (" : ", "
            s += t
            first = false
        }
        if let r = f.requester { part(r) }
        if let d = f.dataKind { part(d) }
        if let j = f.jurisdiction { part(j) }
        if let p = f.process { part(p.rawValue) }
        if let p = f.period { part(p.start.description + " to " + p.end.description) }
        if !first { s += ")" }
        return s
    }

    /// The measure's name with spaces: `requests with data produced`; for a count of one, its
    /// noun in the singular (`1 account disclosed`).
    static func measure(_ m: Measure, singular: Bool = false) -> String {
        if singular {
            switch m {
            case .requestsReceived: return "request received"
            case .accountsSpecified: return "account specified"
            case .devicesSpecified: return "device specified"
            case .requestsWithDataProduced: return "request with data produced"
            case .accountsDisclosed: return "account disclosed"
            case .bytesDisclosed: return "byte disclosed"
            case .contentRemovalRequests: return "content removal request"
            case .itemsRemoved: return "item removed"
            case .accountsAffected: return "account affected"
            }
        }
        switch m {
        case .requestsReceived: return "requests received"
        case .accountsSpecified: return "accounts specified"
        case .devicesSpecified: return "devices specified"
        case .requestsWithDataProduced: return "requests with data produced"
        case .accountsDisclosed: return "accounts disclosed"
        case .bytesDisclosed: return "bytes disclosed"
        case .contentRemovalRequests: return "content removal requests"
        case .itemsRemoved: return "items removed"
        case .accountsAffected: return "accounts affected"
        }
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

    /// Every figure, then every assertion, of a statement, one line each.
    public static func lines(_ s: Statement) -> [String] { s.figures.map(figure) + s.assertions.map(assertion) }

    /// The same on one line, separated by "; ".
    public static func content(_ s: Statement) -> String { lines(s).joined(separator: "; ") }

    /// The quote whole between “ ”, on one line (line breaks as ` / `).
    public static func quote(_ s: Statement) -> String { "\u{201C}" + s.quote.replacingNewlines() + "\u{201D}" }
}
