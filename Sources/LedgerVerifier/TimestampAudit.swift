import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `--tsa-cert CERT.pem`: every stored RFC 3161 token must be a granted token over SHA-256 of
/// its checkpoint's note, signed by a time-stamping certificate that chains to CERT.
public enum TimestampAudit {
    /// Returns (checkpoint size, TSA time) per token, or throws the first bad one.
    public static func check(store: LedgerStore, caCertificatePEM: [UInt8]) throws -> [(size: Int64, time: String)] {
        try store.timestamps().map { stamp in
            let at = FailureLocation.checkpoint(size: stamp.size)
            guard !stamp.note.isEmpty else { throw IntegrityFailure(at, "a time-stamp token is stored for a checkpoint that does not exist") }
            do {
                let granted = try TimestampToken.verify(reply: stamp.reply, digest: SHA256.hash(Array(stamp.note.utf8)),
                                                        caCertificatePEM: caCertificatePEM)
                return (stamp.size, granted.time)
            } catch let e as TimestampError {
                if e == .badCertificate { throw e }
                throw IntegrityFailure(at, "time-stamp token from \(stamp.tsa): \(e)")
            }
        }
    }
}
