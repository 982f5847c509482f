import LedgerCore
import LedgerCrypto
import LedgerStorage

/// The JSON forms of entries and signers (docs/API.md): `GET /v1/entries…` and `ledger show
/// --json`, `ledger list --json`; `GET /v1/signers` and `ledger signer list --json`.
public enum EntryJSON {
    /// One entry: its exact leaf, leaf hash, the leaf's members, query columns and its body.
    public static func entry(_ e: StoredEntry) -> JSONValue {
        var members: [String: JSONValue] = [
            "seq": .integer(e.seq),
            "leaf": .string(String(decoding: e.leaf, as: UTF8.self)),
            "leaf_hash": .string(MerkleHash.leaf(e.leaf).hex),
            "kind": .string(e.kind),
            "signer": .string(e.signer),
            "time": .string(e.time),
            "body_sha256": .string(Hex.encode(e.bodySHA256)),
            "withheld": .bool(e.body == nil),
            "body": e.body.flatMap { try? JSONParser.parse($0) } ?? .null,
        ]
        if let p = e.platform { members["platform"] = .string(p) }
        if let c = e.category { members["category"] = .string(c) }
        if let d = e.effectiveDate { members["effective_date"] = .string(d) }
        return .object(members)
    }

    /// The log key and the signers allowed to sign now, each with its C2SP verifier key and PEM.
    public static func signers(_ history: KeyHistory, logKey: NoteVerifierKey) -> JSONValue {
        let signers = history.activeSigners.map { s -> JSONValue in
            .object([
                "name": .string(s.name),
                "verifier_key": .string((try? NoteVerifierKey(name: s.name, publicKey: s.key).text) ?? ""),
                "public_key_pem": .string((try? s.key.pem()) ?? ""),
            ])
        }
        return .object([
            "log_key": .string(logKey.text),
            "log_public_key_pem": .string((try? logKey.publicKey.pem()) ?? ""),
            "signers": .array(signers),
        ])
    }
}
