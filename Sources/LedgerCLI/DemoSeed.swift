import Foundation
import LedgerAppend
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The demo set-up shared by `ledger demo` and the first run of `ledger serve`: create the
/// ledger and log key if missing, a registered `demo` signer, and every demo statement not yet in.
enum DemoSeed {
    /// Returns the ledger, opened for writing; `report` gets one line per step.
    static func load(_ global: GlobalOptions, statements: String, report: (String) -> Void) throws -> LedgerStore {
        // Checked before anything is created: a missing directory left a half-made ledger.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: statements, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.usage("no statements directory at \(statements); run from the repository (which ships ledger/statements) or pass --statements DIR")
        }
        if !FileManager.default.fileExists(atPath: global.ledger) {
            let store = try LedgerSetup.initialize(global, origin: LedgerSetup.defaultOrigin)
            report("created \(global.ledger) (origin \(store.origin))")
        }
        let (store, logKey) = try KeyFiles.openForWriting(global)
        let demoKey = try registeredKey("demo", global, store: store, logKey: logKey, report: report)

        try seedSources(store: store, logKey: logKey, demoKey: demoKey, statements: statements, report: report)
        // After the sources: each statement's quote is then checked against its archived page.
        let files = try listDirectory(statements).filter { $0.hasSuffix(".json") }.sorted()
        let submissions = try Submission.parseAll(try files.map { (EntryOrigin.file("\(statements)/\($0)"), try readFile("\(statements)/\($0)")) })
        let (fresh, skipped) = try AppendPrecheck.withoutReplays(submissions, in: store, skip: true)
        let pending = try fresh.map { try PendingEntry.sign($0.body, origin: $0.origin, signer: "demo", key: demoKey) }
        for (appended, item) in zip(try store.append(pending, logKey: logKey), fresh) {
            report("appended \(item.origin) as seq \(appended.seq)")
        }
        report("\(fresh.count) new, \(skipped) already in the ledger")
        try seedResponses(global, store: store, logKey: logKey, statements: statements, report: report)
        return store
    }

    /// The sources the statements quote (`../sources/*.txt`, listed in `../sources.json`),
    /// archived as transcribed pages signed by `demo`, each unless a page with its content is
    /// already in the ledger. One batch: one commit and one checkpoint.
    private static func seedSources(store: LedgerStore, logKey: Ed25519PrivateKey, demoKey: Ed25519PrivateKey,
                                    statements: String, report: (String) -> Void) throws {
        let dataset = (statements as NSString).deletingLastPathComponent
        let manifest = dataset + "/sources.json"
        guard FileManager.default.fileExists(atPath: manifest) else { return }
        let documents = try ShippedSources.documents(manifest: manifest, sources: dataset + "/sources")
        let archived = try store.archivedPageRows(contentSHA256s: documents.map { $0.document.contentSHA256 })
        let fresh = documents.filter { archived[$0.document.contentSHA256] == nil }
        guard !fresh.isEmpty else { return report("0 source pages new, \(documents.count) already in the ledger") }
        let pending = try fresh.map { item in
            let body: Body
            do { body = try Body(value: item.document.json) } catch { throw CLIError.input("\(item.origin): \(error)") }
            return try PendingEntry.sign(body, origin: item.origin, signer: "demo", key: demoKey)
        }
        let appended = try store.append(pending, logKey: logKey)
        report("archived \(appended.count) source pages (seq \(appended.first?.seq ?? 0)–\(appended.last?.seq ?? 0)), \(documents.count - fresh.count) already in the ledger")
    }

    /// The endorsements and disputes shipped beside the statements (`../responses/*.json`, docs/
    /// DATASET.md "Responses"): each names its target by statement file, since a seq and leaf
    /// hash exist only once the statement is in this ledger. Each is signed by its own signer
    /// (registered on first use, key under --keys), and appended unless that signer already
    /// responded to that statement.
    private static func seedResponses(_ global: GlobalOptions, store: LedgerStore, logKey: Ed25519PrivateKey,
                                      statements: String, report: (String) -> Void) throws {
        let dir = (statements as NSString).deletingLastPathComponent + "/responses"
        guard FileManager.default.fileExists(atPath: dir) else { return }
        for file in try listDirectory(dir).filter({ $0.hasSuffix(".json") }).sorted() {
            let label = "\(dir)/\(file)"
            guard case .object(let seed) = try JSONParser.parse(try readFile(label)),
                  case .string(let target)? = seed["target_statement"], case .string(let signer)? = seed["signer"], Slug.isValid(signer) else {
                throw CLIError.input("\(label): needs \"target_statement\" (a file in \(statements)) and \"signer\" (a signer name)")
            }
            let targetBody = try Body(parsing: try readFile("\(statements)/\(target)"))
            guard let seq = try store.existingStatements([targetBody.sha256])[targetBody.sha256],
                  let facts = try store.linkTarget(seq: seq, responder: signer) else {
                throw CLIError.input("\(label): its target \(target) is not in the ledger")
            }
            guard facts.earlierResponse == nil else { continue }
            var members: [String: JSONValue] = [
                "schema": .string(Response.schema),
                "target": .object(["seq": .integer(seq), "leaf_hash": .string(facts.leafHash.hex)]),
            ]
            for (key, value) in seed where key != "target_statement" && key != "signer" { members[key] = value }
            let submission = try Submission(value: .object(JSONObject(members)), origin: .file(label))
            let key = try registeredKey(signer, global, store: store, logKey: logKey, report: report)
            let appended = try store.append([try PendingEntry.sign(submission.body, origin: submission.origin, signer: signer, key: key)], logKey: logKey)
            report("appended \(label) as seq \(appended.first?.seq ?? -1): \(signer)'s \(Self.stance(seed)) of seq \(seq)")
        }
    }

    /// The response's stance as its file gives it (`dispute`, `endorsement`).
    private static func stance(_ seed: JSONObject) -> String {
        if case .string(let s)? = seed["stance"] { return s }
        return "response"
    }

    private static func listDirectory(_ path: String) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw CLIError.io("cannot read the statements directory \(path): \((error as NSError).localizedDescription)")
        }
    }

    /// keys/NAME.key, generated and registered as signer NAME on first use.
    private static func registeredKey(_ name: String, _ global: GlobalOptions, store: LedgerStore, logKey: Ed25519PrivateKey,
                                      report: (String) -> Void) throws -> Ed25519PrivateKey {
        let path = "\(global.keys)/\(name).key"
        let key = FileManager.default.fileExists(atPath: path) ? try KeyFiles.readPrivate(path) : try KeyFiles.generate(dir: global.keys, name: name)
        let history = try store.keyHistory()
        if history.signerName(for: key.publicKey) == nil {
            let body = try Body(value: SignerEvent(action: .add, name: name, publicKey: key.publicKey.raw).json)
            try store.append([try PendingEntry.sign(body, origin: .generated("register \(name) signer"), signer: SignerName.log, key: logKey)], logKey: logKey)
            report("registered signer \(name): \(try NoteVerifierKey(name: name, publicKey: key.publicKey).text)")
        }
        return key
    }
}
