import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

extension LedgerStore {
    /// Refuses a correction or response that breaks `LinkRules` against what is stored now
    /// (including earlier items of the same transaction).
    static func checkLink(_ db: Database, item: PendingEntry, seq: Int64) throws {
        guard let link = item.body.link else { return }
        do {
            try LinkRules.check(link, seq: seq, signer: item.signer, statement: item.body.statement,
                                target: try linkTarget(db, seq: link.target, responder: link.kind.supersedes ? nil : item.signer))
        } catch let e as ValidationError {
            throw StorageError.invalidLink(item.origin, e)
        }
    }

    /// What the tables say about entry `seq` as the target of a link; `responder` asks for that
    /// signer's earlier response to it.
    static func linkTarget(_ db: Database, seq: Int64, responder: String?) throws -> LinkTarget? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, signer, platform, category FROM entries WHERE seq = ?"),
                                         arguments: [seq]) else { return nil }
        let kindText: String = try row.column(0)
        guard let kind = EntryKind(rawValue: kindText) else { throw StorageError.corrupt("entry \(seq) has kind '\(kindText)'") }
        let leafHash = try StoredHashes(db: db).readHashes([StoredHashIndex.firstIndex(ofLeaf: seq)])[0]
        let ownKind = try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM links WHERE seq = ?"), arguments: [seq])
        let supersededBy = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM links WHERE target = ? AND kind IN ('amendment', 'retraction')"),
                                              arguments: [seq])
        var earlier: Int64?
        if let responder {
            earlier = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM links WHERE target = ? AND signer = ? AND kind IN ('endorsement', 'dispute')"),
                                         arguments: [seq, responder])
        }
        // A withheld body's facts come from its signed v2 notice, not from the rows (which
        // nothing else could check once the body is gone).
        if let facts = try withheldFacts(db, seq: seq) {
            return LinkTarget(seq: seq, kind: kind, signer: try row.column(1), leafHash: leafHash, platform: facts.platform, category: facts.category,
                              ownLink: facts.link?.kind, supersededBy: supersededBy, earlierResponse: earlier)
        }
        return LinkTarget(seq: seq, kind: kind, signer: try row.column(1), leafHash: leafHash, platform: try row.column(2), category: try row.column(3),
                          ownLink: ownKind.flatMap(LinkKind.init(rawValue:)), supersededBy: supersededBy, earlierResponse: earlier)
    }

    /// What the ledger knows about entry `seq` as the target of a link (its leaf hash, signer,
    /// corrections), with `responder`'s earlier response to it if any; nil for no such entry.
    public func linkTarget(seq: Int64, responder: String?) throws -> LinkTarget? {
        try reading.read { db in try Self.linkTarget(db, seq: seq, responder: responder) }
    }

    /// The corrections and responses, newest first: those answering entry `target` if given (its
    /// standing on its page), else the ledger's latest (what `/` lists); at most `limit`. One
    /// index walk of `links`, with the answered entry's platform and category.
    public func links(answering target: Int64? = nil, limit: Int) throws -> [LinkRow] {
        try reading.read { db in
            guard try db.tableExists("links") else { return [] }
            let filter = target == nil ? "" : "WHERE l.target = ?"
            let arguments: StatementArguments = target.map { [$0, limit] } ?? [limit]
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT l.seq, l.target, l.kind, l.signer, e.platform, e.category FROM links l LEFT JOIN entries e ON e.seq = l.target
                \(filter) ORDER BY l.seq DESC LIMIT ?
                """), arguments: arguments).map { row in
                let kindText: String = try row.column(2)
                guard let kind = LinkKind(rawValue: kindText) else { throw StorageError.corrupt("the links row of seq \(try row.column(0) as Int64) has kind '\(kindText)'") }
                return LinkRow(seq: try row.column(0), target: try row.column(1), kind: kind, signer: try row.column(3),
                               platform: try row.column(4), category: try row.column(5))
            }
        }
    }

    /// The facts the v2 withhold notice of entry `seq` signs, if its body is withheld under one.
    static func withheldFacts(_ db: Database, seq: Int64) throws -> WithholdNotice.DerivedFacts? {
        guard let notice = try Int64.fetchOne(db.cachedStatement(sql: "SELECT notice_seq FROM withheld WHERE seq = ?"), arguments: [seq]),
              let text = try String.fetchOne(db.cachedStatement(sql: "SELECT body FROM bodies WHERE seq = ?"), arguments: [notice]) else { return nil }
        guard case .withhold(let w) = try Body(stored: Array(text.utf8)).document else {
            throw StorageError.corrupt("the withheld row of seq \(seq) names seq \(notice), which is no withhold notice")
        }
        return w.facts
    }

    /// Checks a document's link against this ledger without appending (`ledger statement check`).
    /// Without `signer`, the rules that depend on who signs are checked as if the log key signed.
    public func checkLink(_ body: Body, signer: String?) throws {
        guard let link = body.link else { return }
        try reading.read { db in
            try Self.requireLinks(db, path: path)
            let target = try Self.linkTarget(db, seq: link.target, responder: link.kind.supersedes ? nil : signer)
            try LinkRules.check(link, seq: try Self.size(db), signer: signer ?? (link.kind.supersedes ? SignerName.log : ""),
                                statement: body.statement, target: target)
        }
    }
}

/// A correction or response: entry `seq`, signed by `signer`, answers entry `target` (`kind`),
/// a statement of `platform` and `category` (nil when the target has no such columns).
public struct LinkRow: Sendable {
    public let seq: Int64
    public let target: Int64
    public let kind: LinkKind
    public let signer: String
    public let platform: String?
    public let category: String?
}
