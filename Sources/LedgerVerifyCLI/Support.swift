import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerVerifier

/// Loads the key the audit pins: a verifier-key string, or a file with one or with an SPKI PEM.
enum PinnedKey {
    static func load(_ source: String, defaultName: String, explicit: Bool) throws -> NoteVerifierKey {
        if let data = FileManager.default.contents(atPath: source) {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("-----BEGIN") {
                return try NoteVerifierKey(name: defaultName, publicKey: try Ed25519PublicKey(pem: [UInt8](data), what: source))
            }
            return try NoteVerifierKey(parsing: text)
        }
        guard explicit, source.contains("+") else {
            throw VerifyUsageError("no log key to pin: \(source) does not exist; pass --log-key with the log's verifier key (`ledger log-key`)")
        }
        return try NoteVerifierKey(parsing: source)
    }
}

extension PinnedKey {
    /// The key for the offline checks: a verifier-key string, or a file holding one. A PEM key
    /// has no name, and the name is the origin these checks pin, so it is refused.
    static func verifierKey(_ source: String) throws -> NoteVerifierKey {
        var text = source
        if let data = FileManager.default.contents(atPath: source) {
            text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } else if !source.contains("+") {
            throw VerifyUsageError("--log-key \(source): no such file, and not a verifier key (name+id+base64); pass `ledger log-key`'s output")
        }
        guard !text.hasPrefix("-----BEGIN") else {
            throw VerifyUsageError("--log-key \(source) is a PEM key; offline checks need the log's verifier key, which also pins its origin (`ledger log-key`)")
        }
        do { return try NoteVerifierKey(parsing: text) } catch { throw VerifyUsageError("--log-key: \(error)") }
    }
}

/// Reads a whole input file or fails with a usage/I-O error naming it.
func readInput(_ path: String, what: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw VerifyUsageError("cannot read \(what) \(path): no such file or not readable")
    }
    return [UInt8](data)
}

/// Prints a failure: one line on stderr, and any split-view evidence (both signed notes) on stdout.
func printFailure(_ prefix: String, _ failure: IntegrityFailure) {
    printError("FAILED: \(prefix)\(failure)")
    if let evidence = failure.evidence { print(evidence.text, terminator: "") }
}

struct VerifyUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

