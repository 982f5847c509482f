import Foundation
import Synchronization
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `ledger publish DIR`: everything a reader or a mirror needs as static files, for any web
/// server, object store or CDN (docs/FORMAT.md §22): the C2SP tlog-tiles (Merkle tiles and entry
/// bundles), body bundles, every signed checkpoint, and the latest checkpoint with its
/// cosignatures. Incremental: a full tile or bundle, once written, never changes and is not
/// written again; partial ones are written for the new size; body bundles holding a body
/// withheld since are written again without it.
///
/// Crash safety, in the order the writes land: every file is written to a temporary name in its
/// directory and renamed over the old one; `checkpoint` is written last. A crash at any point
/// leaves `checkpoint` naming a tree whose every file is present (files of a larger tree may be
/// present too, and are simply not yet named).
public struct StaticPublisher: Sendable {
    public let store: LedgerStore
    public let dir: String
    /// Where `dir` is served (`https://host/path`, no trailing slash), for the absolute links of
    /// the feeds; with it the web pages and feeds are published too (`StaticSite`), without it not.
    public let publicURL: String?

    /// Merkle hashes kept for the entry pages' proofs: a publication renders entries platform
    /// by platform, far apart in the tree, so a larger cache mostly holds memory (a first
    /// publication with pages of 201,001 entries peaked at 209 MiB with the service's 2^20,
    /// 170 MiB with this).
    static let hashCacheCapacity = 1 << 16

    /// Directories this publisher has made or found, so each file costs no directory check.
    private let made = MadeDirectories()
    private final class MadeDirectories: Sendable {
        let directories = Mutex<Set<String>>([])
    }

