import Foundation
import GRDB
import LedgerCore
import LedgerCrypto

/// The ledger's SQLite schema. Tables are append-only: triggers refuse UPDATE and DELETE, except
/// that a body may be deleted once a signed withhold notice for it is recorded. The whole file
/// stays readable with the `sqlite3` CLI (see docs/FORMAT.md, "SQLite layout").
enum Schema {
    static let formatVersion = "disclosure-ledger-sqlite/1"

    /// A statement body appears once: replays are refused.
    static let statementBodyIndex = "CREATE UNIQUE INDEX entries_statement_body ON entries(body_sha256) WHERE kind = 'statement'"
    /// `compare`, `history` and `list --platform` read through it.
    static let platformIndex = "CREATE INDEX entries_platform ON entries(platform, category, effective_date) WHERE platform IS NOT NULL"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (
                    key   TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                -- One row per entry. `leaf` is the exact RFC 9162 leaf (canonical JSON); the other
                -- columns repeat what the leaf and body say, for queries, and are checked by ledger-verify.
                CREATE TABLE entries (
                    seq            INTEGER PRIMARY KEY NOT NULL,
                    leaf           TEXT NOT NULL,
                    kind           TEXT NOT NULL,
                    signer         TEXT NOT NULL,
                    body_sha256    BLOB NOT NULL,
                    time           TEXT NOT NULL,
                    platform       TEXT,
                    category       TEXT,
                    effective_date TEXT
                );
                \(statementBodyIndex);
                CREATE INDEX entries_log_kinds ON entries(kind, seq) WHERE kind <> 'statement';
                \(platformIndex);
                -- Each entry's canonical body, by the entry's seq (appends stay sequential B-tree inserts).
                CREATE TABLE bodies (
                    seq  INTEGER PRIMARY KEY NOT NULL,
                    body TEXT NOT NULL
                );
                -- Every complete Merkle subtree hash, at its StoredHashIndex position (id).
                CREATE TABLE hashes (
                    id   INTEGER PRIMARY KEY NOT NULL,
                    hash BLOB NOT NULL
                );
                -- The signed checkpoint (C2SP signed note) written by each append transaction.
                CREATE TABLE checkpoints (
                    size INTEGER PRIMARY KEY NOT NULL,
                    note TEXT NOT NULL
                );
                -- Bodies withheld by a notice entry: the entry's seq, its body digest, the notice's seq.
                CREATE TABLE withheld (
                    seq        INTEGER PRIMARY KEY NOT NULL,
                    sha256     BLOB NOT NULL,
                    notice_seq INTEGER NOT NULL
                );
                """)
            try appendOnly(db, ["meta", "entries", "hashes", "checkpoints", "withheld"])
            try db.execute(sql: """
                CREATE TRIGGER bodies_no_update BEFORE UPDATE ON bodies
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: bodies are append-only'); END;
                CREATE TRIGGER bodies_delete_only_withheld BEFORE DELETE ON bodies
                WHEN NOT EXISTS (SELECT 1 FROM withheld WHERE seq = OLD.seq)
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: a body is removed only by a withhold notice'); END;
                """)
        }
        // v2: corrections and responses as rows the comparison queries can join on, and the
        // statements that claim "nothing handed over". Both repeat what signed bodies say and
        // are checked by ledger-verify; existing ledgers are filled from their bodies.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                -- One row per entry that points at an earlier statement: a correction (amendment,
                -- retraction) or a response (endorsement, dispute), and who signed it.
                CREATE TABLE links (
                    seq    INTEGER PRIMARY KEY NOT NULL,
                    target INTEGER NOT NULL,
                    kind   TEXT NOT NULL,
                    signer TEXT NOT NULL
                );
                -- A statement is superseded at most once (corrections form a chain, never a fork),
                -- and a signer responds to a statement at most once.
                CREATE UNIQUE INDEX links_supersede ON links(target) WHERE kind IN ('amendment', 'retraction');
                CREATE UNIQUE INDEX links_response ON links(target, signer) WHERE kind IN ('endorsement', 'dispute');
                CREATE INDEX links_target ON links(target, kind);
                -- Statements with a zero quantity of a disclosure unit ("0 bytes disclosed"), and
                -- whom those zeros are about (Statement.zeroDisclosureScopes).
                CREATE TABLE zero_claims (
                    seq            INTEGER PRIMARY KEY NOT NULL,
                    platform       TEXT NOT NULL,
                    effective_date TEXT NOT NULL,
                    scopes         TEXT NOT NULL
                );
                CREATE INDEX zero_claims_platform ON zero_claims(platform, effective_date);
                -- `ledger list --signer`.
                CREATE INDEX entries_signer ON entries(signer, seq);
                """)
            try appendOnly(db, ["links", "zero_claims"])
            try fillDerivedRows(db, kinds: ["statement", "response"])
        }
        // Witness cosignatures on the log's checkpoints (C2SP tlog-cosignature). New ledgers get
        // it at creation, older ones when first opened for writing (as every migration).
        migrator.registerMigration("v3-cosignatures") { db in
            try db.execute(sql: """
                -- The witnesses whose cosignatures this log accepts: name and C2SP witness key.
                CREATE TABLE witnesses (
                    name        TEXT PRIMARY KEY NOT NULL,
                    witness_key TEXT NOT NULL
                );
                -- One verified cosignature line per (checkpoint size, witness).
                CREATE TABLE cosignatures (
                    size    INTEGER NOT NULL,
                    witness TEXT NOT NULL,
                    line    TEXT NOT NULL,
                    PRIMARY KEY (size, witness)
                ) WITHOUT ROWID;
                """)
            try appendOnly(db, ["witnesses", "cosignatures"])
        }
        // RFC 3161 time-stamp replies over stored checkpoints (`ledger timestamp`).
        migrator.registerMigration("v4-timestamps") { db in
            try db.execute(sql: """
                -- One TimeStampResp (DER) per checkpoint size; its imprint is SHA-256 of that checkpoint's note.
                CREATE TABLE timestamps (
                    size  INTEGER PRIMARY KEY NOT NULL,
                    tsa   TEXT NOT NULL,
                    reply BLOB NOT NULL
                );
                """)
            try appendOnly(db, ["timestamps"])
        }
        // Mirrors (`ledger mirror`): where each verified batch ended, with the audit state to
        // resume from, and the evidence of every refusal (fork, rollback, bad signature...).
        migrator.registerMigration("v5-mirror") { db in
            try db.execute(sql: """
                -- One row per committed mirror batch: the size reached, the source, and the
                -- disclosure-audit-state/v1 document of the audit that ended there.
                CREATE TABLE mirror_state (
                    size        INTEGER PRIMARY KEY NOT NULL,
                    source      TEXT NOT NULL,
                    audit_state TEXT NOT NULL,
                    time        TEXT NOT NULL
                );
                -- What a mirror refused and why, with the signed notes and proof that show it.
                CREATE TABLE mirror_evidence (
                    id          INTEGER PRIMARY KEY NOT NULL,
                    time        TEXT NOT NULL,
                    source      TEXT NOT NULL,
                    kind        TEXT NOT NULL,
                    detail      TEXT NOT NULL,
                    local_note  TEXT,
                    remote_note TEXT,
                    proof       TEXT
                );
                """)
            try appendOnly(db, ["mirror_state", "mirror_evidence"])
        }
        // Archived pages (revision 4): one row per document entry, derived from its signed body
        // and checked by the audit, so a page is found by its content's digest or its platform
        // without parsing megabytes of bodies.
        migrator.registerMigration("v6-documents") { db in
            try db.execute(sql: """
                CREATE TABLE documents (
                    seq            INTEGER PRIMARY KEY NOT NULL,
                    platform       TEXT NOT NULL,
                    document_type  TEXT NOT NULL,
                    url            TEXT NOT NULL,
                    retrieved_at   TEXT NOT NULL,
                    content_sha256 BLOB NOT NULL CHECK (length(content_sha256) = 32)
                );
                CREATE INDEX documents_content ON documents(content_sha256);
                CREATE INDEX documents_platform ON documents(platform, url, retrieved_at);
                """)
            try appendOnly(db, ["documents"])
            try fillDerivedRows(db, kinds: ["document"])
        }
        // The addresses `ledger track run` fetches (revision 4). Configuration, not evidence:
        // nothing derives from it, and an address may be added and removed.
        migrator.registerMigration("v7-tracking") { db in
            try db.execute(sql: """
                CREATE TABLE tracked_pages (
                    url           TEXT PRIMARY KEY NOT NULL,
                    platform      TEXT NOT NULL,
                    document_type TEXT NOT NULL,
                    added_at      TEXT NOT NULL
                );
                """)
        }
        // Transcribed pages (revision 5): an editor's text from an archived copy is not a
        // version of the page, so tracking and stale-quote marks find fetched pages by this
        // column. Every page before revision 5 was fetched: the default is the truth for them.
        migrator.registerMigration("v8-document-capture") { db in
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN capture TEXT NOT NULL DEFAULT 'fetched' CHECK (capture IN ('fetched', 'transcribed'));
                DROP INDEX documents_platform;
                CREATE INDEX documents_platform ON documents(platform, url, capture, retrieved_at);
                """)
        }
        // Full-text search over statements (revision 5): derived from the bodies, checked by the
        // audit. A virtual table takes no triggers; the audit is what holds it to the bodies.
        migrator.registerMigration("v9-search") { db in
            try db.execute(sql: SearchIndex.create)
            try SearchIndex.fill(db)
        }
        // Whom each statement says got data (revision 5): derived from the bodies, removed with a
        // withheld body, checked by the audit.
        migrator.registerMigration("v10-disclosures") { db in
            try db.execute(sql: DisclosureIndex.create)
            try DisclosureIndex.fill(db)
        }
        return migrator
    }

    /// Triggers that refuse UPDATE and DELETE on each of `tables`.
    /// Fills new derived tables from the stored bodies of `kinds`, in seq order (`INSERT OR
    /// IGNORE`: a row already there, or a body that no longer parses, is left as it is for the
    /// audit to judge).
    static func fillDerivedRows(_ db: Database, kinds: [String]) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT e.seq, e.signer, b.body FROM entries e JOIN bodies b ON b.seq = e.seq
            WHERE e.kind IN (\(kinds.map { "'\($0)'" }.joined(separator: ", "))) ORDER BY e.seq
            """)
        while let row = try rows.next() {
            guard let body = try? Body(stored: Array((try row.column(2) as String).utf8)) else { continue }
            try DerivedRows.insert(db, seq: try row.column(0), signer: try row.column(1), body: body, orIgnore: true, laterTables: false)
        }
    }

    static func appendOnly(_ db: Database, _ tables: [String]) throws {
        for table in tables {
            try db.execute(sql: """
                CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                """)
        }
    }
}

