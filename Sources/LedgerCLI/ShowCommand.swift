import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerQuery
import LedgerStorage

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one entry as a card a reader can follow (--json: as GET /v1/entries/SEQ gives it).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's seq.")
    var seq: Int64

    @Flag(help: "One JSON object: seq, leaf_hash, leaf and body (null when withheld), as stored.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            let e = try store.entry(seq: seq)
            var out = Output()
            if json {
                out.text(CanonicalJSON.string(EntryJSON.entry(e)) + "\n")
            } else {
                let archived = try e.body.flatMap { try? Body(stored: $0) }?.statement.flatMap { s in
                    try store.archivedPageRows(contentSHA256s: [s.source.sha256])[s.source.sha256]?.seq
                }
                out.text(ShowCard.text(e, archivedSource: archived))
            }
            try out.flush()
        }
    }
}

/// `ledger show`'s card: the entry's place in the log, then what its body says in words.
enum ShowCard {
    /// `archivedSource`: the archived page a statement's source names, if the ledger holds it.
    static func text(_ e: StoredEntry, archivedSource: Int64? = nil) -> String {
        var lines = ["seq \(e.seq)  \(e.kind)  signed by \(e.signer)  \(e.time)", "leaf hash: \(MerkleHash.leaf(e.leaf).hex)"]
        guard let bytes = e.body, let body = try? Body(stored: bytes) else {
            lines.append("body withheld by a signed notice; its digest, signature and proofs remain")
            return lines.joined(separator: "\n") + "\n"
        }
        switch body.document {
        case .statement(let s):
            lines.append("\(s.platform)" + (s.products.isEmpty ? "" : " (for \(s.products.joined(separator: ", ")))")
                         + ", \(s.category.rawValue), published \(s.published)" + (s.takesEffect.map { ", takes effect \($0)" } ?? ""))
            if let summary = s.summary { lines.append(summary) }
            lines += Words.lines(s).map { "  " + $0 }
            if let speaker = s.speaker { lines.append("said by: \(speaker)") }
            lines.append("quote (\(s.language)): \u{201C}\(s.quote)\u{201D}")
            lines.append("source: " + (s.source.url ?? s.source.title ?? "") + ", retrieved \(s.source.retrievedAt.secondsText), archived copy SHA-256 \(s.source.sha256.hex)")
            if let seq = archivedSource { lines.append("archived in this ledger at seq \(seq) (ledger source show \(seq) --text); the quote is checked against it") }
            if let sup = s.supersedes { lines.append("\(sup.kind.rawValue) of seq \(sup.seq)") }
        case .response(let r):
            lines.append("\(r.stance.rawValue) of seq \(r.targetSeq): \(r.reason)")
            lines.append("source: " + (r.source.url ?? r.source.title ?? "") + ", archived copy SHA-256 \(r.source.sha256.hex)")
        case .signer(let ev):
            lines.append("\(ev.action.rawValue) signer \(ev.name)")
        case .withhold(let w):
            lines.append("withholds the body of seq \(w.seq): \(w.reason)")
        case .archive(let d):
            lines.append("\(d.platform) \(d.type.rawValue), \(d.mediaType.rawValue), \(d.content.count) bytes, SHA-256 \(d.contentSHA256.hex)")
            lines.append(d.capture.provenance(url: d.url, at: d.retrievedAt.secondsText))
            lines.append("text: \(d.text.unicodeScalars.count) characters (`ledger source show \(e.seq) --text` prints it)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
