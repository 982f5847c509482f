import Foundation
import LedgerCore

/// How pages link this site's own paths while a static publication renders them. The service
/// links its routes as they are (`/compare?recipient=governments`); a static directory has no
/// queries, so each page it holds is linked as its file (`/compare/recipients/governments.html`,
/// docs/FORMAT.md §22) and a link to what only a service answers (search, the JSON API, pages
/// past the first) is left as plain text. `StaticSite` sets it around each render; the pages a
/// render links that are written only when linked (recipient views, document diffs) are noted.
final class StaticLinks: @unchecked Sendable {
    @TaskLocal static var current: StaticLinks?

    /// A page written only because a page links it.
    enum OnDemand: Hashable {
        case recipient(String)
        case diff(from: Int64, to: Int64)
    }

    // One render at a time uses a StaticLinks (the publisher's thread).
    private(set) var wanted: [OnDemand] = []
    private var seen: Set<OnDemand> = []

    /// `path` (one of this site's own, as the service spells it) as the static file's path, or
    /// nil if no file answers it.
    func href(_ path: String) -> String? {
        let parts = path.split(separator: "?", maxSplits: 1)
        let route = parts.first.map(String.init) ?? ""
        let query = parts.count == 2 ? Self.parameters(String(parts[1])) : [:]
        let segments = route.split(separator: "/").map(String.init)
        switch (segments.first, segments.count, query.isEmpty) {
        case (nil, 0, true): return "/"
        case ("compare"?, 1, true): return "/compare.html"
        case ("compare"?, 1, false):
            guard query.count == 1, let recipient = query["recipient"], Slug.isValid(recipient) else { return nil }
            want(.recipient(recipient))
            return "/compare/recipients/\(recipient).html"
        case ("platforms"?, 2, true): return "/platforms/\(segments[1]).html"
        case ("platforms"?, 3, true) where segments[2] == "documents": return "/platforms/\(segments[1])/documents.html"
        case ("platforms"?, 4, _) where segments[2] == "history":
            guard let year = PlatformPage.year(in: segments[3]) else { return nil }
            switch query.count == 1 ? query["part"].flatMap(Int.init) : query.isEmpty ? 1 : nil {
            case 1?: return "/platforms/\(segments[1])/history/\(year).html"
            case let part? where part > 1: return "/platforms/\(segments[1])/history/\(year)-\(part).html"
            default: return nil
            }
        case ("documents"?, 2, false) where segments[1] == "diff":
            guard query.count == 2, let from = query["from"].flatMap(Int64.init), let to = query["to"].flatMap(Int64.init) else { return nil }
            want(.diff(from: from, to: to))
            return "/documents/diff/\(from)-\(to).html"
        case ("entries"?, 2, true): return Int64(segments[1]) == nil ? nil : "/entries/\(segments[1]).html"
        case ("feeds"?, _, true): return route
        case ("v1"?, 2, true) where segments[1] == "checkpoint": return "/checkpoint"
        default: return nil
        }
    }

    private func want(_ page: OnDemand) {
        if seen.insert(page).inserted { wanted.append(page) }
    }

    /// Takes the pages wanted so far, emptying the list (pages already taken are not wanted again).
    func takeWanted() -> [OnDemand] {
        defer { wanted = [] }
        return wanted
    }

    private static func parameters(_ query: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if kv.count == 2 { out[kv[0]] = kv[1].removingPercentEncoding ?? kv[1] }
        }
        return out
    }
}
