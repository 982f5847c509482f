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
                CREATE INDEX entries_log_kinds ON entries(kind, seq) WHERE kind <> 'statement';
                CREATE INDEX entries_platform ON entries(platform, category, effective_date) WHERE platform IS NOT NULL;
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
                WHEN NOT EXISTS (SELECT 1 FROM withheld WHERE seq = OLD.seq)
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: a body is removed only by a withhold notice'); END;
                """)
        }
        // Witness cosignatures on the log's checkpoints (C2SP tlog-cosignature). New ledgers get
        // it at creation; older ones from the first `ledger cosignature` command (no other
        // command migrates, so a refused command never writes).
        migrator.registerMigration("v2-cosignatures") { db in
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
            for table in ["witnesses", "cosignatures"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                    BEGIN SELECT RAISE(ABORT, 'disclosure ledger: \(table) is append-only'); END;
                    """)
            }
        }
        // RFC 3161 time-stamp replies over stored checkpoints (`ledger timestamp`); applied like
        // v2-cosignatures, at creation or by the first `ledger timestamp`.
        migrator.registerMigration("v3-timestamps") { db in
            try db.execute(sql: """
                -- One TimeStampResp (DER) per checkpoint size; its imprint is SHA-256 of that checkpoint's note.
                CREATE TABLE timestamps (
                    size  INTEGER PRIMARY KEY NOT NULL,
                    tsa   TEXT NOT NULL,
                    reply BLOB NOT NULL
                );
                CREATE TRIGGER timestamps_no_update BEFORE UPDATE ON timestamps
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: timestamps is append-only'); END;
                CREATE TRIGGER timestamps_no_delete BEFORE DELETE ON timestamps
                BEGIN SELECT RAISE(ABORT, 'disclosure ledger: timestamps is append-only'); END;
                """)
        }
        return migrator
    }
}