/// An archived page as the `documents` table lists it (FORMAT.md §13): what `ledger source
/// list` shows and how a statement's `source.sha256` finds the page it cites.
public struct DocumentRow: Sendable, Equatable {
    public let seq: Int64
    public let platform: String
    public let documentType: String
    public let url: String
    public let retrievedAt: String
    public let contentSHA256: Digest
    /// `fetched` (a version of the page) or `transcribed` (an editor's text from a copy).
    public let capture: ArchivedDocument.Capture

    /// The row an archived page's body implies.
    public init(seq: Int64, _ d: ArchivedDocument) { self.init(seq: seq, WithholdNotice.DocumentFacts(d)) }

    /// The row a withheld page's signed notice says its body implied (the same facts).
    public init(seq: Int64, _ f: WithholdNotice.DocumentFacts) {
        self.init(seq: seq, platform: f.platform, documentType: f.documentType.rawValue, url: f.url, retrievedAt: f.retrievedAt,
                  contentSHA256: f.contentSHA256, capture: f.capture)
    }

    public init(seq: Int64, platform: String, documentType: String, url: String, retrievedAt: String, contentSHA256: Digest,
                capture: ArchivedDocument.Capture) {
        self.seq = seq
        self.capture = capture
        self.platform = platform
        self.documentType = documentType
        self.url = url
        self.retrievedAt = retrievedAt
        self.contentSHA256 = contentSHA256
    }

