// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "DisclosureLedger",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ledger", targets: ["LedgerCLI"]),
        .executable(name: "ledger-verify", targets: ["LedgerVerifyCLI"]),
        .executable(name: "ledger-net", targets: ["LedgerNetCLI"]),
        .executable(name: "ledger-bench", targets: ["LedgerBench"]),
        .executable(name: "ledger-proof-bench", targets: ["LedgerProofBench"]),
        .executable(name: "ledger-compare-bench", targets: ["LedgerCompareBench"]),
        .executable(name: "ledger-track-bench", targets: ["LedgerTrackBench"]),
        .executable(name: "ledger-serve-bench", targets: ["LedgerServeBench"]),
        .executable(name: "ledger-mirror-bench", targets: ["LedgerMirrorBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        // Already in the graph through Hummingbird; named for the connection guard's channel handler.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
    ],
    targets: [
        // The system libcrypto 3 (OpenSSL), through a shim header.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // The system libxml2, for its HTML parser (real-world pages: unclosed tags, any charset).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        // Thin wrapper: SHA-256, Ed25519 keys, PEM. Every OpenSSL object is freed here.
        .target(name: "LedgerCrypto", dependencies: ["COpenSSL"]),
        // Pure core: canonical JSON, statements, entries, Merkle trees and proofs, notes. No I/O, no threads.
        .target(name: "LedgerCore", dependencies: ["LedgerCrypto"]),
        // The concurrency the audit, the comparison and the import share: an ordered parallel map,
        // work in the background, a pipeline of chunks. Nothing else.
        .target(name: "LedgerConcurrency"),
        // SQLite storage: schema, migrations, appends, stored hashes, checkpoints.
        // GRDBSQLite (GRDB's own import of the system sqlite3.h) only for RawStatement: the hot
        // paths (append inserts, audit page reads) driven with the C API on GRDB's statements.
        .target(name: "LedgerStorage", dependencies: [
            "LedgerCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Pure comparison: the claim in force per platform and category, timelines, changes,
        // conflicts, and their table/JSON/CSV/Markdown forms. Fed by storage queries.
        .target(name: "LedgerCompare", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerConcurrency"]),
        // The queries both front ends answer from: the comparison and history models built with
        // LedgerCompare from storage rows. The CLI and the server are thin layers over it.
        .target(name: "LedgerQuery", dependencies: ["LedgerCore", "LedgerStorage", "LedgerCompare", "LedgerConcurrency", "LedgerText"]),
        // Archived pages' readable text (disclosure-text/v1): HTML through libxml2, charsets,
        // whitespace and Unicode normalisation; quotes found in it; word-level diffs of versions.
        .target(name: "LedgerText", dependencies: ["CLibXML2", "LedgerCore"]),
        // The one way in for documents to append, shared by `ledger append`, the demo seeding and
        // the service's entry routes: parse, refuse placeholders, pre-check replays, links and
        // quotes against archived pages.
        .target(name: "LedgerAppend", dependencies: ["LedgerCore", "LedgerStorage", "LedgerConcurrency", "LedgerText"]),
        // The audit: streams a ledger and checks every byte. Core and storage only.
        .target(name: "LedgerVerifier", dependencies: ["LedgerCore", "LedgerStorage", "LedgerConcurrency"]),
        // The HTTP service: JSON API, tlog tiles, HTML pages, group commit. Hummingbird 2.
        .target(name: "LedgerServer", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerQuery", "LedgerCompare", "LedgerAppend", "LedgerText",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // `ledger track`: fetching tracked pages and archiving each new version (URLSession).
        .target(name: "LedgerTracking", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerStorage", "LedgerText"]),
        // `ledger mirror`: a verified copy of a remote ledger, fetched over HTTP (tiles and /v1).
        .target(name: "LedgerMirror", dependencies: ["LedgerConcurrency", "LedgerCore", "LedgerStorage", "LedgerVerifier"]),
        // What the command-line programs share: --ledger/--keys, key files, errors as one line, buffered output.
        .target(name: "LedgerCommandSupport", dependencies: ["LedgerCore", "LedgerCrypto", "LedgerStorage", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "LedgerCLI", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerVerifier", "LedgerCompare", "LedgerQuery", "LedgerServer", "LedgerCommandSupport", "LedgerConcurrency",
            "LedgerAppend", "LedgerText",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], linkerSettings: staticRuntimeInRelease),
        // `ledger mirror` and `ledger timestamp`, which need URLSession (and libcurl): a program of
        // their own, so that every other `ledger` command starts without loading them.
        .executableTarget(name: "LedgerNetCLI", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerMirror", "LedgerCommandSupport", "LedgerTracking", "LedgerCrypto",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "LedgerVerifyCLI", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerVerifier", "LedgerCommandSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: staticRuntimeInRelease),
        // What the benchmarks share: timing child processes, their peak memory, test statements.
        .target(name: "BenchSupport", path: "Benchmarks/Support"),
        // Release-mode benchmark: runs the built binaries against `openssl speed`.
        .executableTarget(name: "LedgerBench", dependencies: ["BenchSupport"], path: "Benchmarks/ImportVerify"),
        // Release-mode benchmark: mirroring a 1,000,000-entry source against the local audit rate.
        .executableTarget(name: "LedgerMirrorBench", dependencies: ["BenchSupport"], path: "Benchmarks/Mirror"),
        // Release-mode benchmark: proof generation and incremental audit on a 1,000,000-entry ledger.
        .executableTarget(name: "LedgerProofBench", dependencies: ["LedgerCore", "LedgerStorage"], path: "Benchmarks/Proofs"),
        // Release-mode benchmark: compare and history on a 1,000,000-statement ledger.
        .executableTarget(name: "LedgerCompareBench", dependencies: ["BenchSupport"], path: "Benchmarks/Compare"),
        // Release-mode benchmark: a `ledger track run` round over 1,000 unchanged pages on loopback.
        .executableTarget(name: "LedgerTrackBench", dependencies: ["BenchSupport"], path: "Benchmarks/Track"),
        // Release-mode load test of `ledger serve` on loopback against the CLI's bulk import.
        .executableTarget(name: "LedgerServeBench", dependencies: ["LedgerCore", "LedgerConcurrency"], path: "Benchmarks/ServeLoad"),
        // What two test targets share: an RFC 4180 reader independent of the CSV writer.
        .target(name: "LedgerTestSupport", path: "Tests/Support"),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore", "COpenSSL"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LedgerConcurrencyTests", dependencies: ["LedgerConcurrency"]),
        .testTarget(name: "LedgerTextTests", dependencies: ["LedgerText", "LedgerCore"], resources: [.copy("Pages")]),
        .testTarget(name: "LedgerCompareTests", dependencies: ["LedgerCore", "LedgerCompare", "LedgerTestSupport"]),
        .testTarget(name: "LedgerStorageTests", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerVerifier", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "LedgerServerTests", dependencies: [
            "LedgerServer", "LedgerCore", "LedgerStorage", "LedgerVerifier",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "LedgerCLITests", dependencies: ["LedgerCLI", "LedgerVerifyCLI", "LedgerNetCLI", "LedgerCore", "LedgerServer", "LedgerMirror",
                                                         "LedgerCompare", "LedgerStorage", "LedgerVerifier", "LedgerTestSupport"],
                    resources: [.copy("Interop")]),
    ]
)

/// Release builds of `ledger` and `ledger-verify` on Linux carry the Swift runtime and Foundation
/// inside them: loading and relocating the shared ones took about 10 ms of every run (`ledger
/// log-key` 21 -> 11 ms, with `ledger-net` split off), most of a query command's start. The
/// modules are compiled against the shared Foundation, whose link entries do not name what its
/// static archives need, so the group names them (the names are those of Swift 6.3's static
/// SDK). Still position-independent: `ledger serve` faces the network, and `-no-pie` saved only
/// about 1 ms. (`ledger-net` stays shared: URLSession needs the system's shared libcurl.)
var staticRuntimeInRelease: [LinkerSetting] {
    let archives = ["Foundation", "FoundationInternationalization", "FoundationEssentials", "CoreFoundation", "_FoundationICU",
                    "_FoundationCShims", "_FoundationCollections", "swiftSynchronization", "swiftDispatch", "dispatch", "BlocksRuntime"]
    return [.unsafeFlags(["-static-stdlib", "-Xlinker", "--start-group"] + archives.flatMap { ["-Xlinker", "-l\($0)"] } + ["-Xlinker", "--end-group"],
                         .when(platforms: [.linux], configuration: .release))]
}
