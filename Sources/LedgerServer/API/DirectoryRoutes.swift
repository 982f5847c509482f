import Hummingbird
import LedgerCore
import LedgerQuery
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
            JSONBody.response(EntryJSON.signers(try backend.store.keyHistory(), logKey: backend.logKey))
        }
    }
}
