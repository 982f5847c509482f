import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStorage
import Logging

/// What the routes share: read connections, the group-commit queue, metrics and the log's identity.
public final class LedgerBackend: Sendable {
    public let origin: String
    public let logKey: NoteVerifierKey
    public let metrics: ServerMetrics
    /// The most statements one `/v1/platforms/{p}/history` answer reads (a larger one is refused
    /// with how to narrow it).
    public let historyLimit: Int
    /// `historyLimit`'s default, the static publication's too.
    public static let defaultHistoryLimit = 10_000
    /// The most events one page of a history (`?limit=`) holds.
    public static let maxHistoryPage = 1_000
    /// The open connections, for the connection limits (ConnectionGuard.swift).
    public let connections: ConnectionRegistry
    /// nil for a read-only service (a mirror, which holds no log private key).
    public let appends: AppendQueue?
    /// The ledger: one writer (appends through `appends`, cosignatures) and `readers` read-only
    /// connections that every read takes in turn.
    let store: LedgerStore

    /// Opens `ledgerPath` for one writer and `readers` read-only connections. Without
    /// `logPrivateKey` the service is read-only: appends and cosignatures are refused.
    public init(ledgerPath: String, logPrivateKey: Ed25519PrivateKey?, groupCommit: GroupCommitOptions = .init(),
                readers: Int = max(2, ProcessInfo.processInfo.activeProcessorCount),
                connectionLimits: ConnectionLimits = .fitting(descriptors: ConnectionLimits.descriptorLimit()),
                historyLimit: Int = LedgerBackend.defaultHistoryLimit, logger: Logger) throws {
        self.historyLimit = historyLimit
        connections = ConnectionRegistry(limits: connectionLimits)
        let store = try LedgerStore(path: ledgerPath, readers: max(1, readers))
        guard logPrivateKey == nil || store.logKey.publicKey == logPrivateKey?.publicKey else {
            throw StorageError.unauthorized(item: "log key", reason: "the private key given is not the log key of \(ledgerPath) (\(store.logKey.text))")
        }
        self.store = store
        origin = store.origin
        logKey = store.logKey
        metrics = ServerMetrics()
        let checkpointCache = LatestCheckpoint()
        latest = checkpointCache
        if let logPrivateKey {
            appends = AppendQueue(store: store, logKey: logPrivateKey, options: groupCommit, metrics: metrics, logger: logger,
                                  onCommit: { checkpointCache.invalidate() })
        } else {
            appends = nil
        }
    }

    /// The queue appends go through, or the refusal of a read-only service.
    func appendQueue() throws -> AppendQueue {
        guard let appends else {
            throw APIError.methodNotAllowed("this service of \(origin) is read-only (a mirror, or started with --read-only): it appends nothing; append at the source")
        }
        return appends
    }

    private let keyCache = KeyHistoryCache()
    /// Merkle hashes read so far (they never change), shared by every proof and receipt.
    let hashCache = HashCache()
    /// The latest checkpoint, from memory for up to 100 ms.
    let latest: LatestCheckpoint

    /// The address readers reach the service at, for absolute links (Atom feeds, the commands on
    /// entry pages): `--public-url`, else the address the server bound. Never the request's
    /// `Host` header, which a client chooses (a cache in front would serve its choice to all).
    public let publicURL = PublicURL()

    /// The current key history, replayed again only after a new signer event. (The appender
    /// checks every entry against the history inside its own transaction as well.)
    func keyHistory(marker: Int64?) throws -> KeyHistory {
        if let cached = keyCache.get(marker) { return cached }
        let history = try store.keyHistory()
        keyCache.set(marker, history)
        return history
    }
}

/// The service's public base URL, set once it is known (configured, or when the port is bound).
public final class PublicURL: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?

    /// Sets the base (`http://host:port`, no trailing slash) unless one is already set.
    public func setIfUnset(_ base: String) {
        lock.withLock { if value == nil { value = base.hasSuffix("/") ? String(base.dropLast()) : base } }
    }

    /// The base; `http://127.0.0.1` until one is set (an application not yet bound).
    public var base: String { lock.withLock { value ?? "http://127.0.0.1" } }
}

/// The last key history read, with the seq of the last signer event it includes.
final class KeyHistoryCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entry: (marker: Int64?, history: KeyHistory)?

    func get(_ marker: Int64?) -> KeyHistory? {
        lock.withLock { entry.flatMap { $0.marker == marker ? $0.history : nil } }
    }

    func set(_ marker: Int64?, _ history: KeyHistory) {
        lock.withLock { entry = (marker, history) }
    }
}
