import GRDB

/// The ledger's SQLite schema. Tables are append-only: triggers refuse UPDATE and DELETE, except
/// that a body may be deleted once a signed withhold notice for it is recorded. The whole file
/// stays readable with the `sqlite3` CLI (see docs/FORMAT.md, "SQLite layout").
enum Schema {
    static let formatVersion = "disclosure-ledger-sqlite/1"

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
                CREATE UNIQUE INDEX entries_statement_body ON entries(body_sha256) WHERE kind = 'statement';
                CREATE INDEX entries_kind ON entries(kind, seq);
                CREATE INDEX entries_platform ON entries(platform, category, effective_date) WHERE platform IS NOT NULL;
                -- Canonical bodies by their SHA-256.
                CREATE TABLE bodies (
                    sha256 BLOB PRIMARY KEY NOT NULL,
                    body   TEXT NOT NULL
                ) WITHOUT ROWID;
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
                -- Bodies withheld by a notice entry: (body digest, entry seq, notice seq).
                CREATE TABLE withheld (
                    sha256     BLOB PRIMARY KEY NOT NULL,
                    seq        INTEGER NOT NULL,
                    notice_seq INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
            for table in ["meta", "entries", "hashes", "checkpoints", "withheld"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                    """)
            }
            try db.execute(sql: """
                CREATE TRIGGER bodies_no_update BEFORE UPDATE ON bodies
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: bodies are append-only'); END;
                CREATE TRIGGER bodies_delete_only_withheld BEFORE DELETE ON bodies
                WHEN NOT EXISTS (SELECT 1 FROM withheld WHERE sha256 = OLD.sha256)
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: a body is removed only by a withhold notice'); END;
                """)
        }
        return migrator
    }
}
