/// One figure a source gives: what it counts, how much, over which period, where, under which
/// legal process and at whose request (`disclosure-statement/v2`; a v1 quantity is read as one,
/// docs/SCHEMA.md "Reading v1 statements").
public struct Figure: Equatable, Sendable {
    /// How much: an exact count, a band (as US law makes Apple and Google report national-security
    /// requests: "0–499"), or a share in basis points (canonical JSON has integers only: 76.5 % is 7650).
    public enum Value: Equatable, Sendable {
        case count(Int64)
        case band(low: Int64, high: Int64)
        case share(basisPoints: Int64)

        /// True when the value says something was counted (a band counts only when its low end does).
        public var isPositive: Bool {
            switch self {
            case .count(let n): return n > 0
            case .band(let low, _): return low > 0
            case .share(let bp): return bp > 0
            }
        }

        /// True when the value says nothing was counted.
        public var isZero: Bool {
            switch self {
            case .count(let n): return n == 0
            case .band(_, let high): return high == 0
            case .share(let bp): return bp == 0
            }
        }

        /// Machine form: `2380`, `4750-4999`, `7650bp`.
        public var text: String {
            switch self {
            case .count(let n): return String(n)
            case .band(let low, let high): return "\(low)-\(high)"
            case .share(let bp): return "\(bp)bp"
            }
        }

        /// Reader's form: `2,380`, `4,750–4,999`, `76.5%`.
        public var readable: String {
            switch self {
            case .count(let n): return Figure.grouped(n)
            case .band(let low, let high): return "\(Figure.grouped(low))–\(Figure.grouped(high))"
            case .share(let bp): return Figure.percent(bp)
            }
        }
    }

    public let measure: Measure
    public let value: Value
    /// The span counted, both ends inclusive; nil only for a v1 statement without a period.
    public let period: Statement.Period?
    /// An ISO 3166-1 alpha-2 code or `worldwide`; nil for v1 figures (the jurisdiction, if any,
    /// is then part of the recipient slug: `law-enforcement-india`).
    public let jurisdiction: String?
    /// Nil: all legal processes together.
    public let process: LegalProcess?
    /// Who asked for (or got) the data, a recipient of the hierarchy; nil only in v1.
    public let requester: String?
    public let dataKind: String?

    public init(measure: Measure, value: Value, period: Statement.Period?, jurisdiction: String?, process: LegalProcess?,
                requester: String?, dataKind: String?) {
        self.measure = measure
        self.value = value
        self.period = period
        self.jurisdiction = jurisdiction
        self.process = process
        self.requester = requester
        self.dataKind = dataKind
    }

    /// `@requester/data_kind in CC by process`, the parts given: what, beside the measure, keys a
    /// figure (two figures of one key over periods of one length can be subtracted; docs/SCHEMA.md,
    /// "Reading compare and history"). Written here once for `text` and for history's keys.
    public static func qualifiers(requester: String?, dataKind: String?, jurisdiction: String?, process: LegalProcess?) -> String {
        var s = requester.map { "@" + $0 } ?? ""
        if let dataKind { s += "/" + dataKind }
        if let jurisdiction { s += " in " + jurisdiction }
        if let process { s += " by " + process.rawValue }
        return s
    }

    /// `measure=value@requester/data_kind in CC by process [start..end]`, the machine form used
    /// in CSV (parts absent from the figure are left out).
    public var text: String { form(value.text) }

    /// The same with the reader's value: `requests-with-data-produced=2,380@law-enforcement in IN …`.
    public var readable: String { form(value.readable) }

    private func form(_ v: String) -> String {
        var s = measure.rawValue + "=" + v + Figure.qualifiers(requester: requester, dataKind: dataKind, jurisdiction: jurisdiction, process: process)
        if let period { s += " [\(period.start)..\(period.end)]" }
        return s
    }

    /// The period's length for comparing figures: in whole calendar months when it runs from a
    /// month's first day to a month's last (so every half-year is 6, whether 181 or 184 days),
    /// else in days (negative, to keep the two apart); nil without a period.
    public var periodLength: Int64? { period?.length }

