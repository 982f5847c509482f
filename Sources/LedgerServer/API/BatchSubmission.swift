import LedgerAppend
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The body of `POST /v1/entries/batch`: JSON Lines, one `POST /v1/entries` submission per line
/// (blank lines skipped), for a recorder that files a whole report at once. The batch is all or
/// nothing: every line is checked before anything is queued, the first bad one refuses the whole
/// request (naming its line), and the accepted entries are appended in one transaction, in order.
enum BatchSubmission {
    /// Parses and checks every line against the ledger as it is now, with the checks `ledger
    /// append` makes (`AppendPrecheck`); nothing is written here.
    static func check(_ bytes: [UInt8], backend: LedgerBackend) throws -> [PendingEntry] {
        let lines = JSONLines.split(bytes)
        guard lines.count <= SubmissionLimits.maxBatchEntries else {
            throw APIError.invalidRequest("a batch holds at most \(SubmissionLimits.maxBatchEntries) submissions, this one \(lines.count); split it; nothing was written")
        }
        let entries = try lines.map { line in
            try inBatch(line: line.number) { try EntrySubmission(parsing: Array(line.bytes), origin: .batchLine(line.number)) }
        }
        guard !entries.isEmpty else {
            throw APIError.invalidRequest("the batch is empty: send JSON Lines, one {\"statement\", \"signer\", \"signature\"} object per line")
        }
        let submissions = entries.map(\.submission)
        let (signerMarker, existing) = try backend.store.appendPrecheck(bodySHA256s: submissions.map(\.body.sha256))
        var seqs: [Digest: Int64] = [:]
        for (s, seq) in zip(submissions, existing) { if let seq { seqs[s.body.sha256] = seq } }
        _ = try AppendPrecheck.withoutReplays(submissions, existing: seqs, skip: false)
        let keys = try backend.keyHistory(marker: signerMarker)
        return try entries.map { entry in
            let pending = try inBatch(line: entry.submission.origin) { try entry.authorized(by: keys) }
            try AppendPrecheck.checkLinks([entry.submission], signer: entry.signer, store: backend.store)
            try AppendPrecheck.checkQuotes([entry.submission], store: backend.store)
            return pending
        }
    }

    /// `refusal` for an entry from `origin`: named by its line when it came in a batch.
    static func inBatch(_ origin: EntryOrigin, _ refusal: APIError) -> APIError {
        guard case .batchLine(let line) = origin else { return refusal }
        return .inBatch(line: line, refusal)
    }

    /// Runs `check`, naming the batch line of `origin` in any `APIError` refusal.
    private static func inBatch<T>(line origin: EntryOrigin, _ check: () throws -> T) throws -> T {
        guard case .batchLine(let line) = origin else { return try check() }
        return try inBatch(line: line, check)
    }

    /// Runs `check`, naming `line` in any `APIError` refusal.
    private static func inBatch<T>(line: Int, _ check: () throws -> T) throws -> T {
        do { return try check() } catch let e as APIError { throw APIError.inBatch(line: line, e) }
    }
}
