import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// A new ledger file in its own temporary directory, with a fresh log key: what the in-process
/// storage tests start from.
struct ScratchLedger {
    static let origin = "test.example/log"
    let dir: URL
    let store: LedgerStore
    let logKey: Ed25519PrivateKey

    init(_ label: String) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        logKey = try Ed25519PrivateKey.generate()
        store = try LedgerStore.create(at: dir.appendingPathComponent("l.sqlite").path, origin: Self.origin,
                                       logSigner: try NoteSigner(name: Self.origin, privateKey: logKey))
    }
}
