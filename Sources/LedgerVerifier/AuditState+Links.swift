import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The corrections and responses replayed so far, so each new one is checked against the same
/// rules the appender applies (`LinkRules`), and the rows of `links` and `zero_claims` are
/// checked against the signed bodies. Memory grows with the number of links, not of entries.
struct LinkReplay {
    struct ResponseKey: Hashable {
        let target: Int64
        let signer: String
    }

    var tablesPresent = false
    /// The rows were just written from these very checked entries (a mirror's batch): each row
    /// is not read back, only the tables' row counts are compared at the end.
    var rowsWrittenFromChecks = false
    /// The stored rows of the page being replayed, read in one range query each.
    var pageLinks: [Int64: (target: Int64, kind: String, signer: String)] = [:]
    var pageZeroClaims: [Int64: (platform: String, effectiveDate: String, scopes: String)] = [:]
    /// The `documents` table exists (revision 4), and its rows of the page being replayed.
    var documentsPresent = false
    var pageDocuments: [Int64: DocumentRow] = [:]
    var documentRows: Int64 = 0
    /// The `search` table exists (revision 5), and its rows of the page being replayed.
    var searchPresent = false
    var pageSearch: [Int64: SearchRow] = [:]
    var searchRows: Int64 = 0
    /// The `disclosures` table exists (revision 5), and its rows of the page being replayed.
    var disclosuresPresent = false
    var pageDisclosures: [Int64: String] = [:]
    var disclosureRows: Int64 = 0
    /// The size at which `finish` last found every table's row count equal to what the signed
    /// bodies account for, and those counts, when that was in the write transaction still open
    /// (a mirror's earlier batch): `finish` then counts only the rows from that size on, instead
    /// of whole tables that grow with the copy. Nil otherwise: every count is whole.
    var counted: (size: Int64, rows: [String: Int64])?

    /// Reads the rows of entries `from ..< to` (the page about to be replayed).
    mutating func loadPage(from: Int64, to: Int64, reader: SnapshotReader) throws {
        guard !rowsWrittenFromChecks else { return }
        if documentsPresent { pageDocuments = try reader.documents(from: from, to: to) }
        if searchPresent { pageSearch = try reader.searchRows(from: from, to: to) }
        if disclosuresPresent { pageDisclosures = try reader.disclosureRows(from: from, to: to) }
        guard tablesPresent else { return }
        pageLinks = try reader.links(from: from, to: to)
        pageZeroClaims = try reader.zeroClaims(from: from, to: to)
    }
    var ownLinks: [Int64: LinkKind] = [:]
    var supersededBy: [Int64: Int64] = [:]
    var responses: [ResponseKey: Int64] = [:]
    var linkRows: Int64 = 0
    var zeroRows: Int64 = 0

    mutating func record(seq: Int64, signer: String, target: Int64, kind: LinkKind) {
        linkRows += 1
        if kind.supersedes {
            ownLinks[seq] = kind
            supersededBy[target] = seq
        } else {
            responses[ResponseKey(target: target, signer: signer)] = seq
        }
    }

    /// No row may exist that no entry accounts for. Reads every row of the derived tables, or
    /// with `counted` only those from its size on (the tables' rowids are entry seqs).
    mutating func finish(reader: SnapshotReader, size: Int64) throws {
        guard tablesPresent else { return }
        let optional = (documentsPresent ? [("documents", documentRows)] : []) + (searchPresent ? [("search", searchRows)] : [])
            + (disclosuresPresent ? [("disclosures", disclosureRows)] : [])
        var rows: [String: Int64] = [:]
        for (table, expected) in [("links", linkRows), ("zero_claims", zeroRows)] + optional {
            let count: Int64
            if let counted, let before = counted.rows[table] {
                count = before + (try reader.rowCount(table, from: counted.size))
            } else {
                count = try reader.rowCount(table)
            }
            guard count == expected else {
                throw IntegrityFailure(.ledger, "the \(table) table holds \(count) rows, but the signed bodies account for \(expected) (rows written behind the ledger's back?)")
            }
            rows[table] = count
        }
        counted = (size, rows)
    }
}

