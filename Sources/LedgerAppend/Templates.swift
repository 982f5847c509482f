import LedgerCore
import LedgerStorage

/// The templates `ledger statement new` prints, and the check that their placeholder text was
/// replaced before a document is submitted (`Submission`).
public enum Templates {
    public static func statement(platform: String, category: String) -> String {
        """
        {
          "schema": "disclosure-statement/v2",
          "platform": "\(platform)",
          "category": "\(category)",
          "summary": "One sentence in your words: what the platform says it hands over, to whom.",
          "speaker": "Who said it, e.g. the platform's press office",
          "figures": [
            { "measure": "requests-received", "count": 0, "period": { "start": "2024-01-01", "end": "2024-06-30" },
              "jurisdiction": "worldwide", "requester": "governments" },
            { "measure": "requests-with-data-produced", "share_bp": 0, "period": { "start": "2024-01-01", "end": "2024-06-30" },
              "jurisdiction": "worldwide", "requester": "governments" }
          ],
          "assertions": [
            { "polarity": "may", "action": "disclose", "recipient": "law-enforcement", "data_kinds": ["ip-address", "phone-number"],
              "condition": "When it happens, in the source's words" }
          ],
          "published": "\(Timestamp.now().date)",
          "source": {
            "url": "https://example.org/transparency-report",
            "retrieved_at": "\(Timestamp.now().secondsText)",
            "sha256": "\(String(repeating: "0", count: 64))",
            "title": "Title of the source document",
            "archive_url": "https://web.archive.org/web/2024/https://example.org/transparency-report"
          },
          "quote": "The exact words of the source, in its language.",
          "language": "en"
        }

        """
    }

    /// The field of `body` that still holds placeholder text of a template above, if any.
    static func placeholder(in body: Body) -> String? {
        switch body.document {
        case .statement(let s):
            let fields: [(String, String?, String)] = [
                ("summary", s.summary, "One sentence in your words: what the platform says it hands over, to whom."),
                ("speaker", s.speaker, "Who said it, e.g. the platform's press office"),
                ("assertions[].condition", s.assertions.lazy.compactMap(\.condition).first { $0 == "When it happens, in the source's words" }, "When it happens, in the source's words"),
                ("quote", s.quote, "The exact words of the source, in its language."),
                ("source.url", s.source.url, "https://example.org/transparency-report"),
                ("source.title", s.source.title, "Title of the source document"),
            ]
            return fields.first { $0.1 == $0.2 }?.0
        case .response(let r):
            if r.reason == "Why you endorse or dispute the statement (ledger show SEQ prints its leaf hash)." { return "reason" }
            return r.source.url == "https://example.org/evidence" ? "source.url" : nil
        case .signer, .withhold, .archive:
            return nil
        }
    }

    public static let response = """
        {
          "schema": "disclosure-response/v1",
          "target": { "seq": 1, "leaf_hash": "\(String(repeating: "0", count: 64))" },
          "stance": "dispute",
          "reason": "Why you endorse or dispute the statement (ledger show SEQ prints its leaf hash).",
          "source": {
            "url": "https://example.org/evidence",
            "retrieved_at": "\(Timestamp.now().secondsText)",
            "sha256": "\(String(repeating: "0", count: 64))"
          },
          "language": "en"
        }

        """
}
