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

    /// Writes the pages of the tree of `size` entries that may differ from those of `previous`:
    /// `/` and `/compare`; the page, documents page and feeds of each platform with new
    /// statements, withholdings or answers; the pages of new entries, and of older ones
    /// withheld or answered since or given a mark by an entry since (`remarked`); then the
    /// recipient views and document diffs those pages link. Returns the number of files written.
    /// Cost: one history per changed platform, one render per page; new entries are rendered in
    /// seq order, holding one at a time.
    func publish(size: Int64, previous: Int64, asOf: CalendarDate, write: (String, String) throws -> Bool) throws -> Int {
        let links = StaticLinks()
        return try StaticLinks.$current.withValue(links) {
            var written = 0
            func emit(_ path: String, _ text: String?) throws {
                if let text, try write(path, text) { written += 1 }
            }
            let comparison = try pages.comparison(asOf: asOf)
            try emit("index.html", try pages.index(comparison))
            try emit("compare.html", pages.compare(comparison))
            let withheld = try store.snapshot { try $0.withheldSeqs(noticesFrom: previous) }
            let answered = try store.links(limit: Int(size - previous)).filter { $0.seq >= previous }.map(\.target)
            var older = Set(withheld + answered).filter { $0 < previous }
            var histories: [String: History?] = [:]
            for platform in try changedPlatforms(since: previous, touching: older) {
                let history = try pages.history(platform: platform)
                histories[platform] = .some(history)
                try emit("platforms/\(platform).html", try pages.platform(platform, before: nil, history: .some(history)))
                try emit("platforms/\(platform)/documents.html", try pages.documents(platform: platform, after: nil))
                try emit("feeds/\(platform).atom", try pages.feed(platform: platform))
                try emit("feeds/documents/\(platform).atom", try pages.documentsFeed(platform: platform))
                older.formUnion(remarked(history, since: previous, anyWithheld: !withheld.isEmpty))
            }
            var proofSizes: (from: Int64, size: Int64)?
            for seq in older.sorted() { try emit("entries/\(seq).html", try entryPage(seq, histories: &histories, proofSizes: &proofSizes)) }
            for seq in previous..<size { try emit("entries/\(seq).html", try entryPage(seq, histories: &histories, proofSizes: &proofSizes)) }
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

    /// The older statements of `history` whose marks may have changed since `previous`: those
    /// with a mark involving an entry since (marks come from later statements and archived
    /// versions); after a withholding, which can take marks away, all of them.
    private func remarked(_ history: History?, since previous: Int64, anyWithheld: Bool) -> [Int64] {
        let older = history?.events.filter { $0.claim.seq < previous } ?? []
        if anyWithheld { return older.map(\.claim.seq) }
        return older.filter { $0.marks.contains { $0.seqs.contains { $0 >= previous } } }.map(\.claim.seq)
    }

    /// Platforms whose pages may have changed since `previous`: every one on a first
    /// publication; else those with a statement at or after it, and those of `seqs`.
    private func changedPlatforms(since previous: Int64, touching seqs: Set<Int64>) throws -> [String] {
        var platforms = Set(try seqs.compactMap { try store.entry(seq: $0).platform })
        for summary in try store.platformSummaries() where previous == 0 || summary.latestSeq >= previous {
            platforms.insert(summary.platform)
        }
        return platforms.sorted()
    }

    /// Entry `seq`'s page, proving inclusion in the first checkpoint that holds it (`proofSizes`
    /// keeps the last one found: entries in seq order share it); a statement's marks from its
    /// platform's history, read once per platform into `histories`.
    private func entryPage(_ seq: Int64, histories: inout [String: History?], proofSizes: inout (from: Int64, size: Int64)?) throws -> String {
        let entry = try store.entry(seq: seq)
        var history: History??
        if let platform = entry.platform {
            if histories[platform] == nil { histories[platform] = .some(try pages.history(platform: platform)) }
            history = histories[platform]
        }
        if proofSizes.map({ !($0.from...$0.size - 1).contains(seq) }) ?? true {
            guard let size = try store.snapshot({ try $0.firstCheckpointSize(after: seq) }) else {
                throw PublishError.missing("a checkpoint holding entry \(seq)")
            }
            proofSizes = (seq, size)
        }
        return try pages.entry(entry, proofSize: proofSizes?.size, history: history)
    }
}
