// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "DisclosureLedger",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ledger", targets: ["LedgerCLI"]),
        .executable(name: "ledger-verify", targets: ["LedgerVerifyCLI"]),
        .executable(name: "ledger-bench", targets: ["LedgerBench"]),
        .executable(name: "ledger-proof-bench", targets: ["LedgerProofBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // The system libcrypto 3 (OpenSSL), through a shim header.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Thin wrapper: SHA-256, Ed25519 keys, PEM. Every OpenSSL object is freed here.
        .target(name: "LedgerCrypto", dependencies: ["COpenSSL"]),
        // Pure core: canonical JSON, statements, entries, Merkle trees and proofs, notes. No I/O.
        .target(name: "LedgerCore", dependencies: ["LedgerCrypto"]),
        // SQLite storage: schema, migrations, appends, stored hashes, checkpoints.
        .target(name: "LedgerStorage", dependencies: [
            "LedgerCore", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The audit: streams a ledger and checks every byte. Core and storage only.
        .target(name: "LedgerVerifier", dependencies: ["LedgerCore", "LedgerStorage"]),
        .executableTarget(name: "LedgerCLI", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerVerifier",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "LedgerVerifyCLI", dependencies: [
            "LedgerCore", "LedgerStorage", "LedgerVerifier",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Release-mode benchmark: runs the built binaries against `openssl speed`.
        .executableTarget(name: "LedgerBench", path: "Benchmarks/ImportVerify"),
        // Release-mode benchmark: proof generation and incremental audit on a 1,000,000-entry ledger.
        .executableTarget(name: "LedgerProofBench", dependencies: ["LedgerCore", "LedgerStorage"], path: "Benchmarks/Proofs"),
        .testTarget(name: "LedgerCoreTests", dependencies: ["LedgerCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "LedgerStorageTests", dependencies: ["LedgerCore", "LedgerStorage", "LedgerVerifier"]),
        .testTarget(name: "LedgerCLITests", dependencies: ["LedgerCLI", "LedgerVerifyCLI", "LedgerCore"],
                    resources: [.copy("Interop")]),
    ]
)