    static let columns = "seq, platform, document_type, url, retrieved_at, content_sha256, capture"

    /// `columns` as a SELECT on `db` can read them: a file opened read-only before migration
    /// `v8-document-capture` has no `capture` column, and every page in it was fetched.
    static func selectable(_ db: Database) throws -> String {
        try db.columns(in: "documents").contains { $0.name == "capture" } ? columns : "seq, platform, document_type, url, retrieved_at, content_sha256, 'fetched'"
    }

    init(row: Row) throws {
        guard let digest = Digest(bytes: try row.column(5) as Data) else { throw StorageError.corrupt("a documents row has no 32-byte content_sha256") }
        let captureText: String = try row.column(6)
        guard let capture = ArchivedDocument.Capture(rawValue: captureText) else { throw StorageError.corrupt("a documents row has capture '\(captureText)'") }
        self.init(seq: try row.column(0), platform: try row.column(1), documentType: try row.column(2), url: try row.column(3),
                  retrievedAt: try row.column(4), contentSHA256: digest, capture: capture)
    }
}

/// The rows of `links`, `zero_claims`, `documents`, `search` and `disclosures` an entry's body
/// implies.
enum DerivedRows {
    /// `laterTables`: false in the migrations that fill older tables before `search` and
    /// `disclosures` exist.
    static func insert(_ db: Database, seq: Int64, signer: String, body: Body, orIgnore: Bool = false, laterTables: Bool = true) throws {
        let statement = body.statement
        var document: DocumentRow?
        if case .archive(let d) = body.document { document = DocumentRow(seq: seq, d) }
        try insert(db, seq: seq, signer: signer, link: body.link,
                   zeroClaim: statement.flatMap { s in s.zeroDisclosureScopes.map { ($0, s.platform, s.published.description) } },
                   document: document, search: laterTables ? statement.map(SearchRow.init) : nil,
                   disclosures: laterTables ? statement?.disclosureScopes : nil, orIgnore: orIgnore)
    }

