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
        try queue.writeWithoutTransaction { db in
            var result = ""
            try db.inTransaction(.immediate) {
                let signed: SignedNote, checkpoint: Checkpoint
                do {
                    signed = try SignedNote.parse(request.note)
                    checkpoint = try Checkpoint.parse(text: signed.text)
                } catch { throw AddCheckpointError.malformed("the checkpoint: \(error)") }
                guard let keyText = try String.fetchOne(db, sql: "SELECT log_key FROM logs WHERE origin = ?", arguments: [checkpoint.origin]) else {
                    throw AddCheckpointError.unknownOrigin(checkpoint.origin)
                }
                do { _ = try Checkpoint.open(request.note, logKey: try NoteVerifierKey(parsing: keyText)) } catch {
                    throw AddCheckpointError.notSigned(origin: checkpoint.origin)
                }
                try WitnessPolicy.checkAddCheckpoint(checkpoint, oldSize: request.oldSize, proof: request.proof,
                                                     after: try Self.latest(db, origin: checkpoint.origin))
                let line = try cosigner.cosignature(for: signed, timestamp: timestamp)
                try db.execute(sql: "INSERT OR IGNORE INTO cosigned(origin, size, root, note, timestamp) VALUES (?, ?, ?, ?, ?)",
                               arguments: [checkpoint.origin, checkpoint.size, Data(checkpoint.root.bytes),
                                           String(decoding: request.note, as: UTF8.self), Int64(timestamp)])
                result = line.line
                return .commit
            }
            return result
        }
    }
}