extension AuditState {
    /// Checks a statement's correction or a response's target against the log so far, and the
    /// derived rows stored for the entry.
    mutating func checkLinks(_ c: CheckedEntry, reader: SnapshotReader) throws {
        let seq = c.stored.seq
        let at = FailureLocation.entry(seq: seq)
        guard c.entry.kind == .statement || c.entry.kind == .response else { return }
        var found: (target: Int64, kind: LinkKind)?
        var zero = c.zeroScopes != nil
        if c.hasBody {
            if let link = c.link {
                do {
                    try LinkRules.check(link, seq: seq, signer: c.entry.signer, statement: c.linkStatement,
                                        target: try target(of: link, seq: seq, signer: c.entry.signer, reader: reader))
                } catch let e as ValidationError {
                    throw IntegrityFailure(at, "invalid \(link.kind.rawValue): \(e)")
                }
                found = (link.target, link.kind)
            }
            if links.tablesPresent && !links.rowsWrittenFromChecks {
                let row = links.pageLinks[seq]
                let matches = row.map { $0.target == found?.target && $0.kind == found?.kind.rawValue && $0.signer == c.entry.signer } ?? (found == nil)
                guard matches else { throw IntegrityFailure(at, "the links row disagrees with the signed body") }
                let zeroRow = links.pageZeroClaims[seq]
                guard zeroRow.map({ $0.scopes == c.zeroScopes && $0.platform == c.stored.platform && $0.effectiveDate == c.stored.effectiveDate }) ?? !zero else {
                    throw IntegrityFailure(at, "the zero_claims row disagrees with the signed body")
                }
            }
        } else if links.tablesPresent {
            // A withheld body can no longer be read; its stored rows are kept as they are.
            if let row = links.pageLinks[seq], let kind = LinkKind(rawValue: row.kind) { found = (row.target, kind) }
            zero = links.pageZeroClaims[seq] != nil
        }
        if let found { links.record(seq: seq, signer: c.entry.signer, target: found.target, kind: found.kind) }
        if zero { links.zeroRows += 1 }
    }

    /// An archived page's `documents` row must say what its signed body says; a withheld page's
    /// row is kept as it is (only statements can be withheld today, so none is).
    mutating func checkDocument(_ c: CheckedEntry) throws {
        guard c.entry.kind == .document, links.documentsPresent else { return }
        guard c.hasBody else {
            // Withheld: its row (checked against the notice) counts if it is stored.
            if !links.rowsWrittenFromChecks, links.pageDocuments[c.stored.seq] != nil { links.documentRows += 1 }
            return
        }
        links.documentRows += 1
        guard !links.rowsWrittenFromChecks else { return }
        guard links.pageDocuments[c.stored.seq] == c.document else {
            throw IntegrityFailure(.entry(seq: c.stored.seq), "the documents row disagrees with the signed body")
        }
    }

    /// A statement's row of the search index must say what its signed body says, and a withheld
    /// statement must have none: its words are gone with its body.
    mutating func checkSearch(_ c: CheckedEntry) throws {
        guard c.entry.kind == .statement, links.searchPresent else { return }
        let at = FailureLocation.entry(seq: c.stored.seq)
        guard c.hasBody else {
            guard links.rowsWrittenFromChecks || links.pageSearch[c.stored.seq] == nil else {
                throw IntegrityFailure(at, "the search index still holds the words of this withheld statement")
            }
            return
        }
        links.searchRows += 1
        guard !links.rowsWrittenFromChecks else { return }
        guard let row = links.pageSearch[c.stored.seq] else { throw IntegrityFailure(at, "the search index has no row for this statement") }
        guard row == c.search else { throw IntegrityFailure(at, "the search index row disagrees with the signed body") }
    }

    /// A statement's `disclosures` row must say what its signed body says (none when it reports
    /// no disclosure), and a withheld statement must have none.
    mutating func checkDisclosures(_ c: CheckedEntry) throws {
        guard c.entry.kind == .statement, links.disclosuresPresent else { return }
        let at = FailureLocation.entry(seq: c.stored.seq)
        let expected = c.hasBody ? c.disclosureScopes : nil
        if expected != nil { links.disclosureRows += 1 }
        guard !links.rowsWrittenFromChecks else { return }
        guard links.pageDisclosures[c.stored.seq] == expected else {
            throw IntegrityFailure(at, c.hasBody ? "the disclosures row disagrees with the signed body"
                                                 : "the disclosures table still holds a row of this withheld statement")
        }
    }

    /// The target as the audit has replayed it; nil if no earlier entry has that seq.
    private func target(of link: Link, seq: Int64, signer: String, reader: SnapshotReader) throws -> LinkTarget? {
        guard link.target < seq, let stored = try reader.entry(seq: link.target) else { return nil }
        // Entries before `seq` have been audited already, so their leaves are known good.
        guard let entry = Entry.decodeCanonical(stored.leaf) else { return nil }
        return LinkTarget(seq: link.target, kind: entry.kind, signer: entry.signer, leafHash: MerkleHash.leaf(stored.leaf),
                          platform: stored.platform, category: stored.category, ownLink: links.ownLinks[link.target],
                          supersededBy: links.supersededBy[link.target],
                          earlierResponse: link.kind.supersedes ? nil : links.responses[.init(target: link.target, signer: signer)])
    }
}
