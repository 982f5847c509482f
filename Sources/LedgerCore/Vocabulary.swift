/// The closed vocabularies of `disclosure-statement/v1` (documented in docs/SCHEMA.md and
/// docs/FORMAT.md). Adding a value is a schema change: readers must know every category.
public enum Category: String, CaseIterable, Sendable {
    case thirdPartySharing = "third-party-sharing"
    case governmentRequests = "government-requests"
    case advertising = "advertising"
    case dataRetention = "data-retention"
    case encryption = "encryption"
    case policyText = "policy-text"
}

/// What a quantity counts.
public enum QuantityUnit: String, CaseIterable, Sendable {
    case bytes = "bytes"
    case requestsReceived = "requests-received"
    case requestsComplied = "requests-complied"
    case accountsAffected = "accounts-affected"
}

/// How a statement relates to the entry it supersedes.
public enum SupersedeKind: String, CaseIterable, Sendable {
    case amendment
    case retraction
}
