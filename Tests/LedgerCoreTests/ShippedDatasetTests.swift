import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// The statements the service seeds a new ledger with are evidence: each cites an archived
/// source in ledger/sources by SHA-256, its quote stands there verbatim, and every source file
/// says where it came from.
final class ShippedDatasetTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let headerFields = ["URL", "Publisher", "Retrieved", "Copy read", "Document date", "Extent"]

    func files(_ dir: String, suffix: String) throws -> [URL] {
        let url = Self.repository.appendingPathComponent(dir)
        return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(suffix) }.sorted()
            .map { url.appendingPathComponent($0) }
    }

    /// The header's fields by name, and the text after it.
    func header(_ text: String) -> (fields: [String: String], body: Substring)? {
        let parts = text.components(separatedBy: "\n\n")
        guard parts.count >= 2 else { return nil }
        var fields: [String: String] = [:]
        for line in parts[0].split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (fields, text[text.index(text.startIndex, offsetBy: parts[0].count + 2)...])
    }

    /// `ledger/sources.json` lists every source file once (but the two whose copies give no
    /// address, docs/DATASET.md), each under the platform its name begins with, as a document
    /// type revision 5 defines.
    func testTheSourcesManifestListsEverySourceFile() throws {
        let data = try Data(contentsOf: Self.repository.appendingPathComponent("ledger/sources.json"))
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: String]])
        let unlisted: Set = ["telegram-2024-08-platformer-how-telegram-played-itself.en.txt", "x-2025-law-enforcement-guidelines-ota-copy.en.txt"]
        XCTAssertEqual(items.compactMap { $0["file"] }, try files("ledger/sources", suffix: ".txt").map(\.lastPathComponent).filter { !unlisted.contains($0) })
        for item in items {
            let file = item["file"] ?? ""
            XCTAssertTrue(file.hasPrefix((item["platform"] ?? "?") + "-"), file)
            XCTAssertNotNil(ArchivedDocument.DocumentType(rawValue: item["document_type"] ?? ""), file)
            let text = String(decoding: try Data(contentsOf: Self.repository.appendingPathComponent("ledger/sources/\(file)")), as: UTF8.self)
            let url = header(text)?.fields["URL"]?.split(separator: " ").first.map(String.init) ?? ""
            XCTAssertTrue(url.hasPrefix("https://") || url.hasPrefix("http://"), "\(file): the header's URL gives no address")
        }
    }

    func testEverySourceFileHasACompleteHeader() throws {
        let sources = try files("ledger/sources", suffix: ".txt")
        XCTAssertGreaterThanOrEqual(sources.count, 11)
        for file in sources {
            let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
            guard let (fields, body) = header(text) else { XCTFail("\(file.lastPathComponent): no header"); continue }
            for name in Self.headerFields {
                XCTAssertFalse((fields[name] ?? "").isEmpty, "\(file.lastPathComponent): header field '\(name)' missing or empty")
            }
            // A URL, or (for a copy that does not give its address) a line saying so.
            XCTAssertTrue(fields["URL"]?.hasPrefix("http") == true || fields["URL"]?.contains("not given") == true,
                          "\(file.lastPathComponent): URL \(fields["URL"] ?? "")")
            XCTAssertFalse(body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(file.lastPathComponent): no text")
        }
    }

    func testEveryStatementMatchesItsArchivedSource() throws {
        let statements = try files("ledger/statements", suffix: ".json")
        XCTAssertGreaterThanOrEqual(statements.count, 40)
        var platforms: Set<String> = []
        for file in statements {
            let name = file.lastPathComponent
            let body = try Body(parsing: Array(try Data(contentsOf: file)))
            let s = try XCTUnwrap(body.statement, name)
            let title = s.source.title ?? ""
            guard let range = title.range(of: #"ledger/sources/[^ )]+"#, options: .regularExpression) else {
                XCTFail("\(name): source.title does not name its archived copy in ledger/sources"); continue
            }
            let source = Self.repository.appendingPathComponent(String(title[range]))
            let bytes = try Data(contentsOf: source)
            XCTAssertEqual(SHA256.hash(Array(bytes)).hex, s.source.sha256.hex, "\(name): source.sha256 is not the archived copy's")
            let text = String(decoding: bytes, as: UTF8.self)
            guard let (fields, sourceText) = header(text) else { XCTFail("\(name): \(source.lastPathComponent) has no header"); continue }
            XCTAssertTrue(sourceText.contains(s.quote), "\(name): the quote is not verbatim in \(source.lastPathComponent)")
            // The header's URL line may say more after the address (which copy, which anchor).
            if let url = s.source.url {
                XCTAssertEqual(fields["URL"]?.split(separator: " ").first.map(String.init), url, "\(name): source.url and the copy's URL differ")
            }
            XCTAssertEqual(s.version, 2, "\(name): the shipped statements are disclosure-statement/v2")
            // Every figure's number stands in the statement's own quote.
            for f in s.figures {
                let numbers: [Int64]
                switch f.value {
                case .count(let n): numbers = [n]
                case .band(let low, let high): numbers = [low, high]
                case .share: numbers = []
                }
                for n in numbers where n > 10 {
                    XCTAssertTrue(s.quote.contains(String(n)) || s.quote.contains(Figure.grouped(n)) || s.quote.replacingOccurrences(of: ",", with: "").contains(String(n)),
                                  "\(name): \(n) is not in the quote")
                }
            }
            platforms.insert(s.platform)
        }
        XCTAssertGreaterThanOrEqual(platforms.count, 9, "\(platforms.sorted())")
    }

    /// Each shipped response names a shipped statement, cites an archived source by SHA-256,
    /// and every passage its reason quotes (between “ ”) stands verbatim in the source or in
    /// the statement it answers.
    func testEveryResponseMatchesItsSourceAndTarget() throws {
        let responses = try files("ledger/responses", suffix: ".json")
        XCTAssertGreaterThanOrEqual(responses.count, 1)
        for file in responses {
            let name = file.lastPathComponent
            let seed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any], name)
            let target = try XCTUnwrap(seed["target_statement"] as? String, name)
            let statement = try XCTUnwrap(try Body(parsing: Array(Data(contentsOf: Self.repository.appendingPathComponent("ledger/statements/\(target)")))).statement, name)
            let source = try XCTUnwrap(seed["source"] as? [String: Any], name)
            let title = try XCTUnwrap(source["title"] as? String, name)
            let range = try XCTUnwrap(title.range(of: #"ledger/sources/[^ )]+"#, options: .regularExpression), "\(name): title names no archived copy")
            let bytes = try Data(contentsOf: Self.repository.appendingPathComponent(String(title[range])))
            XCTAssertEqual(SHA256.hash(Array(bytes)).hex, source["sha256"] as? String, "\(name): source.sha256 is not the archived copy's")
            let text = String(decoding: bytes, as: UTF8.self)
            let reason = try XCTUnwrap(seed["reason"] as? String, name)
            for part in reason.components(separatedBy: "\u{201C}").dropFirst() {
                let quoted = part.components(separatedBy: "\u{201D}")[0]
                XCTAssertTrue(text.contains(quoted) || statement.quote.contains(quoted), "\(name): “\(quoted)” is in neither the source nor the statement")
            }
        }
    }
}