    /// Calls `body` with every stored statement body that parses, in seq order: what a
    /// migration fills a new derived table from (a body that no longer parses is left for the
    /// audit to name).
    static func forEachStoredStatement(_ db: Database, _ body: (Int64, LedgerCore.Statement) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT b.seq, b.body FROM entries e JOIN bodies b ON b.seq = e.seq WHERE e.kind = 'statement' ORDER BY b.seq")
        while let row = try rows.next() {
            guard let s = try? Body(stored: Array((try row.column(1) as String).utf8)).statement else { continue }
            try body(try row.column(0), s)
        }
    }

    /// Removes the rows that say what a withheld body said (its words and its disclosures);
    /// the rows its signed notice vouches for (`links`, `zero_claims`, `documents`) stay.
    static func removeWithheld(_ db: Database, seq: Int64) throws {
        try SearchIndex.delete(db, seq: seq)
        try DisclosureIndex.delete(db, seq: seq)
    }

    /// The same rows from what a body was already found to imply (a mirror's checked entries).
    static func insert(_ db: Database, seq: Int64, signer: String, link: Link?,
                       zeroClaim: (scopes: String, platform: String, effectiveDate: String)?, document: DocumentRow?,
                       search: SearchRow?, disclosures: String?, orIgnore: Bool = false) throws {
        if let search { try SearchIndex.insert(db, seq: seq, search) }
        if let disclosures { try DisclosureIndex.insert(db, seq: seq, scopes: disclosures, orIgnore: orIgnore) }
        let verb = orIgnore ? "INSERT OR IGNORE" : "INSERT"
        if let link {
            try db.cachedStatement(sql: "\(verb) INTO links(seq, target, kind, signer) VALUES (?, ?, ?, ?)")
                .execute(arguments: [seq, link.target, link.kind.rawValue, signer])
        }
        if let zeroClaim {
            try db.cachedStatement(sql: "\(verb) INTO zero_claims(seq, platform, effective_date, scopes) VALUES (?, ?, ?, ?)")
                .execute(arguments: [seq, zeroClaim.platform, zeroClaim.effectiveDate, zeroClaim.scopes])
        }
        if let d = document {
            try db.cachedStatement(sql: "\(verb) INTO documents(\(DocumentRow.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [seq, d.platform, d.documentType, d.url, d.retrievedAt, Data(d.contentSHA256.bytes), d.capture.rawValue])
        }
    }
}
