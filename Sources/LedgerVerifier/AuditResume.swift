import LedgerCore
import LedgerCrypto
import LedgerStorage

/// Resuming an audit from a saved `AuditResumeState`: the state's tree must still be the
/// ledger's (same root at that size, same stored right edge), then only later entries are read.
extension AuditState {
    /// The audit state as it was after entry `resume.size − 1`.
    init(resuming resume: AuditResumeState, logKey: NoteVerifierKey) throws {
        guard resume.logKey == logKey else {
            throw AuditResumeError.otherLog(state: resume.logKey.text, pinned: logKey.text)
        }
        self.init(logKey: logKey)
        size = resume.size
        startSize = resume.size
        resumed = true
        prev = resume.lastLeafHash
        lastTime = resume.lastTime
        range = try CompactRange(size: resume.size, edge: resume.rightEdge)
        history = resume.keyHistory
        latestCheckpoint = resume.checkpointNote
        latestParsed = resume.checkpoint
        expectedHashID = StoredHashIndex.count(forSize: resume.size)
    }

    /// Checks, in O(log n), that the ledger still holds the tree the state verified: not rolled
    /// back (fewer entries, or a latest checkpoint below the state's size), not forked (a
    /// consistency proof from the state's checkpoint to the ledger's latest, both signed), and the
    /// stored right edge at the state's size unchanged. `label` names the state file.
    func requireStillContains(_ resume: AuditResumeState, label: String, reader: SnapshotReader) throws {
        let at = FailureLocation.given(label)
        let given = SignedCheckpoint(checkpoint: resume.checkpoint, note: resume.checkpointNote)
        guard let latest = try reader.latestCheckpoint() else { throw IntegrityFailure(.ledger, "no checkpoint is stored") }
        let top: SignedCheckpoint
        do {
            top = try SignedCheckpoint(opening: Array(latest.note.utf8), logKey: logKey)
        } catch {
            throw IntegrityFailure(.checkpoint(size: latest.size), "\(error)")
        }
        guard top.checkpoint.size == latest.size else { throw IntegrityFailure(.checkpoint(size: latest.size), "the note says size \(top.checkpoint.size)") }
        try TreeContainment.require(given, within: top, logKey: logKey, location: at, what: "the state's checkpoint", reader: reader)
        let entries = try reader.size()
        guard entries >= resume.size else {
            throw IntegrityFailure(at, "the state verified \(resume.size) entries, but the ledger holds only \(entries): entries were removed (rolled back)",
                                   evidence: SplitViewEvidence(given.note, top.note))
        }
        let ids = StoredHashIndex.decompose(lo: 0, hi: resume.size).map { StoredHashIndex.index(level: $0.level, n: $0.n) }
        guard (try? reader.storedHashes(ids)) == resume.rightEdge else {
            throw IntegrityFailure(at, "the stored Merkle hashes of the tree the state verified (size \(resume.size)) were changed")
        }
    }
}

/// A state file that cannot be used (exit 2: the audit did not run).
public enum AuditResumeError: Error, Equatable, CustomStringConvertible {
    case otherLog(state: String, pinned: String)

    public var description: String {
        switch self {
        case .otherLog(let s, let p): return "the state file is for log key \(s), not the pinned \(p); use another --state file"
        }
    }
}
