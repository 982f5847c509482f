import ArgumentParser
import LedgerCore
import LedgerStorage

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List entries, one line each.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only statements about this platform.")
    var platform: String?

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            var out = Output()
            out.line(["SEQ", "TIME", "KIND", "SIGNER", "PLATFORM", "CATEGORY", "EFFECTIVE", "SUMMARY"].joined(separator: "\t"))
            try store.forEachEntry(platform: platform) { e in
                out.line([String(e.seq), e.time, e.kind, e.signer, e.platform ?? "-", e.category ?? "-", e.effectiveDate ?? "-",
                          EntrySummary.line(e)].joined(separator: "\t"))
            }
            out.flush()
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
        }
    }

    static func clip(_ s: String, _ n: Int = 80) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        return flat.count <= n ? flat : String(flat.prefix(n - 1)) + "…"
    }
}

import Foundation
