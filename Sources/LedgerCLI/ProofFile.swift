import Foundation
import LedgerCommandSupport
import LedgerCore

/// Reads proof files written by `ledger prove` (`disclosure-proof/v1`, docs/FORMAT.md §16).
enum ProofFile {
    /// A consistency proof, which must be for the log `origin`.
    static func readConsistency(_ path: String, origin: String) throws -> ConsistencyProof {
        let document: ConsistencyProofDocument
        do { document = try ConsistencyProofDocument(parsing: try readFile(path)) } catch let e as CLIError { throw e } catch {
            throw CLIError.input("\(path): \(error)")
        }
        guard document.origin == origin else {
            throw CLIError.input("\(path) is a proof for log '\(document.origin)', not '\(origin)'")
        }
        return document.proof
    }
}
