import Hummingbird
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `GET /v1/platforms` and `GET /v1/signers`: what the ledger covers and who may sign.
struct DirectoryRoutes<Context: RequestContext> {
    let backend: LedgerBackend

    func register(on router: Router<Context>) {
        router.get("/v1/platforms") { _, _ in
            let platforms = try backend.store.platformSummaries().map { p -> JSONValue in
                .object([
                    "platform": .string(p.platform), "statements": .integer(p.statements),
                    "categories": .array(p.categories.map(JSONValue.string)), "latest_seq": .integer(p.latestSeq),
                ])
            }
            return JSONBody.response(.object(["platforms": .array(platforms)]))
        }
        router.get("/v1/signers") { _, _ in
            let signers = try backend.store.keyHistory().activeSigners.map { s -> JSONValue in
                .object([
                    "name": .string(s.name),
                    "verifier_key": .string((try? NoteVerifierKey(name: s.name, publicKey: s.key).text) ?? ""),
                    "public_key_pem": .string((try? s.key.pem()) ?? ""),
                ])
            }
            return JSONBody.response(.object([
                "log_key": .string(backend.logKey.text),
                "log_public_key_pem": .string((try? backend.logKey.publicKey.pem()) ?? ""),
                "signers": .array(signers),
            ]))
        }
    }
}
