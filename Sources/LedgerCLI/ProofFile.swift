import Foundation
import LedgerCore
import LedgerCrypto

/// Reads proof files written by `ledger prove` (format in docs/FORMAT.md).
enum ProofFile {
    static func readConsistency(_ path: String) throws -> ConsistencyProof {
        let value: JSONValue
        do { value = try JSONParser.parse(try readFile(path)) } catch let e as JSONError { throw CLIError.input("\(path): \(e)") }
        guard case .integer(let old)? = value["old_size"], case .integer(let new)? = value["new_size"],
              case .array(let items)? = value["hashes"] else {
            throw CLIError.input("\(path): not a consistency proof (needs old_size, new_size and hashes)")
        }
        let hashes = try items.map { item -> Digest in
            guard case .string(let text) = item, let bytes = Base64.decode(text), let digest = Digest(bytes: bytes) else {
                throw CLIError.input("\(path): hashes must be base64 SHA-256 hashes")
            }
            return digest
        }
        return ConsistencyProof(oldSize: old, newSize: new, hashes: hashes)
    }
}
