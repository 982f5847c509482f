import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `--witness VKEY ... --quorum K`: the audited checkpoint must carry at least K valid
/// cosignatures from the given witnesses, so a reader is not shown a history that no
/// independent witness checked (split-view protection).
public struct WitnessQuorum: Sendable {
    public let witnesses: [CosignerKey]
    public let quorum: Int

    public init(witnesses: [CosignerKey], quorum: Int) throws {
        guard quorum >= 1, quorum <= witnesses.count else {
            throw CosignatureError.malformed("--quorum must be between 1 and the number of --witness keys (\(witnesses.count))")
        }
        self.witnesses = witnesses
        self.quorum = quorum
    }

    /// Checks the cosignatures on `note` (the checkpoint of `size`, with its cosignature lines);
    /// returns the names of the witnesses whose cosignature verified.
    public func check(note: String, size: Int64) throws -> [String] {
        let at = FailureLocation.checkpoint(size: size)
        do {
            let found = try verifiedCosigners(of: try SignedNote.parse(note), among: witnesses)
            guard found.count >= quorum else { throw CosignatureError.quorumNotMet(required: quorum, found: found) }
            return found
        } catch let e as CosignatureError {
            throw IntegrityFailure(at, e.description)
        } catch {
            throw IntegrityFailure(at, "\(error)")
        }
    }

    /// Checks the ledger's stored cosignatures on its checkpoint of `size`.
    public func check(store: LedgerStore, size: Int64) throws -> [String] {
        guard let note = try store.cosignedCheckpoint(size: size) else {
            throw IntegrityFailure(.checkpoint(size: size), "no checkpoint of that size is stored")
        }
        return try check(note: note, size: size)
    }
}
