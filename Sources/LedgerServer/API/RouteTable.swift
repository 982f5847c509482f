import Hummingbird

/// Which methods the service answers on each path, from the router's own routes: a request with
/// another method on a known path gets 405 with `Allow` (RFC 9110 §15.5.6), not 404. HEAD is
/// answered wherever GET is (the router's `autoGenerateHeadEndpoints`).
struct RouteTable: Sendable {
    private let routes: [(path: [RouterPath.Element], method: HTTPRequest.Method)]

    init<Context>(_ descriptions: [Router<Context>.RouteDescription]) {
        routes = descriptions.map { ($0.path.components, $0.method) }
    }

    /// The methods some route takes at `path`, HEAD beside GET, in a fixed order; empty when no
    /// route has that path. Costs one walk over the routes (a few dozen).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var found = Set(routes.filter { Self.matches($0.path, segments) }.map(\.method.rawValue))
        if found.contains("GET") { found.insert("HEAD") }
        return ["GET", "HEAD", "POST"].filter(found.contains).compactMap(HTTPRequest.Method.init(_:))
    }

    private static func matches(_ pattern: [RouterPath.Element], _ segments: [Substring]) -> Bool {
        var i = 0
        for element in pattern {
            if element == .recursiveWildcard { return true }
            guard i < segments.count, element ~= segments[i] else { return false }
            i += 1
        }
        return i == segments.count
    }
}
