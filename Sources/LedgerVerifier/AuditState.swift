import LedgerCore
import LedgerCrypto
import LedgerStorage

/// What the audit carries from one entry to the next: the chain head, the tree's right edge,
/// the key history, and the checkpoints waiting for the tree to reach their size.
struct AuditState {
    let logKey: NoteVerifierKey
    var size: Int64 = 0
    var prev = Digest.zero
    var lastTime = Timestamp(millis: 0)
    var range = CompactRange()
    var history: KeyHistory
    var withheld: [Int64] = []
    var checkpointsChecked = 0
    var latestCheckpoint = ""
    var latestParsed: Checkpoint?
    /// The size this run started at: 0, or the size of the state it resumed from.
    var startSize: Int64 = 0
    var pendingCheckpoints: [(size: Int64, checkpoint: Checkpoint, note: String)] = []
    var signatureJobs: [SignatureJob] = []
    var storedHashes: [(id: Int64, hash: [UInt8])] = []
    var storedHashCursor = 0
    var expectedHashID: Int64 = 0
    var resumed = false
    var links = LinkReplay()
    /// `meta.log_key` as `checkMeta` read it, compared with the pinned key in `finish`.
    var storedLogKey: String?

    init(logKey: NoteVerifierKey) {
        self.logKey = logKey
        history = KeyHistory(logKey: logKey.publicKey)
    }

    /// The `meta` rows the audit relies on: origin matches the pinned key, and no row the format
    /// does not define (FORMAT.md: `format`, `origin`, `log_key`, `mirror`). `log_key` is
    /// compared in `finish`, after the checkpoints, whose signatures say more about a re-signed
    /// ledger than its meta row does.
    mutating func checkMeta(_ meta: [String: String]) throws {
        storedLogKey = meta["log_key"]
        guard meta["origin"] == logKey.name else {
            throw IntegrityFailure(.ledger, "the ledger's origin is '\(meta["origin"] ?? "")', but the pinned log key is for '\(logKey.name)'")
        }
        if let extra = meta.keys.sorted().first(where: { !["format", "origin", "log_key", "mirror"].contains($0) }) {
            throw IntegrityFailure(.ledger, "meta holds a row '\(extra)' that the format does not define")
        }
        if let mirror = meta["mirror"], mirror != "yes" {
            throw IntegrityFailure(.ledger, "meta.mirror is '\(mirror)'; the format allows only 'yes'")
        }
    }

    /// Parses stored checkpoints and queues their signatures; roots are compared when the tree
    /// reaches each size.
    mutating func loadCheckpoints(_ rows: [(size: Int64, note: String)]) throws {
        for row in rows {
            let at = FailureLocation.checkpoint(size: row.size)
            let note: SignedNote
            let checkpoint: Checkpoint
            do {
                note = try SignedNote.parse(row.note)
                checkpoint = try Checkpoint.parse(text: note.text)
            } catch {
                throw IntegrityFailure(at, "\(error)")
            }
            guard checkpoint.size == row.size else { throw IntegrityFailure(at, "the note says size \(checkpoint.size)") }
            guard checkpoint.origin == logKey.name else {
                throw IntegrityFailure(at, "origin '\(checkpoint.origin)' is not the pinned log's '\(logKey.name)'")
            }
            guard let sig = note.signatures.first(where: { $0.name == logKey.name && $0.keyID == logKey.keyID }) else {
                throw IntegrityFailure(at, "not signed by the pinned log key \(logKey.text) (the ledger was re-signed with another key?)")
            }
            signatureJobs.append(SignatureJob(location: at, key: logKey.publicKey, message: Array(note.text.utf8),
                                              signature: sig.signature, what: "the checkpoint signature by \(logKey.name)"))
            pendingCheckpoints.append((row.size, checkpoint, row.note))
        }
    }

