import LedgerCrypto

/// How an entry points at an earlier statement: a correction (`supersedes` in a statement) or a
/// response (`target` in a `disclosure-response/v1`).
public enum LinkKind: String, CaseIterable, Sendable {
    case amendment
    case retraction
    case endorsement
    case dispute

    /// Amendments and retractions replace their target in the current view.
    public var supersedes: Bool { self == .amendment || self == .retraction }

    /// The current view's rule: a statement is live when no amendment or retraction replaces
    /// it (`superseded`) and it is no retraction itself (`ownLink`, its own link's kind). The
    /// one definition behind `Claim.isLive`, `ClaimRow.isLive` and the SQL of `ClaimRow.live`.
    public static func isLive(superseded: Bool, ownLink: LinkKind?) -> Bool { !superseded && ownLink != .retraction }
}

public struct Link: Equatable, Sendable {
    public let target: Int64
    public let leafHash: Digest
    public let kind: LinkKind

    public init(target: Int64, leafHash: Digest, kind: LinkKind) {
        self.target = target
        self.leafHash = leafHash
        self.kind = kind
    }

    /// The body member that names the target, for error messages.
    public var field: String { kind.supersedes ? "supersedes" : "target" }
}

extension Body {
    /// The earlier entry this body points at, if any.
    public var link: Link? {
        switch document {
        case .statement(let s):
            guard let sup = s.supersedes else { return nil }
            return Link(target: sup.seq, leafHash: sup.leafHash, kind: sup.kind == .amendment ? .amendment : .retraction)
        case .response(let r):
            return Link(target: r.targetSeq, leafHash: r.targetLeafHash, kind: r.stance == .endorsement ? .endorsement : .dispute)
        case .signer, .withhold, .archive:
            return nil
        }
    }
}

/// What the ledger knows about the entry a link names, gathered by the appender from its
/// tables and by the audit from what it has replayed.
public struct LinkTarget: Sendable {
    public let seq: Int64
    public let kind: EntryKind
    public let signer: String
    public let leafHash: Digest
    public let platform: String?
    public let category: String?
    /// How the target itself links to an earlier entry, if it does (a retraction is final).
    public let ownLink: LinkKind?
    /// The entry that already supersedes the target, if any.
    public let supersededBy: Int64?
    /// An earlier response by the same signer to the target, if any.
    public let earlierResponse: Int64?

    public init(seq: Int64, kind: EntryKind, signer: String, leafHash: Digest, platform: String?, category: String?,
                ownLink: LinkKind?, supersededBy: Int64?, earlierResponse: Int64?) {
        self.seq = seq
        self.kind = kind
        self.signer = signer
        self.leafHash = leafHash
        self.platform = platform
        self.category = category
        self.ownLink = ownLink
        self.supersededBy = supersededBy
        self.earlierResponse = earlierResponse
    }
}

/// The rules every correction and response must keep, applied by the appender before writing
/// and by ledger-verify when it replays the log. `target` is nil when no entry has that seq.
public enum LinkRules {
    public static func check(_ link: Link, seq: Int64, signer: String, statement: Statement?, target: LinkTarget?) throws {
        let f = link.field
        guard link.target < seq else {
            throw ValidationError("\(f).seq", "must name an earlier entry; \(link.target) is not before this entry's seq \(seq)")
        }
        guard let target else { throw ValidationError("\(f).seq", "there is no entry with seq \(link.target)") }
        guard target.kind == .statement else {
            throw ValidationError("\(f).seq", "seq \(target.seq) is a \(target.kind.rawValue) entry, not a statement")
        }
        guard target.leafHash == link.leafHash else {
            throw ValidationError("\(f).leaf_hash", "is not the leaf hash of seq \(target.seq), which is \(target.leafHash.hex)")
        }
        if link.kind.supersedes {
            guard signer == target.signer || signer == SignerName.log else {
                throw ValidationError(f, "seq \(target.seq) was signed by '\(target.signer)'; only '\(target.signer)' or the log key may supersede it, not '\(signer)'")
            }
            if target.ownLink == .retraction {
                throw ValidationError("\(f).kind", link.kind == .retraction
                    ? "seq \(target.seq) is itself a retraction; a retraction cannot be retracted"
                    : "seq \(target.seq) is a retraction, which is final; it cannot be amended")
            }
            if let by = target.supersededBy {
                throw ValidationError("\(f).seq", "seq \(target.seq) is already superseded by seq \(by); supersede seq \(by) instead")
            }
            if let statement {
                guard target.platform == nil || statement.platform == target.platform else {
                    throw ValidationError("platform", "must be '\(target.platform ?? "")', the platform of the superseded seq \(target.seq)")
                }
                guard target.category == nil || statement.category.rawValue == target.category else {
                    throw ValidationError("category", "must be '\(target.category ?? "")', the category of the superseded seq \(target.seq)")
                }
            }
        } else {
            guard signer != target.signer else {
                throw ValidationError("\(f).seq", "'\(signer)' signed seq \(target.seq); a signer cannot endorse or dispute its own statement")
            }
            if let earlier = target.earlierResponse {
                throw ValidationError("\(f).seq", "'\(signer)' already responded to seq \(target.seq) at seq \(earlier)")
            }
        }
    }
}
