import Hummingbird
import LedgerCore
import LedgerStorage
import LedgerCrypto

/// Reading what a client sent: bounded bodies, typed query parameters and path segments.
enum RequestInput {
    /// The whole body, refusing one over `limit` bytes (413) or not received within `timeout` (408).
    /// While it waits, `abandoned` is asked every 100 ms; once true (the service is shutting down
    /// and takes no more appends) the wait ends with 503 `shutting_down` instead of running out
    /// the timeout: a server stopping gracefully no longer delivers bodies still in flight.
    static func body(_ request: Request, limit: Int = SubmissionLimits.maxBodyBytes, timeout: Duration = .seconds(10),
                     abandoned: @escaping @Sendable () -> Bool = { false }) async throws -> [UInt8] {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.tooLarge(limit: limit)
        }
        let body = request.body
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var bytes: [UInt8] = []
                for try await chunk in body {
                    guard bytes.count + chunk.readableBytes <= limit else { throw APIError.tooLarge(limit: limit) }
                    bytes += chunk.readableBytesView
                }
                return bytes
            }
            group.addTask {
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline {
                    try await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
                    if abandoned() { throw APIError.shuttingDown }
                }
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw APIError.requestTimeout("the request body did not arrive within \(Int(timeout.seconds)) s")
            }
            return bytes
        }
    }

    /// An optional integer query parameter within `range`.
    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int64> = 0...Int64.max) throws -> Int64? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int64(text), text.first != "+" else {
            throw APIError.badParameter(name: name, reason: "must be a decimal integer, found '\(text.prefix(40))'")
        }
        guard range.contains(value) else {
            throw APIError.badParameter(name: name, reason: "must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// A required integer query parameter.
    static func requiredInteger(_ request: Request, _ name: String, in range: ClosedRange<Int64> = 0...Int64.max) throws -> Int64 {
        guard let value = try integer(request, name, in: range) else {
            throw APIError.badParameter(name: name, reason: "is required")
        }
        return value
    }

    /// An optional slug parameter (platform, signer names).
    static func slug(_ request: Request, _ name: String) throws -> String? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard Slug.isValid(text) else {
            throw APIError.badParameter(name: name, reason: "must be 1-64 characters of a-z, 0-9, '.', '-', '_'")
        }
        return text
    }

    /// An optional parameter as given, at most `maxLength` bytes (its meaning is checked by the
    /// query that reads it).
    static func text(_ request: Request, _ name: String, maxLength: Int = 64) throws -> String? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard text.utf8.count <= maxLength else { throw APIError.badParameter(name: name, reason: "is over \(maxLength) bytes") }
        return text
    }

    /// An optional category parameter, one of the schema's categories.
    static func category(_ request: Request, _ name: String = "category") throws -> String? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard Category(rawValue: text) != nil else {
            throw APIError.badParameter(name: name, reason: "must be one of \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return text
    }

    /// An optional SHA-256 given as 64 lowercase hex digits.
    static func digest(_ request: Request, _ name: String) throws -> Digest? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard Hex.isLowercaseDigest(text), let d = Digest(hex: text) else {
            throw APIError.badParameter(name: name, reason: "must be 64 lowercase hex digits (a SHA-256)")
        }
        return d
    }

    /// A path parameter that must be a non-negative integer (a seq).
    static func seq(_ context: some RequestContext, _ name: String = "seq") throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let value = Int64(text), value >= 0, text.first != "+" else {
            throw APIError.badParameter(name: name, reason: "must be a non-negative decimal integer, found '\(text.prefix(40))'")
        }
        return value
    }

    /// A timeline cursor parameter (`DATE.SEQ`, as a paged answer's `next` gives it), if present.
    static func cursor(_ request: Request, _ name: String) throws -> TimelineCursor? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let cursor = TimelineCursor(text) else {
            throw APIError.badParameter(name: name, reason: "must be a cursor DATE.SEQ such as 2021-01-01.42, as `next` gives it")
        }
        return cursor
    }

    /// A `YYYY-MM-DD` query parameter, if present and not empty.
    static func date(_ request: Request, _ name: String) throws -> CalendarDate? {
        guard let text = request.uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let date = CalendarDate(text) else { throw APIError.badParameter(name: name, reason: "must be a date like 2019-03-14") }
        return date
    }
}