    /// Compares the root of every pending checkpoint the tree has reached.
    mutating func settleCheckpoints() throws {
        while let next = pendingCheckpoints.first, next.size <= size {
            guard next.size == size else { throw IntegrityFailure(.checkpoint(size: next.size), "checkpoint size skipped by the audit") }
            guard next.checkpoint.root == range.root else {
                throw IntegrityFailure(.checkpoint(size: next.size), "its root \(next.checkpoint.root.base64) is not the root of the first \(size) entries (\(range.root.base64))")
            }
            checkpointsChecked += 1
            latestCheckpoint = next.note
            latestParsed = next.checkpoint
            pendingCheckpoints.removeFirst()
        }
    }

    /// Checks one entry against everything before it, then extends chain and tree.
    mutating func accept(_ c: CheckedEntry, reader: SnapshotReader) throws {
        let seq = size
        let at = FailureLocation.entry(seq: seq)
        guard c.stored.seq == seq else {
            throw IntegrityFailure(at, "the entry is missing (the next stored entry is seq \(c.stored.seq))")
        }
        let e = c.entry
        guard e.seq == seq else { throw IntegrityFailure(at, "the entry stored here says seq \(e.seq) (entries moved or swapped)") }
        guard e.prev == prev else {
            throw IntegrityFailure(at, "prev \(e.prev.hex) is not the leaf hash of seq \(seq - 1) (\(prev.hex)): the chain is broken")
        }
        guard e.time >= lastTime else { throw IntegrityFailure(at, "time \(e.time) is earlier than the previous entry's \(lastTime)") }
        if !c.hasBody { try checkWithheld(c, reader: reader) }
        let key: Ed25519PublicKey
        do {
            key = try history.key(for: e.signer, kind: e.kind)
            if case .signer(let event)? = c.logDocument { try history.apply(event, at: seq) }
        } catch let k as KeyHistoryError {
            throw IntegrityFailure(at, "signer '\(e.signer)' may not sign here: \(k)")
        }
        if case .withhold(let notice)? = c.logDocument { try checkNoticeTarget(notice, noticeSeq: seq, reader: reader) }
        try checkLinks(c, reader: reader)
        try checkDocument(c)
        try checkSearch(c)
        try checkDisclosures(c)
        if let verdict = c.signatureVerdict, verdict.key == key {
            guard verdict.valid else { throw IntegrityFailure(at, "the signature by '\(e.signer)' does not verify") }
        } else {
            // The signer's key changed within this page: check against the key it has now.
            signatureJobs.append(SignatureJob(location: at, key: key, message: e.kind.signedMessage(bodySHA256: e.bodySHA256),
                                              signature: e.signature, what: "the signature by '\(e.signer)'"))
        }
        try range.append(leafHash: c.leafHash) { hash in
            guard storedHashCursor < storedHashes.count, storedHashes[storedHashCursor].id == expectedHashID else {
                throw IntegrityFailure(at, "stored Merkle hash \(expectedHashID) is missing")
            }
            guard storedHashes[storedHashCursor].hash == hash.bytes else {
                throw IntegrityFailure(at, expectedHashID == StoredHashIndex.firstIndex(ofLeaf: seq)
                    ? "the stored leaf hash differs from the hash of the leaf bytes (the entry was altered)"
                    : "stored Merkle hash \(expectedHashID) differs from the recomputed tree")
            }
            storedHashCursor += 1
            expectedHashID += 1
        }
        size += 1
        prev = c.leafHash
        lastTime = e.time
        try settleCheckpoints()
    }

