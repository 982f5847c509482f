import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `ledger get-cosignatures --witness URL --witness-key VKEY ...`: the log's side of C2SP
/// tlog-witness. Each witness gets the latest checkpoint with a consistency proof from the size it
/// last cosigned (known from the stored cosignatures; on 409 the witness says which, and the
/// request is sent once more from there), and its cosignature is stored. `ledger serve --witness`
/// runs this after each new checkpoint.
struct GetCosignaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: NetworkCommandInfo.getCosignatures.name,
        abstract: NetworkCommandInfo.getCosignatures.abstract,
        discussion: """
            Each --witness URL (its submission prefix) goes with the --witness-key at the same place. \
            Naming a key trusts it (as `ledger cosignature trust`). Witnesses are asked one after \
            another; one that refuses or cannot be reached does not stop the others. Exits 0 if every \
            witness cosigned, 1 if one refused (its status and message are printed), 2 if one could not \
            be reached.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A witness's submission prefix (POST PREFIX/add-checkpoint); repeat for each.")
    var witness: [String] = []

    @Option(help: "The witness's verifier key (name+keyid+base64), one per --witness, in the same order.")
    var witnessKey: [String] = []

    @Option(help: "Seconds to wait for each witness.")
    var timeout: Double = 10

    func run() throws {
        try runReportingErrors {
            guard !witness.isEmpty, witness.count == witnessKey.count else {
                throw CLIError.usage("give each --witness URL with its --witness-key VKEY (got \(witness.count) URLs and \(witnessKey.count) keys)")
            }
            let keys = try witnessKey.map(CosignerKey.parsingOption)
            let urls = try witness.map { text in
                guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
                      ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                    throw CLIError.usage("--witness must be an http:// or https:// URL, got '\(text)'")
                }
                return url
            }
            let store = try LedgerStore(path: global.ledger)
            for key in keys { try store.trustWitness(key) }
            let (size, note) = try store.latestCheckpointRow()
            var failures: [any Error] = []
            for (url, key) in zip(urls, keys) {
                do {
                    try cosign(size: size, note: note, at: url, key: key, store: store)
                    print("\(key.name): cosigned size \(size)")
                } catch {
                    printError("ledger: \(key.name) at \(url.absoluteString): \(error)")
                    failures.append(error)
                }
            }
            if !failures.isEmpty { throw ExitCode(failures.contains { FailureKind.of($0) == .local } ? 2 : 1) }
        }
    }

    /// One witness: from the size it last cosigned; a 409 names another, tried once more.
    private func cosign(size: Int64, note: String, at url: URL, key: CosignerKey, store: LedgerStore) throws {
        var old = min(try store.lastCosignedSize(witness: key.name) ?? 0, size)
        for attempt in 0..<2 {
            let proof = old == 0 || old == size ? [] : try store.consistencyDocument(oldSize: old, newSize: size).proof.hashes
            let request = AddCheckpointRequest(oldSize: old, proof: proof, note: Array(note.utf8))
            let (status, answer) = try HTTPPost.send(request.encoded, to: url.appendingPathComponent("add-checkpoint"), timeout: timeout, peer: "the witness")
            let body = answer.prefix(AddCheckpointRequest.maxBodyBytes)
            switch status {
            case 200:
                _ = try store.addCosignatures(Array((note + String(decoding: body, as: UTF8.self)).utf8))
                return
            case 409 where attempt == 0:
                guard let text = String(bytes: body, encoding: .utf8), let latest = Int64(text.trimmingCharacters(in: .newlines)),
                      latest >= 0, latest <= size, latest != old else {
                    throw CLIError.input("409 Conflict: the witness holds another tree at this size (a fork?): \(String(decoding: body, as: UTF8.self))")
                }
                old = latest
            default:
                throw CLIError.input("HTTP \(status): \(String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
    }
}
