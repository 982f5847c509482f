import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCore

/// The HTTP reads a mirror makes of a source: the checkpoint, stored checkpoints, consistency
/// proofs, entry bundles (C2SP tlog-tiles) and bodies, from a running `ledger serve` (docs/API.md)
/// or from a static publication served by any web server (docs/FORMAT.md §22,
/// `SourceClient+Static.swift`). Every answer is untrusted bytes; the mirror checks them.
public struct SourceClient: Sendable {
    /// What the source is: a service answering `/v1/...` queries, or static files.
    public enum Layout: Sendable, Equatable {
        case service
        case staticFiles
    }

    public let base: String
    public let layout: Layout
    let timeout: TimeInterval
    /// Immutable static files already read (tiles, final size listings), shared by the copies.
    let cache = StaticFileCache()
    static let maxResponseBytes = 4096 * 65_537 + 1024

    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.httpMaximumConnectionsPerHost = 4
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        // `timeoutInterval` of a request bounds the silence between bytes; this bounds a whole
        // answer, so a source that drips bytes cannot stall a round for ever.
        config.timeoutIntervalForResource = 300
        return URLSession(configuration: config)
    }()

    /// `base` is the source's address (`http://host:port`, or the URL of a published directory;
    /// any trailing `/` dropped). Asks nothing yet: `connect` finds the layout.
    public init(base: String, layout: Layout, timeout: TimeInterval = 30) throws {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw MirrorError.usage("'\(base)' is not an http:// or https:// URL of a ledger service or a published directory")
        }
        self.base = base
        self.layout = layout
        self.timeout = timeout
    }

    /// A client for the source at `base`, whichever layout it has: a service answers
    /// `/v1/checkpoints` with its JSON; a static publication answers 404 there (or anything but
    /// that JSON: a host that serves a page for every path) and serves `checkpoints/sizes/000`
    /// (§22). Two requests at most.
    public static func connect(base: String, timeout: TimeInterval = 30) throws -> SourceClient {
        let service = try SourceClient(base: base, layout: .service, timeout: timeout)
        if let answer = try service.start("/v1/checkpoints?from=0&to=0&limit=1").answerUnlessNotFound(),
           case .array? = try? JSONParser.parse(answer)["checkpoints"] { return service }
        let published = try SourceClient(base: base, layout: .staticFiles, timeout: timeout)
        guard try published.start("/" + StaticLayout.sizesPath(0)).answerUnlessNotFound() != nil else {
            throw MirrorError.unreachable(url: service.base, reason: "it is neither a ledger service (no /v1/checkpoints) nor a directory `ledger publish` wrote (no /\(StaticLayout.sizesPath(0)))")
        }
        return published
    }

    /// The body of a 200 answer to GET `path`; any other status, or no answer, is `unreachable`.
    func get(_ path: String) throws -> [UInt8] { try start(path).answer() }

    /// Sends GET `path` now and returns at once: a batch sends all its requests before waiting
    /// for the first answer, so the source's round trips overlap instead of adding up.
    func start(_ path: String) -> PendingGet {
        let address = base + path
        let pending = PendingGet(address: address)
        guard let url = URL(string: address) else {
            pending.finish(.failure(MirrorError.usage("bad URL \(address)")))
            return pending
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        Self.session.dataTask(with: request) { data, response, error in
            if let data, let response { pending.finish(.success((data, response))) } else { pending.finish(.failure(error ?? URLError(.unknown))) }
        }.resume()
        return pending
    }

    /// The latest checkpoint as served (log signature plus any cosignatures).
    public func checkpoint() throws -> [UInt8] { try get("/checkpoint") }

    /// Stored checkpoints with `from ≤ size ≤ to`, at most `limit`, largest first if `descending`.
    func checkpoints(from: Int64, to: Int64, limit: Int, descending: Bool = false) throws -> [(size: Int64, note: String)] {
        if layout == .staticFiles { return try publishedCheckpoints(from: from, to: to, limit: limit, descending: descending) }
        let path = "/v1/checkpoints?from=\(from)&to=\(to)&limit=\(limit)&order=\(descending ? "desc" : "asc")"
        let bytes = try get(path)
        do {
            guard case .array(let items)? = try JSONParser.parse(bytes)["checkpoints"] else { throw JSONError(path: "checkpoints", "missing") }
            guard items.count <= limit else { throw JSONError(path: "checkpoints", "\(items.count) checkpoints, more than the \(limit) asked for") }
            return try items.map { item in
                guard case .integer(let size)? = item["size"], case .string(let note)? = item["note"] else {
                    throw JSONError(path: "checkpoints[]", "each needs an integer size and a string note")
                }
                return (size, note)
            }
        } catch {
            throw MirrorError.badResponse(url: base + path, reason: "\(error)")
        }
    }

    /// The consistency proof document from `from` to `to` (docs/FORMAT.md §16) of the log
    /// `origin`, unverified: the service's, or one built from a static publication's tiles.
    func consistencyProof(from: Int64, to: Int64, origin: String) throws -> (text: String, document: ConsistencyProofDocument) {
        if layout == .staticFiles { return try tileConsistencyProof(from: from, to: to, origin: origin) }
        let path = "/v1/proof/consistency?from=\(from)&to=\(to)"
        let bytes = try get(path)
        do {
            return (String(decoding: bytes, as: UTF8.self), try ConsistencyProofDocument(parsing: bytes))
        } catch {
            throw MirrorError.badResponse(url: base + path, reason: "\(error)")
        }
    }

    /// Requests the bodies of entries `from ..< from + count` of a service; `bodies` waits for them.
    func startBodies(from: Int64, count: Int) -> PendingGet {
        start("/v1/bodies?from=\(from)&count=\(count)")
    }
}

