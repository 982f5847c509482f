import Foundation
import LedgerCompare
import LedgerCore
import LedgerStorage

/// The web pages and feeds of a static publication (docs/FORMAT.md §22): the pages the service
/// shows (`SitePages`), linked as files (`StaticLinks`), written through the publisher's
/// `write`, which leaves a file whose bytes are unchanged alone. Entry pages prove inclusion in
/// the first checkpoint that holds the entry, so an entry's page changes only when what it
/// shows does.
struct StaticSite {
    let pages: SitePages
    var store: LedgerStore { pages.store }

    /// Writes the pages of the tree of `size` entries that may differ from those of `previous`
    /// (`withheld`: the seqs withheld by notices since `previous`):
    /// `/` and `/compare`; the page, documents page and feeds of each platform with new
    /// statements, withholdings or answers; the pages of new entries, and of older ones
    /// withheld or answered since or given a mark by an entry since (`remarked`); then the
    /// recipient views and document diffs those pages link. Returns the number of files written.
    /// Cost: one history per platform with a page to write, one render per page. Memory: one
    /// platform's history at a time (entry pages are written platform by platform), and the seqs
    /// of the entries to render.
    func publish(size: Int64, previous: Int64, withheld: [Int64], asOf: CalendarDate, write: (String, String) throws -> Bool) throws -> Int {
        let links = StaticLinks()
        return try StaticLinks.$current.withValue(links) {
            var written = 0
            func emit(_ path: String, _ text: String?) throws {
                if let text, try write(path, text) { written += 1 }
            }
            let comparison = try pages.comparison(asOf: asOf)
            try emit("index.html", try pages.index(comparison))
            try emit("compare.html", pages.compare(comparison))
            let answered = try store.links(limit: Int(size - previous)).filter { $0.seq >= previous }.map(\.target)
            var entries = try entriesByPlatform(Set(withheld + answered).filter { $0 < previous }, plus: previous..<size)
            let changed = try changedPlatforms(since: previous, touching: Set(entries.keys.compactMap { $0 }))
            var proofSizes: (from: Int64, size: Int64)?
            for platform in changed.union(entries.keys.compactMap { $0 }).sorted() {
                let history = try pages.history(platform: platform)
                if changed.contains(platform) {
                    try emit("platforms/\(platform).html", try pages.platform(platform, before: nil, whole: history))
                    try emit("platforms/\(platform)/documents.html", try pages.documents(platform: platform, after: nil))
                    try emit("feeds/\(platform).atom", try pages.feed(platform: platform))
                    try emit("feeds/documents/\(platform).atom", try pages.documentsFeed(platform: platform))
                }
                let seqs = Set(entries.removeValue(forKey: platform) ?? []).union(remarked(history, since: previous, anyWithheld: !withheld.isEmpty))
                let years = try history.map { yearPages($0, touching: seqs, since: previous) } ?? listYearPages(platform, touching: seqs, since: previous)
                for (year, from, count) in years {
                    for part in from...PlatformPage.yearParts(count) {
                        try emit(Self.yearPath(platform, year, part: part), try pages.year(platform, year, part: part, whole: history, count: count))
                    }
                }
                for seq in seqs.sorted() {
                    try emit("entries/\(seq).html", try entryPage(seq, history: history, proofSizes: &proofSizes))
                }
            }
            for seq in entries.removeValue(forKey: nil) ?? [] {
                try emit("entries/\(seq).html", try entryPage(seq, history: nil, proofSizes: &proofSizes))
            }
            // Pages written only because a page links them; they may link more.
            while case let wanted = links.takeWanted(), !wanted.isEmpty {
                for page in wanted {
                    switch page {
                    case .recipient(let r): try emit("compare/recipients/\(r).html", try pages.recipient(r, asOf: asOf))
                    case .diff(let from, let to): try emit("documents/diff/\(from)-\(to).html", try pages.documentDiff(from: from, to: to))
                    }
                }
            }
            return written
        }
    }

    /// The seqs of `older` and of `range`, by platform (nil: entries without one), in seq order.
    /// One scan of `range` and one read per older seq.
    private func entriesByPlatform(_ older: Set<Int64>, plus range: Range<Int64>) throws -> [String?: [Int64]] {
        var out: [String?: [Int64]] = [:]
        for seq in older.sorted() { out[try store.entry(seq: seq).platform, default: []].append(seq) }
        if !range.isEmpty {
            try store.forEachEntry(from: range.lowerBound, to: range.upperBound - 1) { out[$0.platform, default: []].append($0.seq) }
        }
        return out
    }

