import LedgerCore
import LedgerCrypto
import LedgerStorage

/// What one stored entry says once its bytes are checked on their own: leaf canonical and well
/// formed, body canonical and valid, body digest and query columns matching. Independent of
/// every other entry, so audits run it on all cores. A class: pages of them are handed between
/// threads and replayed, and copying a struct of a dozen references cost retains at every step.
final class CheckedEntry: Sendable {
    let stored: StoredEntry
    let entry: Entry
    let leafHash: Digest
    /// False when the body is absent (withheld, or deleted behind the ledger's back).
    let hasBody: Bool
    /// The body of a signer or withhold entry, which the audit replays; nil for statements,
    /// so a page of checked entries stays small.
    let logDocument: Body.Document?
    /// The signature checked against the key its signer had when the page began. The audit uses
    /// the verdict only if the key history still names that key at this seq.
    let signatureVerdict: (key: Ed25519PublicKey, valid: Bool)?
    /// The correction or response link the body makes, and (for a correction) its statement.
    let link: Link?
    let linkStatement: Statement?
    /// The scopes of the body's zero claim (it must have a `zero_claims` row), if it makes one.
    let zeroScopes: String?
    /// The `documents` row an archived page's body implies.
    let document: DocumentRow?
    /// The `search` and `disclosures` rows a statement's body implies.
    let search: SearchRow?
    let disclosureScopes: String?

    init(stored: StoredEntry, entry: Entry, leafHash: Digest, hasBody: Bool, logDocument: Body.Document?,
         signatureVerdict: (key: Ed25519PublicKey, valid: Bool)?, link: Link?, linkStatement: Statement?, zeroScopes: String?,
         document: DocumentRow?, search: SearchRow?, disclosureScopes: String?) {
        self.search = search
        self.disclosureScopes = disclosureScopes
        self.stored = stored
        self.entry = entry
        self.leafHash = leafHash
        self.hasBody = hasBody
        self.logDocument = logDocument
        self.signatureVerdict = signatureVerdict
        self.link = link
        self.linkStatement = linkStatement
        self.zeroScopes = zeroScopes
        self.document = document
    }
}

enum EntryCheck {
    /// Checks `stored` on its own, and its signature under the key `history` gives its signer.
    static func run(_ stored: StoredEntry, history: KeyHistory) -> Result<CheckedEntry, IntegrityFailure> {
        decode(seq: stored.seq, leaf: stored.leaf, body: stored.body).flatMap { entry, body in
            check(stored, entry: entry, body: body, history: history)
        }
    }

    /// An entry fetched from another ledger (a mirror's batch), checked the same way; its query
    /// columns are the ones leaf and body imply, as the mirror will store them.
    static func runFetched(seq: Int64, leaf: [UInt8], body: [UInt8]?, history: KeyHistory) -> Result<CheckedEntry, IntegrityFailure> {
        decode(seq: seq, leaf: leaf, body: body).flatMap { entry, parsed in
            let statement = parsed?.statement
            let stored = StoredEntry(seq: seq, leaf: leaf, body: body, kind: entry.kind.rawValue, signer: entry.signer,
                                     bodySHA256: entry.bodySHA256.bytes, time: entry.time.description, platform: statement?.platform,
                                     category: statement?.category.rawValue, effectiveDate: statement?.published.description)
            // The columns were just derived from leaf and body: nothing to compare.
            return check(stored, entry: entry, body: parsed, history: history, compareColumns: false)
        }
    }

    /// The leaf decoded (at its own seq) and the body parsed and validated.
    private static func decode(seq: Int64, leaf: [UInt8], body bytes: [UInt8]?) -> Result<(Entry, Body?), IntegrityFailure> {
        let at = FailureLocation.entry(seq: seq)
        let entry: Entry
        do { entry = try Entry.decodeCanonical(leaf) ?? Entry(leaf: leaf) } catch {
            return .failure(IntegrityFailure(at, "leaf: \(error)"))
        }
        // Checked before the body: bodies are stored by seq, so a moved entry would otherwise be
        // reported as an altered body rather than as what it is.
        guard entry.seq == seq else {
            return .failure(IntegrityFailure(at, "the entry stored here says seq \(entry.seq) (entries moved or swapped)"))
        }
        guard let bytes else { return .success((entry, nil)) }
        do { return .success((entry, try Body(stored: bytes))) } catch {
            return .failure(IntegrityFailure(at, "statement body: \(error)"))
        }
    }

    private static func check(_ stored: StoredEntry, entry: Entry, body: Body?, history: KeyHistory,
                              compareColumns: Bool = true) -> Result<CheckedEntry, IntegrityFailure> {
        let at = FailureLocation.entry(seq: stored.seq)
        if let body {
            guard body.sha256 == entry.bodySHA256 else {
                return .failure(IntegrityFailure(at, "the stored body does not match body_sha256 in the entry (the body was altered)"))
            }
            guard body.kind == entry.kind else {
                return .failure(IntegrityFailure(at, "a \(entry.kind.rawValue) entry carries a \(body.kind.rawValue) body"))
            }
        }
        do { try body?.statement?.checkDates(appendedAt: entry.time) } catch {
            return .failure(IntegrityFailure(at, "statement body: \(error)"))
        }
        if compareColumns, let column = queryColumnMismatch(stored, entry, body?.statement) {
            return .failure(IntegrityFailure(at, "the \(column) column disagrees with the signed entry"))
        }
        // An archived page is no log document, and is megabytes: only its row is kept.
        let logDocument = entry.kind == .statement || entry.kind == .document ? nil : body?.document
        var document: DocumentRow?
        if case .archive(let d)? = body?.document { document = DocumentRow(seq: stored.seq, d) }
        let verdict = (try? history.key(for: entry.signer, kind: entry.kind)).map { key in
            (key, key.verify(signature: entry.signature, message: entry.kind.signedMessage(bodySHA256: entry.bodySHA256)))
        }
        let link = body?.link
        return .success(CheckedEntry(stored: stored, entry: entry, leafHash: MerkleHash.leaf(stored.leaf), hasBody: body != nil,
                                     logDocument: logDocument, signatureVerdict: verdict, link: link,
                                     linkStatement: link == nil ? nil : body?.statement,
                                     zeroScopes: body?.statement?.zeroDisclosureScopes, document: document,
                                     search: body?.statement.map(SearchRow.init), disclosureScopes: body?.statement?.disclosureScopes))
    }

    /// The first denormalised column that says something other than the leaf or body.
    private static func queryColumnMismatch(_ s: StoredEntry, _ e: Entry, _ statement: Statement?) -> String? {
        if s.kind != e.kind.rawValue { return "kind" }
        if s.signer != e.signer { return "signer" }
        if s.bodySHA256 != e.bodySHA256.bytes { return "body_sha256" }
        if s.time != e.time.description { return "time" }
        if let statement {
            if s.platform != statement.platform { return "platform" }
            if s.category != statement.category.rawValue { return "category" }
            if s.effectiveDate != statement.published.description { return "effective_date" }
        } else if e.kind != .statement, s.platform != nil || s.category != nil || s.effectiveDate != nil {
            return "platform"
        }
        return nil
    }
}

/// A signature to check: an entry's, or a stored checkpoint's.
struct SignatureJob: Sendable {
    let location: FailureLocation
    let key: Ed25519PublicKey
    let message: [UInt8]
    let signature: [UInt8]
    let what: String

    func run() -> IntegrityFailure? {
        key.verify(signature: signature, message: message) ? nil : IntegrityFailure(location, "\(what) does not verify")
    }
}
