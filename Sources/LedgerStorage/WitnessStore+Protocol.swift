import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

extension WitnessStore {
    /// Answers a C2SP `tlog-witness` `add-checkpoint` request: the checkpoint must be of a
    /// followed log (else `AddCheckpointError.unknownOrigin`) and signed by its pinned key
    /// (`.notSigned`); then `WitnessPolicy.checkAddCheckpoint` decides. The check and the record
    /// of the new checkpoint are one `BEGIN IMMEDIATE` transaction, so two requests cannot both
    /// extend the same old tree (the race the spec describes). Returns the cosignature line.
    public func addCheckpoint(_ request: AddCheckpointRequest, cosigner: Cosigner, timestamp: UInt64) throws -> String {
        let signed: SignedNote, checkpoint: Checkpoint
        do {
            signed = try SignedNote.parse(request.note)
            checkpoint = try Checkpoint.parse(text: signed.text)
        } catch { throw AddCheckpointError.malformed("the checkpoint: \(error)") }
        return try cosignRecording(request.note, origin: checkpoint.origin, cosigner: cosigner, timestamp: timestamp) { logKey, latest in
            guard let logKey else { throw AddCheckpointError.unknownOrigin(checkpoint.origin) }
            do { _ = try Checkpoint.open(request.note, logKey: logKey) } catch { throw AddCheckpointError.notSigned(origin: checkpoint.origin) }
            try WitnessPolicy.checkAddCheckpoint(checkpoint, oldSize: request.oldSize, proof: request.proof, after: latest)
            return (checkpoint, signed)
        }.line.line
    }

    /// The one way a checkpoint gets cosigned and recorded, in one `BEGIN IMMEDIATE`
    /// transaction: `check` gets the followed log's key for `origin` (nil if it is not followed)
    /// and the checkpoint last cosigned for it, and returns the opened checkpoint or throws;
    /// then the cosignature is made and the checkpoint recorded. Nothing is written on a throw.
    func cosignRecording(_ note: [UInt8], origin: String, cosigner: Cosigner, timestamp: UInt64,
                         check: (NoteVerifierKey?, WitnessPolicy.Latest?) throws -> (Checkpoint, SignedNote)) throws
        -> (line: SignedNote.Signature, signed: SignedNote) {
        try queue.writeWithoutTransaction { db in
            var result: (line: SignedNote.Signature, signed: SignedNote)?
            try db.inTransaction(.immediate) {
                let keyText = try String.fetchOne(db, sql: "SELECT log_key FROM logs WHERE origin = ?", arguments: [origin])
                let (checkpoint, signed) = try check(try keyText.map { try NoteVerifierKey(parsing: $0) }, try Self.latest(db, origin: origin))
                let line = try cosigner.cosignature(for: signed, timestamp: timestamp)
                try db.execute(sql: "INSERT OR IGNORE INTO cosigned(origin, size, root, note, timestamp) VALUES (?, ?, ?, ?, ?)",
                               arguments: [origin, checkpoint.size, Data(checkpoint.root.bytes), String(decoding: note, as: UTF8.self), Int64(timestamp)])
                result = (line, signed)
                return .commit
            }
            guard let result else { throw StorageError.corrupt("the witness transaction committed without a cosignature") }
            return result
        }
    }
}
