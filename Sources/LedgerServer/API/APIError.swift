import Hummingbird
import LedgerAppend
import LedgerCore
import LedgerQuery
import LedgerCrypto
import LedgerStorage

/// Every refusal the service answers, as `{"error": CODE, "detail": ONE LINE}` with its status.
/// `detail` says what is wrong and, where there is one, what to do about it.
public enum APIError: Error, Equatable, CustomStringConvertible {
    /// 400: the request itself cannot be read (syntax, types, unknown members, bad parameters).
    case malformedJSON(String)
    case invalidRequest(String)
    case badParameter(name: String, reason: String)
    case badRange(String)
    /// 422: well-formed JSON that is not a valid statement.
    case invalidStatement(String)
    /// 403: the signature does not authorise this append.
    case badSignature(signer: String)
    case unknownSigner(String)
    case revokedSigner(String, seq: Int64)
    case unauthorized(String)
    /// 409: the statement is already in the ledger.
    case replay(seq: Int64)
    /// 404
    case notFound(String)
    /// 405
    case methodNotAllowed(String)
    /// 413: the request body is over the limit.
    case tooLarge(limit: Int)
    /// 408: the client did not send its body in time.
    case requestTimeout(String)
    /// 503: try again later (`Retry-After` is set).
    case overloaded(retryAfter: Int)
    case shuttingDown
    case queueTimeout(seconds: Int)
    /// A bulk import with deferred indexes holds the ledger (`ledger append`, docs/FORMAT.md §13).
    case importInProgress
    /// 500: the ledger failed; nothing was written.
    case storage(String)
    /// A batch refused for one of its lines: that line's refusal, with its status and code.
    indirect case inBatch(line: Int, APIError)

    public var status: HTTPResponse.Status {
        switch self {
        case .malformedJSON, .invalidRequest, .badParameter, .badRange: return .badRequest
        case .invalidStatement: return .unprocessableContent
        case .badSignature, .unknownSigner, .revokedSigner, .unauthorized: return .forbidden
        case .replay: return .conflict
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .tooLarge: return .contentTooLarge
        case .requestTimeout: return .requestTimeout
        case .overloaded, .shuttingDown, .queueTimeout, .importInProgress: return .serviceUnavailable
        case .storage: return .internalServerError
        case .inBatch(_, let refusal): return refusal.status
        }
    }

