/// The closed vocabularies of `disclosure-statement/v1` and `v2` (documented in docs/SCHEMA.md and
/// docs/FORMAT.md). Adding a value is a schema change: readers must know every category.
public enum Category: String, CaseIterable, Sendable {
    case thirdPartySharing = "third-party-sharing"
    case governmentRequests = "government-requests"
    case advertising = "advertising"
    case dataRetention = "data-retention"
    case encryption = "encryption"
    case policyText = "policy-text"
}

/// How a statement relates to the entry it supersedes.
public enum SupersedeKind: String, CaseIterable, Sendable {
    case amendment
    case retraction
}

/// What a figure counts (`disclosure-statement/v2`; docs/SCHEMA.md, "Figures").
public enum Measure: String, CaseIterable, Sendable {
    /// Requests for user data the platform received.
    case requestsReceived = "requests-received"
    /// Accounts, users or identifiers named in those requests (Meta's "users/accounts requested").
    case accountsSpecified = "accounts-specified"
    /// Devices named in requests (Apple's device requests).
    case devicesSpecified = "devices-specified"
    /// Requests where some data was produced (a count, or a share of the requests received).
    case requestsWithDataProduced = "requests-with-data-produced"
    /// Accounts whose data was produced.
    case accountsDisclosed = "accounts-disclosed"
    /// Amount of user data handed over.
    case bytesDisclosed = "bytes-disclosed"
    /// Requests to remove or restrict content.
    case contentRemovalRequests = "content-removal-requests"
    /// Items (posts, accounts, videos) removed or restricted after such requests.
    case itemsRemoved = "items-removed"
    /// v1's `accounts-affected` ("handed over or requested, as the source says"); v1 only.
    case accountsAffected = "accounts-affected"

    /// Measures a v2 statement may use (every one but v1's ambiguous `accounts-affected`).
    public static let v2: [Measure] = allCases.filter { $0 != .accountsAffected }

    /// Measures that count data handed over: a positive one contradicts a claim of absence.
    public var countsDisclosures: Bool {
        switch self {
        case .requestsWithDataProduced, .accountsDisclosed, .bytesDisclosed, .accountsAffected: return true
        default: return false
        }
    }
}

/// The legal process a figure is about; a figure without one covers all processes together.
public enum LegalProcess: String, CaseIterable, Sendable {
    case emergency
    case subpoena
    case courtOrder = "court-order"
    case searchWarrant = "search-warrant"
    case nationalSecurityLetter = "national-security-letter"
    case fisa
    case preservation
    case mutualLegalAssistance = "mutual-legal-assistance"
    case otherLegalProcess = "other-legal-process"
}

/// How an assertion holds: "has never", "does not", "may", "does".
public enum Polarity: String, CaseIterable, Sendable {
    case never
    case doesNot = "does-not"
    case may
    case does

    /// "never" and "does not" claim an absence, which figures can contradict.
    public var deniesIt: Bool { self == .never || self == .doesNot }
}

/// What an assertion says the platform does (or never does) with user data.
public enum AssertionAction: String, CaseIterable, Sendable {
    case disclose
    case sell
    case useForAdvertising = "use-for-advertising"
}
