import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerVerifier

/// `ledger-verify [audit]`: audits a ledger file, in full or from a saved state, optionally
/// checking that it contains checkpoints seen before. Exit 0 clean, 1 integrity failure, 2 usage or I/O.
struct AuditCommand: ParsableCommand, VerifySubcommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a ledger (the default): every seq, chain link, leaf hash, signature, Merkle hash and checkpoint.",
        discussion: """
            With --state FILE, the audit resumes after the checkpoint FILE records (once the ledger is shown to \
            still hold that tree) and then saves the new latest checkpoint there: an incremental audit reads only \
            new entries. With --checkpoint FILE, the ledger's tree must contain that signed checkpoint; a different \
            root at its size, or a ledger behind it, fails with both signed notes printed as evidence.
            Exit status: 0 clean, 1 integrity failure (the first bad seq or checkpoint is named), 2 usage or I/O error.
            """)

    @Option(help: "The ledger database (default: ledger/ledger.sqlite). With --url, the local copy, kept so the next run copies only new entries (default: a temporary file).")
    var ledger: String?

    @Option(help: "Audit the ledger at this URL: a `ledger serve`, or a directory `ledger publish` wrote, served by any web server. Needs --log-key.")
    var url: String?

    /// The ledger file audited.
    var ledgerPath: String { ledger ?? "ledger/ledger.sqlite" }
    /// What the report names: the URL, or the file.
    var subject: String { url ?? ledgerPath }

    @Option(help: "The key directory; its log.pub is the default pinned log key.")
    var keys = "keys"

    @Option(name: .customLong("log-key"), help: "The log key to pin: a C2SP verifier key (name+id+base64), or a file holding one or an SPKI PEM.")
    var logKey: String?

    @Option(help: "A signed checkpoint the ledger must contain (repeatable).")
    var checkpoint: [String] = []

    @Option(help: "An audit state file (disclosure-audit-state/v1): resume from it if it exists, then save the new state.")
    var state: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .customLong("witness"), help: "A witness key (name+id+base64(0x04 || key)) whose cosignature counts toward --quorum; repeat for more.")
    var witnesses: [String] = []

    @Option(help: "How many of the --witness keys must have cosigned the latest checkpoint (default: all of them).")
    var quorum: Int?

    @Option(name: .customLong("tsa-cert"), help: "A PEM certificate of a trusted time-stamping authority (or its CA): every stored RFC 3161 token must verify under it.")
    var tsaCert: String?

    mutating func run() throws { throw ExitCode(execute()) }

    mutating func execute() -> Int32 {
        guard let url else { return audit(path: ledgerPath) }
        guard let logKey else { return report(.usage("--url needs --log-key, the log's verifier key as `ledger log-key` prints it at the source")) }
        let copy: RemoteCopy
        do { copy = try RemoteCopy(url: url, ledger: ledger) } catch { return report(.usage("\(error)")) }
        defer { copy.remove() }
        switch copy.fetch(logKey: logKey, witnesses: witnesses) {
        case .copied: return audit(path: copy.path, resumingFromTheCopy: state == nil)
        case .refused(let reason): return report(.failed(IntegrityFailure(.ledger, reason)))
        case .failed(let reason): return report(.usage(reason))
        }
    }

    /// The audit of the ledger file at `path`; a mirror's copy (`resumingFromTheCopy`) resumes
    /// from the state its last verified batch stored.
    mutating func audit(path ledger: String, resumingFromTheCopy: Bool = false) -> Int32 {
        let store: LedgerStore
        let pinned: NoteVerifierKey
        var resume: AuditResumeState?
        var given: [(label: String, note: [UInt8])] = []
        var witnessQuorum: WitnessQuorum?
        var tsaCertificate: [UInt8]?
        do {
            do { store = try LedgerStore(path: ledger, readonly: true) } catch let e as KindedError where e.kind == .integrity && logKey != nil {
                // With the key pinned on the command line, a damaged meta table is the ledger's fault.
                return report(.failed(IntegrityFailure(.ledger, "\(e)")))
            }
            pinned = try PinnedKey.load(logKey ?? "\(keys)/log.pub", defaultName: store.origin, explicit: logKey != nil)
            given = try checkpoint.map { ("--checkpoint \($0)", try readInput($0, what: "checkpoint")) }
            if !witnesses.isEmpty || quorum != nil {
                let keys = try witnesses.map { try CosignerKey(parsing: $0) }
                witnessQuorum = try WitnessQuorum(witnesses: keys, quorum: quorum ?? keys.count)
            }
            if let tsaCert {
                let pem = try readInput(tsaCert, what: "--tsa-cert")
                try TimestampToken.checkCertificate(pem)
                tsaCertificate = pem
            }
            if let state, FileManager.default.fileExists(atPath: state) {
                do { resume = try AuditResumeState(parsing: try readInput(state, what: "state file")) } catch let e as VerifyUsageError {
                    throw e
                } catch {
                    throw VerifyUsageError("the state file \(state) cannot be used: \(error)")
                }
            }
            if resumingFromTheCopy { resume = try RemoteCopy.verifiedState(of: store) }
        } catch {
            return report(.usage("\(error)"))
        }
        let progress = json ? nil : ProgressLine(verb: "verifying", noun: "entries")
        do {
            let audit = LedgerAudit(store: store, logKey: pinned)
            let result = try audit.run(resume: resume, resumeLabel: resumingFromTheCopy ? "the copy's last verified batch" : "--state \(state ?? "")", given: given) { done, total in
                progress?.show(done, total)
            }
            progress?.clear()
            // Attestations by others, checked once the log itself is known good.
            let cosigners = try witnessQuorum?.check(store: store, size: result.size) ?? []
            let stamps = try tsaCertificate.map { try TimestampAudit.check(store: store, caCertificatePEM: $0) } ?? []
            if let state { try save(result.resumeState, to: state) }
            return report(.clean(result, cosigners: cosigners, timestamps: stamps))
        } catch let failure as IntegrityFailure {
            progress?.clear()
            return report(.failed(failure))
        } catch let e as KindedError where e.kind == .integrity {
            // A stored value that cannot be read as what the format says it is.
            progress?.clear()
            return report(.failed(IntegrityFailure(.ledger, "\(e)")))
        } catch let e as AuditResumeError {
            progress?.clear()
            return report(.usage("\(e)"))
        } catch {
            progress?.clear()
            return report(.usage("cannot read \(ledger): \(error)"))
        }
    }

    /// Replaces the state file through a temporary file and a rename: a crash leaves the old state or the new one.
    func save(_ resume: AuditResumeState, to path: String) throws {
        let temp = path + ".tmp.\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(resume.encoded)) else {
            throw VerifyUsageError("cannot write the state file \(temp)")
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            throw VerifyUsageError("cannot replace the state file \(path): \(String(cString: strerror(errno)))")
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
                var fields: [String: JSONValue] = [
                    "status": .string("ok"), "ledger": .string(subject), "origin": .string(r.origin), "size": .integer(r.size),
                    "root": .string(r.root.base64), "checkpoints": .integer(Int64(r.checkpointsChecked)),
                    "withheld": .array(r.withheld.map { .integer($0) }), "signers": .array(r.signers.map { .string($0) }),
                ]
                if state != nil {
                    fields["entries_checked"] = .integer(r.entriesChecked)
                    if let from = r.resumedFrom { fields["resumed_from"] = .integer(from) }
                }
                if !witnesses.isEmpty { fields["cosigned_by"] = .array(cosigners.map { .string($0) }) }
                if tsaCert != nil { fields["timestamps"] = .array(stamps.map { .object(["size": .integer($0.size), "time": .string($0.time)]) }) }
                if !r.containsGiven.isEmpty {
                    fields["contains"] = .array(r.containsGiven.map { .object(["size": .integer($0.size), "root": .string($0.root.base64)]) })
                }
                print(CanonicalJSON.string(.object(JSONObject(fields))))
            } else {
                // A copy's checkpoints were checked batch by batch as `ledger mirror` copied it.
                let checked = url == nil || r.resumedFrom == nil ? "\(r.checkpointsChecked) checkpoints" : "audited batch by batch as copied"
                print("ok: \(subject): \(r.size) entries, \(checked), root \(r.root.base64)")
                if !r.withheld.isEmpty { print("withheld bodies (signed notices): seq \(r.withheld.map(String.init).joined(separator: ", "))") }
                if let state {
                    let from = r.resumedFrom.map { "resumed at size \($0) from \(state)" } ?? "no previous state in \(state)"
                    print("incremental: \(from); checked \(r.entriesChecked) entries; saved the checkpoint at size \(r.size)")
                }
                for c in r.containsGiven { print("contains the given checkpoint of size \(c.size), root \(c.root.base64)") }
                if !cosigners.isEmpty { print("cosigned by: \(cosigners.joined(separator: ", "))") }
                for stamp in stamps { print("checkpoint \(stamp.size) time-stamped at \(TimestampToken.readableTime(stamp.time))") }
            }
            return 0
        case .failed(let f):
            if json {
                var fields: [String: JSONValue] = ["status": .string("failed"), "ledger": .string(subject), "reason": .string(f.reason),
                                                   "location": .string(f.location.description)]
                if case .entry(let seq) = f.location { fields["seq"] = .integer(seq) }
                if case .checkpoint(let size) = f.location { fields["checkpoint_size"] = .integer(size) }
                if let e = f.evidence { fields["evidence"] = .array(e.notes.map { .string($0) }) }
                print(CanonicalJSON.string(.object(JSONObject(fields))))
            } else {
                printFailure("\(subject): ", f)
            }
            return 1
        case .usage(let message):
            if json {
                print(CanonicalJSON.string(.object(["status": .string("error"), "ledger": .string(subject), "reason": .string(message)])))
            } else {
                printError("ledger-verify: \(message)")
            }
            return 2
        }
    }
}