    /// The stable machine-readable code (`error` member).
    public var code: String {
        switch self {
        case .malformedJSON: return "malformed_json"
        case .invalidRequest: return "invalid_request"
        case .badParameter: return "bad_parameter"
        case .badRange: return "bad_range"
        case .invalidStatement: return "invalid_statement"
        case .badSignature: return "bad_signature"
        case .unknownSigner: return "unknown_signer"
        case .revokedSigner: return "revoked_signer"
        case .unauthorized: return "unauthorized"
        case .replay: return "replay"
        case .notFound: return "not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .tooLarge: return "too_large"
        case .requestTimeout: return "request_timeout"
        case .overloaded: return "overloaded"
        case .shuttingDown: return "shutting_down"
        case .queueTimeout: return "queue_timeout"
        case .importInProgress: return "import_in_progress"
        case .storage: return "storage_error"
        case .inBatch(_, let refusal): return refusal.code
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let why): return "the request body is not valid JSON: \(why)"
        case .invalidRequest(let why): return why
        case .badParameter(let name, let reason): return "parameter '\(name)' \(reason)"
        case .badRange(let why): return why
        case .invalidStatement(let why): return "the statement is not valid: \(why)"
        case .badSignature(let signer): return "the signature does not verify under the registered key of signer '\(signer)' (sign the entry message of docs/FORMAT.md §6 over the canonical statement)"
        case .unknownSigner(let name): return "signer '\(name)' is not registered; the log operator registers it with `ledger signer add \(name) KEY.pub`"
        case .revokedSigner(let name, let seq): return "signer '\(name)' was revoked at seq \(seq); its key can no longer append"
        case .unauthorized(let why): return why
        case .replay(let seq): return "this statement is already in the ledger at seq \(seq) (replay refused); fetch it with GET /v1/entries/\(seq)"
        case .notFound(let what): return what
        case .methodNotAllowed(let what): return what
        case .tooLarge(let limit): return "the request body is over \(limit) bytes (\(limit / 1024) KiB); nothing was written"
        case .requestTimeout(let why): return why
        case .overloaded(let seconds): return "the append queue is full; nothing was written; retry after \(seconds) s"
        case .shuttingDown: return "the server is shutting down; nothing was written; retry against the restarted server"
        case .queueTimeout(let seconds): return "the append waited over \(seconds) s in the queue and was dropped; nothing was written; retry"
        case .importInProgress: return "a bulk import is appending to the ledger with its look-up indexes deferred; nothing was written; retry after it ends"
        case .storage(let why): return "the ledger could not complete the request: \(why)"
        case .inBatch(let line, let refusal): return "line \(line) of the batch: \(refusal); nothing of the batch was written"
        }
    }

    var retryAfter: Int? {
        switch self {
        case .overloaded(let s): return s
        case .shuttingDown, .queueTimeout: return 1
        // A large import takes minutes; its indexes, seconds after that.
        case .importInProgress: return 30
        case .inBatch(_, let refusal): return refusal.retryAfter
        default: return nil
        }
    }

    var json: JSONValue {
        var members: [String: JSONValue] = ["error": .string(code), "detail": .string(description)]
        switch self {
        case .replay(let seq): members["seq"] = .integer(seq)
        case .inBatch(let line, let refusal):
            members["line"] = .integer(Int64(line))
            if case .replay(let seq) = refusal { members["seq"] = .integer(seq) }
        default: break
        }
        return .object(members)
    }

    /// Maps errors from the core and storage layers to what the client did wrong, if anything.
    static func from(_ error: any Error) -> APIError {
        switch error {
        case let e as APIError: return e
        case let e as BodyError:
            if case .invalidJSON(let j) = e { return .malformedJSON(j.description) }
            return .invalidStatement(e.description)
        case let e as JSONError: return .malformedJSON(e.description)
        case let e as AppendError: return BatchSubmission.inBatch(e.origin, .invalidStatement(e.problem))
        case let e as StorageError:
            switch e {
            // Refusals the appender found inside its transaction (after the route's own checks
            // passed: a race); a batch's entries are labelled with their line.
            case .replay(let origin, let seq): return BatchSubmission.inBatch(origin, .replay(seq: seq))
            case .duplicateInBatch(let origin, let other):
                return BatchSubmission.inBatch(origin, .invalidRequest("the same statement as \(other); a statement is appended once"))
            case .signerRefused(let origin, let reason): return BatchSubmission.inBatch(origin, .unauthorized(reason))
            case .unauthorized(_, let reason): return .unauthorized(reason)
            case .invalidLink(let origin, let why), .invalidStatement(let origin, let why):
                return BatchSubmission.inBatch(origin, .invalidStatement(why.description))
            case .noSuchEntry(let seq): return .notFound("there is no entry with seq \(seq)")
            case .importInProgress: return .importInProgress
            case .notInTree: return .notFound(e.description)
            case .notAnArchivedPage: return .badParameter(name: "seq", reason: e.description)
            case .beyondLedger, .badSizes, .noCheckpoint, .foreignCheckpoint, .rootMismatch: return .badRange(e.description)
            default: return byKind(e)
            }
        case let e as QueryError:
            switch e {
            case .tooLarge: return .badRange(e.description)
            case .badOption(let name, let reason): return .badParameter(name: name, reason: reason)
            case .unknownPlatform: return .notFound(e.description)
            }
        case let e as MerkleError:
            if case .missingHash = e { return .storage(e.description) }
            return .badRange(e.description)
        case let e as NoteError: return .invalidRequest("the note is not a valid C2SP signed note: \(e)")
        case let e as CheckpointError: return .invalidRequest(e.description)
        case let e as CosignatureError: return .unauthorized(e.description)
        case let e as HTTPError where e.status == .notFound: return .notFound("no such resource; see docs/API.md for the routes")
        case let e as HTTPError where e.status == .methodNotAllowed: return .methodNotAllowed("this method is not allowed on this resource")
        case let e as HTTPError where e.status == .contentTooLarge: return .tooLarge(limit: SubmissionLimits.maxBodyBytes)
        case let e as HTTPError where e.status.code < 500: return .invalidRequest(e.body ?? e.status.reasonPhrase)
        default: return byKind(error)
        }
    }

    /// Everything without a more precise status, by its FailureKind: the client's to fix (400),
    /// else the service's (500: stored bytes that disagree, or the machine).
    static func byKind(_ error: any Error) -> APIError {
        FailureKind.of(error) == .caller ? .invalidRequest("\(error)") : .storage("\(error)")
    }
}

extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(json, status: status)
        if let retry = retryAfter { response.headers[.retryAfter] = String(retry) }
        return response
    }
}

/// Limits on what a client may send.
public enum SubmissionLimits {
    /// The largest request body accepted (413 above it).
    public static let maxBodyBytes = 64 * 1024
    /// The most submissions in one `POST /v1/entries/batch`, and the largest such body.
    public static let maxBatchEntries = 1000
    public static let maxBatchBodyBytes = 4 * 1024 * 1024
}
