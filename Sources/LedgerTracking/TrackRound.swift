import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerText

/// One round of `ledger track run`: every tracked address fetched, and a new version appended
/// only when its text changed. A page that cannot be fetched or read is reported and skipped;
/// nothing is appended for it, and the round goes on.
public enum TrackRound {
    public enum Outcome: Sendable, Equatable {
        /// The text is the archived version's (`seq`): nothing appended.
        case unchanged(seq: Int64)
        /// A first version, appended at `seq`.
        case first(seq: Int64)
        /// A new version at `seq`; `since` the version before, with the words removed and added.
        case changed(seq: Int64, since: Int64, removed: Int, added: Int)
        case failed(TrackError)
    }

    /// Fetches and archives each of `pages` (in order), signing new versions as `signer` with
    /// `key`; `fetch` is `PageFetcher.fetch` in use. One transaction per new version.
    public static func run(_ pages: [TrackedPage], store: LedgerStore, logKey: Ed25519PrivateKey, signer: String, key: Ed25519PrivateKey,
                           clock: () -> Timestamp, fetch: (String) -> Result<FetchedPage, TrackError>,
                           report: (TrackedPage, Outcome) -> Void) throws {
        for page in pages {
            report(page, try visit(page, store: store, logKey: logKey, signer: signer, key: key, clock: clock, fetch: fetch))
        }
    }

    static func visit(_ page: TrackedPage, store: LedgerStore, logKey: Ed25519PrivateKey, signer: String, key: Ed25519PrivateKey,
                      clock: () -> Timestamp, fetch: (String) -> Result<FetchedPage, TrackError>) throws -> Outcome {
        let fetched: FetchedPage
        switch fetch(page.url) {
        case .failure(let e): return .failed(e)
        case .success(let f): fetched = f
        }
        let text: String
        do { text = try TextExtraction.text(of: fetched.content, mediaType: fetched.mediaType, charset: fetched.charset) } catch {
            return .failed(.noText("\(error)"))
        }
        // The newest version with its text (a withheld one has none: the fetch counts as first).
        let latest = try store.latestArchivedPageRow(platform: page.platform, url: page.url).flatMap { row in
            try store.archivedPage(seq: row.seq).map { (seq: row.seq, text: $0.text) }
        }
        if let latest, latest.text == text { return .unchanged(seq: latest.seq) }
        // The address tracked, not the one redirected to: versions of one page stay together.
        let now = Timestamp(millis: clock().wholeSeconds * 1000)
        let document = ArchivedDocument(platform: page.platform, type: page.documentType, url: page.url, retrievedAt: now,
                                        mediaType: fetched.mediaType, content: fetched.content, text: text)
        let body: Body
        do { body = try Body(value: document.json) } catch { return .failed(.noText("the page cannot be archived: \(error)")) }
        let appended = try store.append([try PendingEntry.sign(body, origin: .generated("track \(page.url)"), signer: signer, key: key)], logKey: logKey)[0]
        guard let latest else { return .first(seq: appended.seq) }
        let counts = TextDiff(from: latest.text, to: text).counts
        return .changed(seq: appended.seq, since: latest.seq, removed: counts.removed, added: counts.added)
    }
}
