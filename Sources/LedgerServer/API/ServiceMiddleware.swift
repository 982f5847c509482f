import Hummingbird
import Logging

/// The outermost middleware: turns every error into the documented answer (JSON
/// `{"error", "detail"}`, or an HTML page for the web pages), logs server-side failures, and
/// records each request's status and latency for /metrics.
struct ServiceMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics
    let routes: RouteTable
    /// False on a read-only service (a mirror, `--read-only`): no POST is allowed anywhere.
    let appends: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var apiError = APIError.from(error)
            // The route table is walked only for the two answers that need it.
            var allowed: [HTTPRequest.Method] = []
            switch apiError {
            case .notFound where error is HTTPError:
                // A known path asked with a method it does not take: 405, not "no such resource".
                allowed = allowedMethods(request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    apiError = .methodNotAllowed("\(request.method) is not allowed on \(request.uri.path); allowed: \(allowed.map(\.rawValue).joined(separator: ", "))")
                }
            case .methodNotAllowed: allowed = allowedMethods(request.uri.path)
            default: break
            }
            if apiError.status.code >= 500, apiError.retryAfter == nil {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            }
            response = Self.isPage(request.uri.path) ? HTMLPage.errorResponse(apiError) : try apiError.response(from: request, context: context)
            if case .methodNotAllowed = apiError { response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ") }
        }
        Self.addSecurityHeaders(&response)
        metrics.recordRequest(status: response.status.code, seconds: (ContinuousClock.now - start).seconds)
        return response
    }

    /// The methods `path` takes on this service (POST only where it appends).
    func allowedMethods(_ path: String) -> [HTTPRequest.Method] {
        routes.methods(for: path).filter { appends || $0 != .post }
    }

    /// Every answer: no content sniffing (a statement's text must never run as script). Pages
    /// also get a policy that allows nothing but their own inline style: they use no script,
    /// frame, font or form, so an injected one would do nothing.
    static func addSecurityHeaders(_ response: inout Response) {
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        }
    }

    /// Web pages answer errors as HTML; the API, tiles and feeds as JSON.
    static func isPage(_ path: String) -> Bool {
        path == "/" || path.hasPrefix("/platforms/") || path.hasPrefix("/entries/") || path == "/compare" || path == "/search"
            || path.hasPrefix("/documents/")
    }
}
