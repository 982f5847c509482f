import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerStorage
import LedgerText

/// The shipped dataset's sources (`ledger/sources/*.txt`, docs/DATASET.md) as archived pages:
/// each file is an editor's text transcribed from a copy of the page, so each becomes a
/// `disclosure-document/v2` body with `capture` "transcribed". What the file is (platform,
/// document type) comes from `ledger/sources.json`; where the page was published and when the
/// copy was read come from the file's own header, the first lines of its signed content.
enum ShippedSources {
    /// One archived page per entry of `manifest`, in its order. Throws naming the file and the
    /// field when the manifest or a header is not as docs/DATASET.md describes.
    static func documents(manifest: String, sources: String) throws -> [(origin: EntryOrigin, document: ArchivedDocument)] {
        guard case .array(let items) = try JSONParser.parse(try readFile(manifest)) else {
            throw CLIError.input("\(manifest): must be a JSON array of {\"file\", \"platform\", \"document_type\"}")
        }
        return try items.enumerated().map { index, item in
            guard case .string(let file)? = item["file"], !file.contains("/"), case .string(let platform)? = item["platform"], Slug.isValid(platform),
                  case .string(let typeText)? = item["document_type"], let type = ArchivedDocument.DocumentType(rawValue: typeText) else {
                throw CLIError.input("\(manifest): item \(index + 1) needs \"file\" (a name in \(sources)), \"platform\" (a slug) and \"document_type\" (one of \(ArchivedDocument.DocumentType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let path = "\(sources)/\(file)"
            let content = try readFile(path)
            let (url, retrieved) = try header(of: content, path: path)
            let text = try TextExtraction.text(of: content, mediaType: .plain, charset: "utf-8")
            return (.file(path), ArchivedDocument(capture: .transcribed, platform: platform, type: type, url: url, retrievedAt: retrieved,
                                                  mediaType: .plain, content: content, text: text))
        }
    }

    /// The page's address (the `URL:` line's first word) and when the copy was read (the
    /// `Retrieved:` line's first word, a UTC time to the minute or the second).
    static func header(of content: [UInt8], path: String) throws -> (url: String, retrieved: Timestamp) {
        let lines = String(decoding: content.prefix(8192), as: UTF8.self).split(separator: "\n", maxSplits: 7, omittingEmptySubsequences: false)
        func field(_ name: String) throws -> String {
            guard let line = lines.first(where: { $0.hasPrefix(name + ": ") }),
                  let word = line.dropFirst(name.count + 2).split(separator: " ").first else {
                throw CLIError.input("\(path): its header has no '\(name):' line (docs/DATASET.md, \"Source files\")")
            }
            return String(word)
        }
        let url = try field("URL")
        var time = try field("Retrieved")
        // A time to the minute is that minute's first second.
        if time.count == 17, time.hasSuffix("Z") { time = String(time.dropLast()) + ":00Z" }
        guard let retrieved = Timestamp(time), retrieved.secondsText == time else {
            throw CLIError.input("\(path): the header's Retrieved '\(time)' is not a UTC time like 2026-12-04T21:11Z or 2026-12-04T21:11:00Z")
        }
        return (url, retrieved)
    }
}