/// A GET sent and not yet answered.
final class PendingGet: @unchecked Sendable {
    let address: String
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<(Data, URLResponse), Error>?

    init(address: String) { self.address = address }

    func finish(_ result: Result<(Data, URLResponse), Error>) {
        outcome = result
        done.signal()
    }

    /// Waits for the answer: the body of a 200, else `unreachable` (or `badResponse` if oversized).
    func answer() throws -> [UInt8] {
        guard let bytes = try answer(notFound: false) else { throw MirrorError.unreachable(url: address, reason: "HTTP 404") }
        return bytes
    }

    /// As `answer`, but nil for a 404: a file a static source no longer has, or a route it
    /// lacks; and for a 403, which object stores (S3 without list permission, and CDNs in front
    /// of them) answer for a key they do not hold.
    func answerUnlessNotFound() throws -> [UInt8]? { try answer(notFound: true) }

    private func answer(notFound allowed: Bool) throws -> [UInt8]? {
        done.wait()
        done.signal()   // a second call sees the same outcome
        switch outcome {
        case .success(let (data, response))?:
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if allowed, status == 404 || status == 403 { return nil }
            guard status == 200 else {
                throw MirrorError.unreachable(url: address, reason: "HTTP \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            // The largest honest answer is 4,096 bodies of at most 64 KiB each.
            guard data.count <= SourceClient.maxResponseBytes else {
                throw MirrorError.badResponse(url: address, reason: "an answer of \(data.count) bytes, over the \(SourceClient.maxResponseBytes) a source ever needs")
            }
            return [UInt8](data)
        case .failure(let error as MirrorError)?:
            throw error
        case .failure(let error)?:
            throw MirrorError.unreachable(url: address, reason: error.localizedDescription)
        case nil:
            throw MirrorError.unreachable(url: address, reason: "no answer")
        }
    }

    /// The answer as `count` bodies, nil where withheld.
    func bodies(count: Int) throws -> [[UInt8]?] {
        let bytes = try answer()
        do { return try EntryBundle.bodies(bytes, expected: count) } catch {
            throw MirrorError.badResponse(url: address, reason: "\(error)")
        }
    }
}