    /// A missing body is allowed only under a withhold notice, signed by the log key, later in the log.
    private mutating func checkWithheld(_ c: CheckedEntry, reader: SnapshotReader) throws {
        let at = FailureLocation.entry(seq: c.stored.seq)
        guard c.entry.kind == .statement || c.entry.kind == .document,
              let noticeSeq = try reader.withholdNoticeSeq(sha256: c.entry.bodySHA256.bytes, seq: c.stored.seq),
              noticeSeq > c.stored.seq, let stored = try reader.entry(seq: noticeSeq), let bodyBytes = stored.body,
              let notice = try? Entry(leaf: stored.leaf), notice.kind == .withhold, notice.signer == SignerName.log,
              let body = try? Body(stored: bodyBytes), body.sha256 == notice.bodySHA256,
              case .withhold(let w) = body.document, w.seq == c.stored.seq, w.bodySHA256 == c.entry.bodySHA256
        else {
            throw IntegrityFailure(at, "the body is missing and no withhold notice covers it")
        }
        signatureJobs.append(SignatureJob(location: .entry(seq: noticeSeq), key: logKey.publicKey,
                                          message: EntryKind.withhold.signedMessage(bodySHA256: notice.bodySHA256),
                                          signature: notice.signature, what: "the withhold notice's signature"))
        withheld.append(c.stored.seq)
    }

    private mutating func checkNoticeTarget(_ notice: WithholdNotice, noticeSeq: Int64, reader: SnapshotReader) throws {
        let at = FailureLocation.entry(seq: noticeSeq)
        // A notice removes rows of an earlier entry: this run counts whole tables.
        links.counted = nil
        let expectedKind = notice.document == nil ? EntryKind.statement : EntryKind.document
        guard notice.seq < size, let target = try reader.entry(seq: notice.seq),
              target.kind == expectedKind.rawValue, target.bodySHA256 == notice.bodySHA256.bytes else {
            throw IntegrityFailure(at, "the withhold notice names seq \(notice.seq), which is not an earlier \(notice.document == nil ? "statement" : "archived page") with that body")
        }
        // A notice is written with its `withheld` row and the body's removal, in one transaction
        // (FORMAT.md §12): one notice per statement, and only for a body that is gone.
        guard try reader.withholdNoticeSeq(sha256: notice.bodySHA256.bytes, seq: notice.seq) == noticeSeq else {
            throw IntegrityFailure(at, "the withhold notice for seq \(notice.seq) has no withheld row of its own (a second notice, or one written behind the ledger's back)")
        }
        guard target.body == nil else {
            throw IntegrityFailure(at, "the withhold notice for seq \(notice.seq) is in the log, but that body is still stored")
        }
        if let facts = notice.facts { try checkWithheldRows(facts, of: target, at: at, reader: reader) }
        if let d = notice.document, links.documentsPresent {
            // The row, if stored, is what the notice signs; a copy that never held the page has none.
            if let row = try reader.documents(from: target.seq, to: target.seq + 1)[target.seq] {
                guard row == DocumentRow(seq: target.seq, d) else {
                    throw IntegrityFailure(at, "the documents row of withheld seq \(target.seq) disagrees with its signed withhold notice")
                }
            }
        }
    }

    /// The stored query columns and derived rows of a withheld statement against what its signed
    /// notice says its body implied (nothing else can vouch for them once the body is gone).
    /// A copy that never held the body (a mirror of a source that had withheld it) stores no
    /// columns and no rows for it: that form is accepted, and the notice's link is replayed.
    private mutating func checkWithheldRows(_ facts: WithholdNotice.DerivedFacts, of target: StoredEntry, at: FailureLocation,
                                            reader: SnapshotReader) throws {
        let seq = target.seq
        let neverHeld = target.platform == nil && target.category == nil && target.effectiveDate == nil
        guard neverHeld || (target.platform == facts.platform && target.category == facts.category && target.effectiveDate == facts.effectiveDate) else {
            throw IntegrityFailure(at, "the stored platform, category or effective_date of withheld seq \(seq) disagree with its signed withhold notice")
        }
        guard links.tablesPresent else { return }
        let row = try reader.links(from: seq, to: seq + 1)[seq]
        if let row {
            guard row.target == facts.link?.target, row.kind == facts.link?.kind.rawValue else {
                throw IntegrityFailure(at, "the links row of withheld seq \(seq) disagrees with its signed withhold notice")
            }
        } else if let link = facts.link {
            guard neverHeld else { throw IntegrityFailure(at, "the links row of withheld seq \(seq) is missing; its signed withhold notice names one") }
            if link.kind.supersedes, links.supersededBy[link.target] == nil { links.supersededBy[link.target] = seq }
            if link.kind.supersedes { links.ownLinks[seq] = link.kind }
        }
        let zero = try reader.zeroClaims(from: seq, to: seq + 1)[seq]
        let zeroMatches = zero.map { $0.scopes == facts.zeroScopes && $0.platform == facts.platform && $0.effectiveDate == facts.effectiveDate }
            ?? (facts.zeroScopes == nil || neverHeld)
        guard zeroMatches else {
            throw IntegrityFailure(at, "the zero_claims row of withheld seq \(seq) disagrees with its signed withhold notice")
        }
    }

