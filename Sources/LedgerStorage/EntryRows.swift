import GRDB
import LedgerCore
import LedgerCrypto

/// The inserts every append makes (`entries`, `bodies`, `hashes`), bound with SQLite's C API
/// (`RawStatement`): building GRDB `StatementArguments` for three inserts an entry cost about a
/// tenth of a mirror's writing thread. Made once per transaction.
struct EntryRows {
    private let entry: RawStatement
    private let body: RawStatement
    private let hash: RawStatement

    init(_ db: Database) throws {
        entry = try RawStatement(db, """
            INSERT INTO entries(seq, leaf, kind, signer, body_sha256, time, platform, category, effective_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        body = try RawStatement(db, "INSERT INTO bodies(seq, body) VALUES (?, ?)")
        hash = try RawStatement(db, "INSERT INTO hashes(id, hash) VALUES (?, ?)")
    }

    func insertEntry(seq: Int64, leaf: [UInt8], kind: String, signer: String, bodySHA256: Digest, time: String,
                     platform: String?, category: String?, effectiveDate: String?) throws {
        entry.bind(1, seq)
        entry.bind(2, text: leaf)
        entry.bind(3, text: kind)
        entry.bind(4, text: signer)
        entry.bind(5, blob: bodySHA256.bytes)
        entry.bind(6, text: time)
        entry.bind(7, text: platform)
        entry.bind(8, text: category)
        entry.bind(9, text: effectiveDate)
        try entry.execute()
    }

    func insertBody(seq: Int64, canonical: [UInt8]) throws {
        body.bind(1, seq)
        body.bind(2, text: canonical)
        try body.execute()
    }

    func insertHash(id: Int64, _ digest: Digest) throws {
        hash.bind(1, id)
        hash.bind(2, blob: digest.bytes)
        try hash.execute()
    }
}