    /// `2380` → `2,380`, `1234567` → `1,234,567`.
    /// Written as ASCII bytes (a timeline prints thousands of figures).
    public static func grouped(_ n: Int64) -> String {
        var digits: [UInt8] = []
        var m = n.magnitude
        repeat {
            if digits.count % 4 == 3 { digits.append(UInt8(ascii: ",")) }
            digits.append(UInt8(truncatingIfNeeded: 0x30 + m % 10))
            m /= 10
        } while m > 0
        if n < 0 { digits.append(UInt8(ascii: "-")) }
        digits.reverse()
        return String(decoding: digits, as: UTF8.self)
    }

    /// Basis points as a percentage with no trailing zeros: 7650 → `76.5%`, 10000 → `100%`.
    public static func percent(_ bp: Int64) -> String {
        let sign = bp < 0 ? "-" : ""
        let m = bp.magnitude
        var s = sign + String(m / 100)
        let cents = m % 100
        if cents != 0 { s += "." + (cents % 10 == 0 ? String(cents / 10) : (cents < 10 ? "0" : "") + String(cents)) }
        return s + "%"
    }
}

extension Statement.Period {
    /// See `Figure.periodLength`.
    public var length: Int64 {
        if start.day == 1 && end.isLastOfMonth {
            return Int64((end.year * 12 + end.month) - (start.year * 12 + start.month) + 1)
        }
        return -(end.daysSinceEpoch - start.daysSinceEpoch + 1)
    }
}

/// A claim in words made first-class: "has never disclosed user data to third parties", "does
/// not sell", "may disclose IP addresses to courts if a court confirms a terror suspect".
public struct Assertion: Equatable, Sendable {
    public let polarity: Polarity
    public let action: AssertionAction
    /// A recipient of the hierarchy; nil only for `use-for-advertising` (the platform's own use).
    public let recipient: String?
    /// Nil: everywhere.
    public let jurisdiction: String?
    public let dataKinds: [String]
    /// For `may` and `does`: when it happens, in the source's sense ("if a court order confirms…").
    public let condition: String?

    public init(polarity: Polarity, action: AssertionAction, recipient: String?, jurisdiction: String?, dataKinds: [String], condition: String?) {
        self.polarity = polarity
        self.action = action
        self.recipient = recipient
        self.jurisdiction = jurisdiction
        self.dataKinds = dataKinds
        self.condition = condition
    }

    /// `never disclose any-user-data to third-parties in IN if …`: machine and reader form alike.
    public var text: String {
        var s = polarity.rawValue + " " + action.rawValue
        if !dataKinds.isEmpty { s += " " + dataKinds.joined(separator: ",") }
        if let recipient { s += " to " + recipient }
        if let jurisdiction { s += " in " + jurisdiction }
        if let condition { s += " if " + condition }
        return s
    }

    /// Claims that nothing was disclosed to `recipient`: what figures of data produced contradict.
    public var deniesDisclosure: Bool { polarity.deniesIt && action == .disclose }
}

/// ISO 3166-1 alpha-2 codes, and `worldwide` (docs/SCHEMA.md, "Jurisdictions").
public enum Jurisdiction {
    public static let worldwide = "worldwide"

    /// The officially assigned codes, plus XK (Kosovo), which the transparency reports of Apple,
    /// Google and Meta use though ISO has only reserved it for user assignment.
    static let codes: Set<String> = Set("""
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO \
        JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR \
        MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO \
        RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
        TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
        """.split(separator: " ").map(String.init))

    public static func isValid(_ s: String) -> Bool { s == worldwide || codes.contains(s) }

    /// Nil for worldwide (covers every jurisdiction), else the code.
    public static func narrowing(_ s: String?) -> String? { s == worldwide ? nil : s }
}

/// The recipients of the hierarchy (docs/SCHEMA.md, "Recipients"): a v2 statement names only
/// these, so every recipient it names is one the comparison understands (`RecipientHierarchy`
/// walks this table).
public enum Recipient {
    /// Each recipient's parent; `third-parties` is the root.
    public static let parent: [String: String] = [
        "governments": "third-parties",
        "law-enforcement": "governments", "courts": "governments", "intelligence-agencies": "governments", "regulators": "governments",
        "advertisers": "third-parties", "data-brokers": "third-parties", "affiliates": "third-parties",
        "service-providers": "third-parties", "researchers": "third-parties", "the-public": "third-parties",
    ]

    public static let all: [String] = (["third-parties"] + parent.keys).sorted()

    public static func isKnown(_ s: String) -> Bool { s == "third-parties" || parent[s] != nil }
}
