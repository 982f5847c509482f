import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerText

/// What is checked against the ledger before anything is signed or queued, the same way for the
/// command line and the service. Advisory: the appender checks both again inside its
/// transaction, where a race with another appender is caught.
public enum AppendPrecheck {
    /// `submissions` without those already in the ledger (`existing`, seq by digest) and without
    /// repeats among them. With `skip` they are dropped and counted (an interrupted import run
    /// again); otherwise the first is refused with `StorageError.replay` or `.duplicateInBatch`,
    /// naming its origin (and the other's).
    public static func withoutReplays(_ submissions: [Submission], existing: [Digest: Int64],
                                      skip: Bool) throws -> (fresh: [Submission], skipped: Int) {
        var seen: [Digest: EntryOrigin] = [:]
        let fresh = try withoutReplays(submissions, existing: existing, skip: skip) { s in
            defer { seen[s.body.sha256] = seen[s.body.sha256] ?? s.origin }
            return seen[s.body.sha256]
        }
        return (fresh.map { submissions[$0] }, submissions.count - fresh.count)
    }

    /// The indices of `submissions` to append: those neither in the ledger (`existing`) nor
    /// repeats of an earlier submission (`earlier` gives its origin, and is asked once per
    /// submission not in the ledger, in order). Refuses or skips the others as above.
    public static func withoutReplays(_ submissions: [Submission], existing: [Digest: Int64], skip: Bool,
                                      earlier: (Submission) throws -> EntryOrigin?) throws -> [Int] {
        var fresh: [Int] = []
        for (i, s) in submissions.enumerated() {
            if let seq = existing[s.body.sha256] {
                guard skip else { throw StorageError.replay(s.origin, seq: seq) }
            } else if let other = try earlier(s) {
                guard skip else { throw StorageError.duplicateInBatch(s.origin, other: other) }
            } else {
                fresh.append(i)
            }
        }
        return fresh
    }

    /// `withoutReplays`, reading which statements are already in `store` (one index look-up each).
    public static func withoutReplays(_ submissions: [Submission], in store: LedgerStore,
                                      skip: Bool) throws -> (fresh: [Submission], skipped: Int) {
        try withoutReplays(submissions, existing: try store.existingStatements(submissions.map(\.body.sha256)), skip: skip)
    }

    /// Every statement that cites an archived page (its `source.sha256` is the content digest
    /// of a `document` entry) must quote that page: its quote must be in the page's text,
    /// compared as `disclosure-text/v1` normalises both. The first that does not is refused
    /// with the passage nearest to its quote. A statement whose source is not archived here is
    /// not checked (pages may be archived after the statements that cite them). Reads one
    /// index row and, for a cited page, its body.
    public static func checkQuotes(_ submissions: [Submission], store: LedgerStore) throws {
        // Which sources are archived: one read for the whole input, no body.
        let rows = try store.archivedPageRows(contentSHA256s: submissions.compactMap { $0.body.statement?.source.sha256 })
        guard !rows.isEmpty else { return }
        // The page last read is kept (a report's statements cite it one after another); no
        // more, as a page may hold megabytes.
        var last: (seq: Int64, text: String?)?
        for s in submissions {
            guard let statement = s.body.statement, let cited = rows[statement.source.sha256] else { continue }
            if last?.seq != cited.seq { last = (cited.seq, try store.archivedPage(seq: cited.seq)?.text) }
            guard let text = last?.text else { continue }  // withheld: nothing to hold the quote against
            if case .notFound(let nearest) = QuoteCheck.check(statement.quote, in: text) {
                throw AppendError.quoteNotInSource(s.origin, seq: cited.seq, url: cited.url, nearest: nearest)
            }
        }
    }

    /// Every correction and response checked against the ledger as it is now, as `signer` would
    /// append it (LinkRules, docs/FORMAT.md): the first that breaks a rule is refused with
    /// `StorageError.invalidLink`, naming its origin. Reads a few rows per linked document.
    public static func checkLinks(_ submissions: [Submission], signer: String, store: LedgerStore) throws {
        for s in submissions where s.body.link != nil {
            do { try store.checkLink(s.body, signer: signer) } catch let e as ValidationError {
                throw StorageError.invalidLink(s.origin, e)
            }
        }
    }
}