    public init(store: LedgerStore, dir: String, publicURL: String? = nil) {
        self.store = store
        self.dir = dir
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    public struct Report: Sendable, Equatable {
        public var previousSize: Int64 = 0
        public var size: Int64 = 0
        public var filesWritten = 0
    }

    /// Publishes the latest checkpoint. The size already published is read from `DIR/checkpoint`
    /// (0 if none); a directory holding a larger tree, or another log's, is refused. Reads the
    /// tiles and bodies of the new entries and writes at most one file per changed tile or bundle.
    public func publish() throws -> Report {
        // The checkpoint is read first: every tile and body it covers is already stored.
        let note = try store.latestCosignedCheckpoint()
        let checkpoint = try Checkpoint.parse(text: try SignedNote.parse(note).text)
        var report = Report(previousSize: try publishedSize(), size: checkpoint.size)
        guard report.previousSize <= checkpoint.size else {
            throw PublishError.aheadOfLedger(dir: dir, published: report.previousSize, ledger: checkpoint.size)
        }
        let reader = TileReader(store: store)
        for tile in TileReader.tiles(forTreeSize: checkpoint.size) {
            let path = "\(dir)/\(tile.path)"
            if tile.width == Int(TilePath.width), FileManager.default.fileExists(atPath: path) { continue }
            guard let bytes = try reader.contents(tile, treeSize: checkpoint.size) else {
                throw PublishError.missing("tile \(tile.path) of a tree of \(checkpoint.size) entries; run ledger-verify")
            }
            try write(bytes, to: path)
            report.filesWritten += 1
        }
        // Bodies withheld since the last publication: their bundles and pages are written again.
        let withheld = try store.snapshot { try $0.withheldSeqs(noticesFrom: report.previousSize) }
        report.filesWritten += try publishBodies(size: checkpoint.size, withheld: withheld)
        report.filesWritten += try publishCheckpoints(size: checkpoint.size, previous: report.previousSize)
        if let publicURL {
            // The pages show the ledger as it is now, which may be ahead of `checkpoint` by the
            // appends made meanwhile; the next publication catches up.
            let pages = SitePages(store: store, origin: store.origin, base: publicURL, historyLimit: LedgerBackend.defaultHistoryLimit, hashCache: HashCache(capacity: Self.hashCacheCapacity))
            report.filesWritten += try StaticSite(pages: pages).publish(size: checkpoint.size, previous: report.previousSize, withheld: withheld,
                                                                         asOf: Timestamp.now().date) { path, text in
                try writeIfChanged(Array(text.utf8), to: "\(dir)/\(path)")
            }
        }
        try write(Array(note.utf8), to: "\(dir)/checkpoint")
        report.filesWritten += 1
        return report
    }

    /// The signed checkpoints of sizes `previous ... size` as `checkpoints/<size>`, and the
    /// listings of their sizes that changed (or are missing, in a directory an older version
    /// published): one listing's range of checkpoints in memory at a time.
    private func publishCheckpoints(size: Int64, previous: Int64) throws -> Int {
        var written = 0
        for n in 0...(size / StaticLayout.sizesSpan) {
            let first = n * StaticLayout.sizesSpan
            let listing = "\(dir)/\(StaticLayout.sizesPath(n))"
            if first + StaticLayout.sizesSpan <= previous, FileManager.default.fileExists(atPath: listing) { continue }
            let rows = try store.checkpoints(from: first, to: min(size, first + StaticLayout.sizesSpan - 1), limit: Int.max)
            for (at, signed) in rows where at >= previous {
                let path = "\(dir)/\(StaticLayout.checkpointPath(size: at))"
                guard !FileManager.default.fileExists(atPath: path) else { continue }
                try write(Array(signed.utf8), to: path)
                written += 1
            }
            try write(StaticLayout.listing(rows.map(\.size)), to: listing)
            written += 1
        }
        return written
    }

    /// Body bundles: new full ones, the partial one at `size`, and full ones holding a seq of
    /// `withheld` (bodies withheld since the last publication).
    private func publishBodies(size: Int64, withheld: [Int64]) throws -> Int {
        let width = TilePath.width
        let rewrite = Set(withheld.map { $0 / width })
        var written = 0
        var index: Int64 = 0
        while index * width < size {
            let count = Int(min(width, size - index * width))
            let path = "\(dir)/\(StaticLayout.bodiesPath(index: index, width: count))"
            if rewrite.contains(index) {
                // Older partial copies of this bundle still hold the withheld body.
                try? FileManager.default.removeItem(atPath: "\(dir)/\(StaticLayout.bodiesPath(index: index, width: Int(width))).p")
            }
            if count < Int(width) || rewrite.contains(index) || !FileManager.default.fileExists(atPath: path) {
                try write(EntryBundle.bodyBundle(try store.bodies(from: index * width, count: count)), to: path)
                written += 1
            }
            index += 1
        }
        return written
    }

    /// The size of `DIR/checkpoint`, if it is a checkpoint of this log; 0 if there is none.
    private func publishedSize() throws -> Int64 {
        guard let bytes = FileManager.default.contents(atPath: "\(dir)/checkpoint") else { return 0 }
        do { return try Checkpoint.open([UInt8](bytes), logKey: store.logKey).checkpoint.size } catch {
            throw PublishError.foreign(dir: dir, reason: "\(error)")
        }
    }

    /// `write`, unless the file already holds exactly `bytes`; true if it wrote.
    private func writeIfChanged(_ bytes: [UInt8], to path: String) throws -> Bool {
        if let existing = FileManager.default.contents(atPath: path), existing.elementsEqual(bytes) { return false }
        try write(bytes, to: path)
        return true
    }

    /// Writes through a temporary name in the same directory, then renames: a reader sees the
    /// old file or the new one, never part of one. Files are 0644 and directories 0755, for the
    /// web server's user to read. No fsync (docs/FORMAT.md §22): after a power loss, publish again.
    private func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        do {
            try makeDirectory(for: path)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw PublishError.cannotWrite(path: temporary, reason: String(cString: strerror(errno))) }
            let failure: String? = bytes.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count, let base = buffer.baseAddress {
                    let n = Foundation.write(fd, base + done, buffer.count - done)
                    guard n > 0 else { return String(cString: strerror(errno)) }
                    done += n
                }
                return nil
            }
            if let failure {
                close(fd)
                throw PublishError.cannotWrite(path: temporary, reason: failure)
            }
            guard close(fd) == 0 else { throw PublishError.cannotWrite(path: temporary, reason: String(cString: strerror(errno))) }
            guard rename(temporary, path) == 0 else {
                throw PublishError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Creates the directory `path` goes in, and its parents, 0755, unless this run made it already.
    private func makeDirectory(for path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !made.directories.withLock({ $0.contains(directory) }) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        } catch {
            throw PublishError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        made.directories.withLock { _ = $0.insert(directory) }
    }
}

/// Why a publication stopped. Nothing already published is removed.
public enum PublishError: KindedError, Equatable, CustomStringConvertible {
    case aheadOfLedger(dir: String, published: Int64, ledger: Int64)
    case foreign(dir: String, reason: String)
    case missing(String)
    case cannotWrite(path: String, reason: String)

    public var kind: FailureKind {
        switch self {
        case .aheadOfLedger, .foreign: return .caller
        case .missing: return .integrity
        case .cannotWrite: return .local
        }
    }

    public var description: String {
        switch self {
        case .aheadOfLedger(let d, let p, let l): return "\(d) holds a tree of \(p) entries, this ledger \(l): publish into another directory"
        case .foreign(let d, let why): return "\(d)/checkpoint is not a checkpoint of this log (\(why)): publish into another directory"
        case .missing(let what): return "missing \(what)"
        case .cannotWrite(let p, let why): return "cannot write \(p): \(why)"
        }
    }
}
