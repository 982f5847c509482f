import Foundation

/// Counters and a latency histogram, rendered as Prometheus text (exposition format 0.0.4).
/// One lock; every update is a few additions.
public final class ServerMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the request latency histogram buckets.
    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private let lock = NSLock()
    private var appendedEntries: Int64 = 0
    private var appendBatches: Int64 = 0
    private var rejections: [String: Int64] = [:]
    private var requests: [String: Int64] = [:]
    private var bucketCounts = [Int64](repeating: 0, count: ServerMetrics.latencyBuckets.count)
    private var latencyCount: Int64 = 0
    private var latencySum: Double = 0
    private var queueDepth: Int64 = 0

    public init() {}

    func recordBatch(entries: Int) {
        lock.withLock {
            appendedEntries += Int64(entries)
            appendBatches += 1
        }
    }

    func recordRejection(_ code: String) {
        lock.withLock { rejections[code, default: 0] += 1 }
    }

    func setQueueDepth(_ depth: Int) {
        lock.withLock { queueDepth = Int64(depth) }
    }

    func recordRequest(status: Int, seconds: Double) {
        lock.withLock {
            requests[String(status), default: 0] += 1
            latencyCount += 1
            latencySum += seconds
            if let i = ServerMetrics.latencyBuckets.firstIndex(where: { seconds <= $0 }) { bucketCounts[i] += 1 }
        }
    }

    /// Total appends so far (for tests and the benchmark).
    public var appendsTotal: Int64 { lock.withLock { appendedEntries } }
    /// Group-commit transactions so far.
    public var batchesTotal: Int64 { lock.withLock { appendBatches } }

    /// The exposition text; `entries` is the ledger's current size.
    func render(entries: Int64) -> String {
        lock.withLock {
            var out = """
                # HELP ledger_entries Entries in the ledger (tree size).
                # TYPE ledger_entries gauge
                ledger_entries \(entries)
                # HELP ledger_appends_total Entries appended through this server.
                # TYPE ledger_appends_total counter
                ledger_appends_total \(appendedEntries)
                # HELP ledger_append_batches_total Append transactions (group commits), each with one checkpoint.
                # TYPE ledger_append_batches_total counter
                ledger_append_batches_total \(appendBatches)
                # HELP ledger_append_queue_depth Appends waiting for the next group commit.
                # TYPE ledger_append_queue_depth gauge
                ledger_append_queue_depth \(queueDepth)
                # HELP ledger_rejections_total Refused appends and requests, by error code.
                # TYPE ledger_rejections_total counter

                """
            for (code, n) in rejections.sorted(by: { $0.key < $1.key }) { out += "ledger_rejections_total{error=\"\(code)\"} \(n)\n" }
            out += "# HELP http_requests_total HTTP requests answered, by status.\n# TYPE http_requests_total counter\n"
            for (status, n) in requests.sorted(by: { $0.key < $1.key }) { out += "http_requests_total{status=\"\(status)\"} \(n)\n" }
            out += "# HELP http_request_duration_seconds Time from request head to response head.\n"
            out += "# TYPE http_request_duration_seconds histogram\n"
            var cumulative: Int64 = 0
            for (bound, n) in zip(ServerMetrics.latencyBuckets, bucketCounts) {
                cumulative += n
                out += "http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "http_request_duration_seconds_bucket{le=\"+Inf\"} \(latencyCount)\n"
            out += "http_request_duration_seconds_sum \(latencySum)\n"
            out += "http_request_duration_seconds_count \(latencyCount)\n"
            return out
        }
    }
}
