import ArgumentParser
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// `ledger-verify`: audits a ledger file. Exit 0 clean, 1 integrity failure, 2 usage or I/O error.
@main
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-verify",
        abstract: "Audit a disclosure ledger: every seq, chain link, leaf hash, signature, Merkle hash and checkpoint.",
        discussion: "Exit status: 0 clean, 1 integrity failure (the first bad seq or checkpoint is named), 2 usage or I/O error.")

    @Option(help: "The ledger database.")
    var ledger = "ledger/ledger.sqlite"

    @Option(help: "The key directory; its log.pub is the default pinned log key.")
    var keys = "keys"

    @Option(name: .customLong("log-key"), help: "The log key to pin: a C2SP verifier key (name+id+base64), or a file holding one or an SPKI PEM.")
    var logKey: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("witness"), help: "A witness key (name+id+base64(0x04 || key)) whose cosignature counts toward --quorum; repeat for more.")
    var witnesses: [String] = []

    @Option(help: "How many of the --witness keys must have cosigned the latest checkpoint (default: all of them).")
    var quorum: Int?

    @Option(name: .customLong("tsa-cert"), help: "A PEM certificate of a trusted time-stamping authority (or its CA): every stored RFC 3161 token must verify under it.")
    var tsaCert: String?

    static func main() {
        do {
            var command = try parse()
            Foundation.exit(command.audit())
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }

    mutating func audit() -> Int32 {
        let store: LedgerStore
        let pinned: NoteVerifierKey
        var witnessQuorum: WitnessQuorum?
        var tsaCertificate: [UInt8]?
        do {
            store = try LedgerStore(path: ledger, readonly: true)
            pinned = try PinnedKey.load(logKey ?? "\(keys)/log.pub", defaultName: store.origin, explicit: logKey != nil)
            if !witnesses.isEmpty || quorum != nil {
                let keys = try witnesses.map { try CosignerKey(parsing: $0) }
                witnessQuorum = try WitnessQuorum(witnesses: keys, quorum: quorum ?? keys.count)
            }
            if let tsaCert {
                guard let data = FileManager.default.contents(atPath: tsaCert) else { throw VerifyUsageError("cannot read --tsa-cert \(tsaCert)") }
                try TimestampToken.checkCertificate([UInt8](data))
                tsaCertificate = [UInt8](data)
            }
        } catch {
            return report(.usage("\(error)"))
        }
        let progress = isatty(STDERR_FILENO) == 1 && !json ? ProgressLine() : nil
        do {
            let result = try LedgerAudit(store: store, logKey: pinned).run { done, total in progress?.show(done, total) }
            progress?.clear()
            // Attestations by others, checked once the log itself is known good.
            let cosigners = try witnessQuorum?.check(store: store, size: result.size) ?? []
            let stamps = try tsaCertificate.map { try TimestampAudit.check(store: store, caCertificatePEM: $0) } ?? []
            return report(.clean(result, cosigners: cosigners, timestamps: stamps))
        } catch let failure as IntegrityFailure {
            progress?.clear()
            return report(.failed(failure))
        } catch {
            progress?.clear()
            return report(.usage("cannot read \(ledger): \(error)"))
        }
    }

    enum Outcome {
        case clean(VerificationReport, cosigners: [String], timestamps: [(size: Int64, time: String)])
        case failed(IntegrityFailure)
        case usage(String)
    }

    func report(_ outcome: Outcome) -> Int32 {
        switch outcome {
        case .clean(let r, let cosigners, let stamps):
            if json {
                print(CanonicalJSON.string(.object([
                    "status": .string("ok"), "ledger": .string(ledger), "origin": .string(r.origin), "size": .integer(r.size),
                    "root": .string(r.root.base64), "checkpoints": .integer(Int64(r.checkpointsChecked)),
                    "withheld": .array(r.withheld.map { .integer($0) }), "signers": .array(r.signers.map { .string($0) }),
                    "cosigned_by": .array(cosigners.map { .string($0) }),
                    "timestamps": .array(stamps.map { .object(["size": .integer($0.size), "time": .string($0.time)]) }),
                ])))
            } else {
                print("ok: \(ledger): \(r.size) entries, \(r.checkpointsChecked) checkpoints, root \(r.root.base64)")
                if !r.withheld.isEmpty { print("withheld bodies (signed notices): seq \(r.withheld.map(String.init).joined(separator: ", "))") }
                if !cosigners.isEmpty { print("cosigned by: \(cosigners.joined(separator: ", "))") }
                for stamp in stamps { print("checkpoint \(stamp.size) time-stamped at \(stamp.time)") }
            }
            return 0
        case .failed(let f):
            if json {
                var fields: [String: JSONValue] = ["status": .string("failed"), "ledger": .string(ledger), "reason": .string(f.reason),
                                                   "location": .string(f.location.description)]
                if case .entry(let seq) = f.location { fields["seq"] = .integer(seq) }
                if case .checkpoint(let size) = f.location { fields["checkpoint_size"] = .integer(size) }
                print(CanonicalJSON.string(.object(JSONObject(fields))))
            } else {
                printError("FAILED: \(ledger): \(f)")
            }
            return 1
        case .usage(let message):
            if json {
                print(CanonicalJSON.string(.object(["status": .string("error"), "ledger": .string(ledger), "reason": .string(message)])))
            } else {
                printError("ledger-verify: \(message)")
            }
            return 2
        }
    }
}

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

struct VerifyUsageError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A progress line on the terminal, redrawn at most ten times a second.
final class ProgressLine {
    private var last = Date.distantPast

    func show(_ done: Int64, _ total: Int64) {
        guard Date().timeIntervalSince(last) > 0.1 || done == total else { return }
        last = Date()
        let pct = total > 0 ? Int(done * 100 / total) : 100
        printError("\rverifying: \(done)/\(total) entries (\(pct)%)", newline: false)
    }

    func clear() { printError("\r\u{1B}[K", newline: false) }
}

func printError(_ message: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((message + (newline ? "\n" : "")).utf8))
}
