import LedgerCore
import LedgerCrypto

/// Storage failures, each with what to do about it.
public enum StorageError: KindedError, Equatable, CustomStringConvertible {
    case notALedger(path: String, reason: String)
    case alreadyExists(path: String)
    case missing(path: String)
    case replay(EntryOrigin, seq: Int64)
    case duplicateInBatch(EntryOrigin, other: EntryOrigin)
    /// A key, witness or checkpoint the caller named is not one this file trusts.
    case unauthorized(item: String, reason: String)
    /// An entry's signer may not sign it, or its signature does not verify.
    case signerRefused(EntryOrigin, reason: String)
    case noSuchEntry(seq: Int64)
    /// `ledger source show/diff` and the page routes were given an entry that is no archived page.
    case notAnArchivedPage(seq: Int64, kind: String)
    case cannotWithhold(seq: Int64, reason: String)
    case corrupt(String)
    case invalidLink(EntryOrigin, ValidationError)
    /// A statement that breaks a rule only checkable when it is appended (its dates against the entry's time).
    case invalidStatement(EntryOrigin, ValidationError)
    case needsUpgrade(path: String, missing: String)
    /// The file has schema revisions this build does not know: writing would leave the rows of
    /// their derived tables behind, which the newer audit then refuses.
    case newerFormat(path: String, migrations: [String])
    case mirroredEntryRefused(seq: Int64, reason: String)
    // A proof or read asked of more than is there, each with what to do instead.
    case beyondLedger(size: Int64, ledgerSize: Int64)
    case notInTree(seq: Int64, size: Int64)
    case badSizes(old: Int64, new: Int64)
    case noCheckpoint(size: Int64)
    case foreignCheckpoint(logKey: String, reason: String)
    /// A checkpoint signed by this log whose root is not the stored one shows a split view.
    case rootMismatch(size: Int64, given: Digest, stored: Digest)
    /// A bulk import's temporary database failed (a full or unwritable temporary directory).
    case scratch(String)
    /// Another process is importing with the look-up indexes deferred: appends wait until it ends.
    case importInProgress
    /// The import lock file (`<ledger>-import`) cannot be opened.
    case lockFile(path: String, reason: String)

    public var kind: FailureKind {
        switch self {
        case .corrupt, .mirroredEntryRefused, .rootMismatch: return .integrity
        // Which file the caller pointed at (none, not a ledger, one to upgrade first).
        case .notALedger, .missing, .needsUpgrade, .newerFormat, .alreadyExists, .replay, .duplicateInBatch, .unauthorized, .signerRefused, .noSuchEntry, .notAnArchivedPage, .cannotWithhold, .invalidLink, .invalidStatement,
             .beyondLedger, .notInTree, .badSizes, .noCheckpoint, .foreignCheckpoint:
            return .caller
        case .scratch, .importInProgress, .lockFile: return .local
        }
    }

    public var description: String {
        switch self {
        case .notALedger(let p, let r): return "\(p) is not a disclosure ledger: \(r)"
        case .alreadyExists(let p): return "\(p) already exists; it is left as it is"
        case .missing(let p): return "no ledger at \(p); run `ledger init` first"
        case .replay(let item, let seq): return "\(item): this statement is already in the ledger at seq \(seq) (replay refused)"
        case .duplicateInBatch(let item, let other): return "\(item): the same statement appears twice in this input (also \(other))"
        case .unauthorized(let item, let reason): return "\(item): \(reason)"
        case .signerRefused(let origin, let reason): return "\(origin): \(reason)"
        case .noSuchEntry(let seq): return "there is no entry with seq \(seq)"
        case .notAnArchivedPage(let seq, let kind): return "seq \(seq) is a \(kind) entry, not an archived page (`ledger source list` lists them)"
        case .cannotWithhold(let seq, let reason): return "cannot withhold seq \(seq): \(reason)"
        case .corrupt(let why): return "the ledger is damaged: \(why); run ledger-verify"
        case .invalidLink(let item, let e), .invalidStatement(let item, let e): return "\(item): \(e)"
        case .mirroredEntryRefused(let seq, let reason): return "mirrored entry \(seq) cannot be stored: \(reason)"
        case .needsUpgrade(let p, let missing): return "\(p) was written by an older ledger without \(missing); run `ledger upgrade` once"
        case .newerFormat(let p, let migrations):
            return "\(p) was written by a newer ledger (schema \(migrations.joined(separator: ", "))); this one reads it but does not write to it: use the newer ledger"
        case .beyondLedger(let s, let have):
            return "the ledger holds \(have) entries; there is no tree of size \(s) to prove against"
        case .notInTree(let seq, let size):
            return "seq \(seq) is not in the tree of size \(size) (it holds seqs 0 to \(size - 1)); use a later checkpoint"
        case .badSizes(let o, let n): return "no consistency proof from size \(o) to size \(n): the old size must be between 0 and the new size"
        case .noCheckpoint(let s): return "no checkpoint of size \(s) is stored"
        case .foreignCheckpoint(let key, let why): return "the checkpoint is not signed by this log (\(key)): \(why)"
        case .rootMismatch(let s, let g, let stored):
            return "the checkpoint's root at size \(s) is \(g.base64), but this ledger's root at size \(s) is \(stored.base64): it is not from this ledger's history"
        case .scratch(let why): return "\(why) (SQLite writes it to SQLITE_TMPDIR, TMPDIR or /var/tmp: is there room?)"
        case .importInProgress:
            return "another process is importing statements into this ledger with its look-up indexes deferred; nothing was written; retry when the import ends"
        case .lockFile(let path, let why): return "cannot open the import lock file \(path): \(why)"
        }
    }
}

import GRDB

extension Row {
    /// Column `index` as `T`. A file edited by hand can hold any value in any column, and GRDB's
    /// subscripts trap on one they cannot convert; this throws `StorageError.corrupt` instead.
    func column<T: DatabaseValueConvertible>(_ index: Int) throws -> T {
        do { return try decode(T.self, atIndex: index) } catch {
            throw StorageError.corrupt("a stored value has the wrong type (\(error))")
        }
    }
}
