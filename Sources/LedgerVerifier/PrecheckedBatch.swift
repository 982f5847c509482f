import LedgerConcurrency
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Entries fetched from a source ledger (`ledger mirror`), checked on every core before they are
/// written: the same per-entry checks as the audit's (leaf, body, digest, signature under the key
/// history given). `LedgerAudit.run(on:resume:prechecked:)` then replays them in order against the
/// rows written, so a mirror checks each entry once while it fetches the next batch.
public struct PrecheckedBatch: Sendable {
    public let first: Int64
    let checked: [Result<CheckedEntry, IntegrityFailure>]

    /// Checks `leaves[i]` and `bodies[i]` as entry `first + i`. A stale `history` is fine: an
    /// entry whose signer's key changed since is checked again when replayed.
    public static func check(first: Int64, leaves: [[UInt8]], bodies: [[UInt8]?], history: KeyHistory) -> PrecheckedBatch {
        let items = Array(zip(leaves, bodies).enumerated())
        return PrecheckedBatch(first: first, checked: parallelMap(items) { item in
            EntryCheck.runFetched(seq: first + Int64(item.offset), leaf: item.element.0, body: item.element.1, history: history)
        })
    }

    public var count: Int { checked.count }

    /// The first entry that fails on its own, if any.
    public var firstFailure: IntegrityFailure? {
        for result in checked { if case .failure(let f) = result { return f } }
        return nil
    }

    /// The entries as a mirror stores them; nil if any failed its own checks.
    public var entries: [MirroredEntry]? {
        var out: [MirroredEntry] = []
        out.reserveCapacity(checked.count)
        for result in checked {
            guard case .success(let c) = result else { return nil }
            var withholds: WithholdNotice?
            if case .withhold(let notice)? = c.logDocument { withholds = notice }
            out.append(MirroredEntry(leaf: c.stored.leaf, leafHash: c.leafHash, entry: c.entry, body: c.stored.body, platform: c.stored.platform,
                                     category: c.stored.category, effectiveDate: c.stored.effectiveDate, link: c.link,
                                     zeroClaimScopes: c.zeroScopes, document: c.document, search: c.search,
                                     disclosureScopes: c.disclosureScopes, withholds: withholds))
        }
        return out
    }
}
