/// Who receives data, as a hierarchy: a claim about a recipient covers every narrower one, so
/// "0 bytes to third parties" is contradicted by a figure of data produced to law enforcement
/// in India (docs/SCHEMA.md, "Recipients").
///
///     third-parties ⊃ governments ⊃ law-enforcement, courts, intelligence-agencies, regulators
///     third-parties ⊃ advertisers, data-brokers, affiliates, service-providers, researchers, the-public
///
/// A jurisdiction is a qualifier, not a new recipient: `law-enforcement-india` is law
/// enforcement (in India), narrower than `law-enforcement`; any slug that is a known recipient
/// followed by `-` and more is read that way.
public enum RecipientHierarchy {
    /// The known recipients (the vocabulary's one table, `Recipient`, LedgerCore), longest first (so `law-enforcement-india` finds `law-enforcement`).
    static let known: [String] = Recipient.all.sorted { $0.count > $1.count }

    /// True when `recipient` is `scope` or narrower: a qualified form of it, or below it in the
    /// hierarchy. Unknown slugs are within only themselves.
    public static func isWithin(_ recipient: String, _ scope: String) -> Bool {
        var current: String? = base(recipient)
        if recipient == scope || current == scope { return true }
        while let r = current, let up = Recipient.parent[r] {
            if up == scope { return true }
            current = up
        }
        return false
    }

    /// `recipient` and every recipient it is within, narrowest first: `law-enforcement-india`,
    /// `law-enforcement`, `governments`, `third-parties`. What a search for a broader
    /// recipient finds a narrower one by.
    public static func scopes(of recipient: String) -> [String] {
        var out = [recipient]
        var current: String? = base(recipient)
        while let r = current {
            if r != out.last { out.append(r) }
            current = Recipient.parent[r]
        }
        return out
    }

    /// The known recipient a qualified slug narrows (`law-enforcement-india` → `law-enforcement`),
    /// else the slug itself.
    static func base(_ recipient: String) -> String {
        if Recipient.parent[recipient] != nil || recipient == "third-parties" { return recipient }
        return known.first { recipient.hasPrefix($0 + "-") } ?? recipient
    }
}
