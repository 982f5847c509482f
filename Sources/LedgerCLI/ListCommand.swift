import ArgumentParser
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerQuery
import LedgerStorage

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List entries, one line each (tab-separated), optionally filtered.",
        discussion: "Filters combine with AND. Date filters apply to statements' publication dates. With --json, one JSON object per line (JSON Lines), each entry as GET /v1/entries/SEQ gives it.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only statements about this platform.")
    var platform: String?

    @Option(help: "Only statements of this category.")
    var category: String?

    @Option(help: "Only entries signed by this signer ('log' for the log key).")
    var signer: String?

    @Option(name: .customLong("from-date"), help: "Only statements published on or after this date (YYYY-MM-DD).")
    var fromDate: String?

    @Option(name: .customLong("to-date"), help: "Only statements published on or before this date (YYYY-MM-DD).")
    var toDate: String?

    @Option(name: .customLong("statement-hash"), help: "Only the statement whose canonical body has this SHA-256 (64 hex digits).")
    var statementHash: String?

    @Flag(help: "JSON Lines: each entry as GET /v1/entries/SEQ gives it, with its leaf and body.")
    var json = false

    /// The filters as the one entry query of LedgerStorage (paged by `run`).
    func filter() throws -> EntryQuery {
        var f = EntryQuery(limit: 1000)
        f.platform = try platform.map(QueryOptions.platform)
        f.category = try QueryOptions.category(category)?.rawValue
        if let signer {
            guard SignerName.isValid(signer) else { throw CLIError.usage("--signer: '\(signer)' is not a signer name") }
            f.signer = signer
        }
        let from = try QueryOptions.date(fromDate, option: "--from-date")
        let to = try QueryOptions.date(toDate, option: "--to-date")
        if let from, let to, to < from { throw CLIError.usage("--to-date \(to) is before --from-date \(from)") }
        f.fromDate = from?.description
        f.toDate = to?.description
        if let h = statementHash {
            guard Hex.isLowercaseDigest(h.lowercased()), let d = Digest(hex: h.lowercased()) else {
                throw CLIError.usage("--statement-hash: must be the 64 hex digits of a statement's SHA-256 (body_sha256)")
            }
            f.bodySHA256 = d
            f.kind = EntryKind.statement.rawValue
        }
        return f
    }

    func run() throws {
        try runReportingErrors {
            var query = try filter()
            let store = try LedgerStore(path: global.ledger, readonly: true)
            var out = Output()
            if !json { out.line(["SEQ", "TIME", "KIND", "SIGNER", "PLATFORM", "CATEGORY", "PUBLISHED", "SUMMARY"].joined(separator: "\t")) }
            // A page at a time, written as it comes: memory stays that of one page.
            while true {
                let page = try store.entries(matching: query)
                for e in page {
                    if json {
                        out.line(CanonicalJSON.string(EntryJSON.entry(e)))
                    } else {
                        out.line([String(e.seq), e.time, e.kind, e.signer, e.platform ?? "-", e.category ?? "-", e.effectiveDate ?? "-",
                                  EntrySummary.line(e)].joined(separator: "\t"))
                    }
                }
                try out.flush()
                guard page.count == query.limit, let last = page.last else { break }
                query.from = last.seq + 1
            }
        }
    }
}

/// A one-line description of an entry for listings.
enum EntrySummary {
    static func line(_ e: StoredEntry) -> String {
        guard let bytes = e.body, let body = try? Body(stored: bytes) else { return "(body withheld)" }
        switch body.document {
        case .statement(let s): return clip(s.summary ?? s.quote)
        case .signer(let ev): return "\(ev.action.rawValue) signer \(ev.name)"
        case .withhold(let w): return "withhold seq \(w.seq): \(clip(w.reason))"
        case .response(let r): return "\(r.stance.rawValue) of seq \(r.targetSeq): \(clip(r.reason))"
        case .archive(let d): return "\(d.platform) \(d.type.rawValue), \(d.capture.provenance(url: d.url, at: d.retrievedAt.secondsText))"
        }
    }

    static func clip(_ s: String, _ n: Int = 80) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        return flat.count <= n ? flat : String(flat.prefix(n - 1)) + "…"
    }
}

import Foundation