    /// The year pages of `history` that may differ since `previous`: per year, the first part
    /// that may and the year's number of statements. Every part on a first publication; else, in each year,
    /// from the part of the earliest event touched (new entries and older ones withheld,
    /// answered or remarked, and the next claim in the category of each new one, whose changes
    /// are measured against the claim before it) to the last, as an event inserted into a year
    /// moves the ones after it. Appends at the end of a year rewrite its last part only, unless
    /// they add a part: each part names how many there are, so then every part is rewritten.
    private func yearPages(_ history: History, touching touched: Set<Int64>, since previous: Int64) -> [(year: Int, from: Int, count: Int)] {
        let size = PlatformPage.yearPageSize
        var counts: [Int: Int] = [:], before: [Int: Int] = [:]
        var first: [Int: Int] = [:]
        var waiting: Set<String> = []
        for e in history.events {
            let year = Int(e.claim.effectiveDate.prefix(4)) ?? 0
            let part = counts[year, default: 0] / size
            counts[year, default: 0] += 1
            if e.claim.seq < previous { before[year, default: 0] += 1 }
            let successor = waiting.remove(e.claim.category) != nil
            if previous == 0 || touched.contains(e.claim.seq) || successor { first[year] = min(first[year] ?? part, part) }
            if e.claim.seq >= previous { waiting.insert(e.claim.category) }
        }
        return first.keys.sorted().map { year in
            let count = counts[year] ?? 0
            let samePartCount = PlatformPage.yearParts(count) == PlatformPage.yearParts(before[year] ?? 0)
            return (year: year, from: samePartCount ? (first[year] ?? 0) + 1 : 1, count: count)
        }
    }

    /// The year pages of a platform past the history limit (plain lists, no marks or changes)
    /// that may differ since `previous`: every part of the years of `touched` (new entries and
    /// older ones withheld or answered), every year on a first publication, with each year's
    /// number of statements. One read of each touched entry.
    private func listYearPages(_ platform: String, touching touched: Set<Int64>, since previous: Int64) throws -> [(year: Int, from: Int, count: Int)] {
        var years: Set<Int>?
        if previous > 0 {
            years = Set(try touched.compactMap { seq in try store.entry(seq: seq).effectiveDate.flatMap { Int($0.prefix(4)) } })
        }
        return try store.statementYears(platform: platform).filter { years?.contains($0.year) ?? true }
            .map { (year: $0.year, from: 1, count: $0.count) }
    }

    /// A year page's file: `platforms/P/history/YYYY.html`, further parts `YYYY-N.html`.
    static func yearPath(_ platform: String, _ year: Int, part: Int) -> String {
        "platforms/\(platform)/history/\(year)" + (part == 1 ? "" : "-\(part)") + ".html"
    }

    /// The older statements of `history` whose marks may have changed since `previous`: those
    /// with a mark involving an entry since (marks come from later statements and archived
    /// versions); after a withholding, which can take marks away, all of them.
    private func remarked(_ history: History?, since previous: Int64, anyWithheld: Bool) -> [Int64] {
        let older = history?.events.filter { $0.claim.seq < previous } ?? []
        if anyWithheld { return older.map(\.claim.seq) }
        return older.filter { $0.marks.contains { $0.seqs.contains { $0 >= previous } } }.map(\.claim.seq)
    }

    /// Platforms whose pages may have changed since `previous`: every one on a first
    /// publication; else those with a statement at or after it, and `touched`.
    private func changedPlatforms(since previous: Int64, touching touched: Set<String>) throws -> Set<String> {
        var platforms = touched
        for summary in try store.platformSummaries() where previous == 0 || summary.latestSeq >= previous {
            platforms.insert(summary.platform)
        }
        return platforms
    }

    /// Entry `seq`'s page, proving inclusion in the first checkpoint that holds it (`proofSizes`
    /// keeps the last one found: entries in seq order share it); a statement's marks from its
    /// platform's `history` (nil: beyond the history limit, or no platform).
    private func entryPage(_ seq: Int64, history: History?, proofSizes: inout (from: Int64, size: Int64)?) throws -> String {
        if proofSizes.map({ !($0.from...$0.size - 1).contains(seq) }) ?? true {
            guard let size = try store.snapshot({ try $0.firstCheckpointSize(after: seq) }) else {
                throw PublishError.missing("a checkpoint holding entry \(seq)")
            }
            proofSizes = (seq, size)
        }
        return try pages.entry(seq: seq, proofSize: proofSizes?.size, history: .some(history))
    }
}
