import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The body of `POST /v1/entries/batch`: JSON Lines, one `POST /v1/entries` submission per line
/// (blank lines skipped), for a recorder that files a whole report at once. The batch is all or
/// nothing: every line is checked before anything is queued, the first bad one refuses the whole
/// request (naming its line), and the accepted entries are appended in one transaction, in order.
enum BatchSubmission {
    /// Parses and checks every line against one snapshot of the ledger; nothing is written here.
    static func check(_ bytes: [UInt8], backend: LedgerBackend) throws -> [PendingEntry] {
        let lines = JSONLines.split(bytes)
        guard lines.count <= SubmissionLimits.maxBatchEntries else {
            throw APIError.invalidRequest("a batch holds at most \(SubmissionLimits.maxBatchEntries) submissions, this one \(lines.count); split it; nothing was written")
        }
        var submissions: [(line: Int, submission: EntrySubmission)] = []
        var firstLine: [Digest: Int] = [:]
        for (lineNumber, line) in lines {
            let submission = try inBatch(line: lineNumber) { try EntrySubmission(parsing: Array(line)) }
            if let other = firstLine[submission.body.sha256] {
                throw APIError.inBatch(line: lineNumber, .invalidRequest("the same statement as line \(other); a statement is appended once"))
            }
            firstLine[submission.body.sha256] = lineNumber
            submissions.append((lineNumber, submission))
        }
        guard !submissions.isEmpty else {
            throw APIError.invalidRequest("the batch is empty: send JSON Lines, one {\"statement\", \"signer\", \"signature\"} object per line")
        }
        let (signerMarker, existing) = try backend.store.appendPrecheck(bodySHA256s: submissions.map(\.submission.body.sha256))
        let keys = try backend.keyHistory(marker: signerMarker)
        return try zip(submissions, existing).map { item, seq in
            try inBatch(line: item.line) {
                let pending = try item.submission.authorized(by: keys, existing: seq, label: label(line: item.line))
                try item.submission.checkLink(backend.store)
                return pending
            }
        }
    }

    /// How a batch's entry is labelled for the appender, so that a refusal it finds later (a
    /// race with another append) still names the line.
    static func label(line: Int) -> String { "line \(line)" }

    /// `refusal` for the entry labelled `item`: named by its line when it came in a batch.
    static func inBatch(_ item: String, _ refusal: APIError) -> APIError {
        guard item.hasPrefix("line "), let line = Int(item.dropFirst(5)) else { return refusal }
        return .inBatch(line: line, refusal)
    }

    /// Runs `check`, naming `line` in any refusal.
    private static func inBatch<T>(line: Int, _ check: () throws -> T) throws -> T {
        do { return try check() } catch let e as APIError { throw APIError.inBatch(line: line, e) }
    }
}