    /// After the last entry: every stored checkpoint must have been reached, the latest must cover
    /// every entry, and the hashes table must hold nothing more.
    mutating func finish(reader: SnapshotReader) throws -> VerificationReport {
        guard storedLogKey == logKey.text else {
            throw IntegrityFailure(.ledger, "meta.log_key is '\(storedLogKey ?? "")', not the pinned log key \(logKey.text)")
        }
        // Signatures still queued (an empty ledger's first checkpoint).
        if let failure = signatureJobs.lazy.compactMap({ $0.run() }).first { throw failure }
        signatureJobs.removeAll()
        if let extra = try pendingCheckpoints.first?.size ?? reader.firstCheckpointSize(after: size) {
            throw IntegrityFailure(.checkpoint(size: extra), "it covers \(extra) entries but the ledger holds only \(size) (entries were removed)")
        }
        // Pages read checkpoints by size from 0 up; a negative size would never be read.
        if let negative = try reader.checkpoints(from: .min, to: -1).first?.size {
            throw IntegrityFailure(.checkpoint(size: negative), "a checkpoint of negative size is stored (written behind the ledger's back)")
        }
        let lastCheckpointSize = try reader.maxCheckpointSize() ?? -1
        if lastCheckpointSize < size {
            throw IntegrityFailure(.entry(seq: max(lastCheckpointSize, 0)), "entries from seq \(max(lastCheckpointSize, 0)) on are not covered by any signed checkpoint (written behind the ledger's back?)")
        }
        if let orphan = try reader.firstBodyWithoutEntry(size: size) {
            throw IntegrityFailure(.entry(seq: orphan), "a body is stored for seq \(orphan), which has no entry")
        }
        // Every withheld body this run saw was found through the withheld table; a row for
        // anything else (from the audited range) is forged.
        if let seq = Set(try reader.withheldSeqs().filter { $0 >= startSize }).subtracting(withheld).min() {
            throw IntegrityFailure(.entry(seq: seq), "the withheld table lists seq \(seq), but its body is still stored (or it is no statement)")
        }
        // Every id from count(startSize) on was read in order while streaming, and ids are unique
        // integers, so ids within [0, count) mean no extra row: O(log n), not a table scan.
        let expected = StoredHashIndex.count(forSize: size)
        let minID = try reader.minHashID() ?? 0, maxID = try reader.maxHashID() ?? -1
        if minID < 0 || maxID != expected - 1 {
            throw IntegrityFailure(.ledger, "the hashes table holds \(try reader.hashCount()) rows, expected \(expected)")
        }
        guard let latestParsed else { throw IntegrityFailure(.ledger, "no checkpoint covers the ledger") }
        let resume = AuditResumeState(logKey: logKey, checkpointNote: latestCheckpoint, checkpoint: latestParsed, rightEdge: range.edge,
                                      lastLeafHash: prev, lastTime: lastTime, signers: history.activeSigners, revoked: history.revocations)
        try links.finish(reader: reader, size: size)
        return VerificationReport(origin: logKey.name, size: size, root: range.root, checkpointsChecked: checkpointsChecked,
                                  withheld: withheld, signers: history.activeSigners.map(\.name), latestCheckpoint: latestCheckpoint,
                                  entriesChecked: size - startSize, resumedFrom: resumed ? startSize : nil,
                                  resumeState: resume)
    }
}
