import Foundation
import LedgerCore
import LedgerCrypto
import XCTest

/// `disclosure-document/v2` and the `/v1` it extends (docs/FORMAT.md §5c): how a page was
/// obtained, the document types each allows, and v1 bodies still read as fetched pages.
final class ArchivedDocumentTests: XCTestCase {
    static let content = Array("URL: https://telegram.org/faq\n\nTo this day, we have disclosed 0 bytes of user data to third parties.\n".utf8)

    /// A v2 body as a dictionary, to be changed member by member.
    func body(_ changes: [String: Any?] = [:]) -> [String: Any] {
        var b: [String: Any] = [
            "schema": "disclosure-document/v2", "capture": "transcribed", "platform": "telegram", "document_type": "news-report",
            "url": "https://telegram.org/faq", "retrieved_at": "2026-12-04T21:07:00Z", "media_type": "text/plain",
            "content": Data(Self.content).base64EncodedString(), "content_sha256": SHA256.hash(Self.content).hex,
            "text_rules": "disclosure-text/v1", "text": "URL: https://telegram.org/faq\nTo this day, we have disclosed 0 bytes of user data to third parties.",
        ]
        for (key, value) in changes { b[key] = value }
        return b
    }

    func parse(_ b: [String: Any]) throws -> ArchivedDocument {
        guard case .archive(let d) = try Body(parsing: jsonBytes(b)).document else { throw XCTSkip("not a document") }
        return d
    }

    func refusal(_ b: [String: Any]) -> String {
        do { _ = try Body(parsing: jsonBytes(b)); return "accepted" } catch { return "\(error)" }
    }

    func testATranscribedPageRoundTripsCanonically() throws {
        let d = try parse(body())
        XCTAssertEqual(d.capture, .transcribed)
        XCTAssertEqual(d.type, .newsReport)
        let rebuilt = ArchivedDocument(capture: .transcribed, platform: "telegram", type: .newsReport, url: d.url, retrievedAt: d.retrievedAt,
                                       mediaType: .plain, content: Self.content, text: d.text)
        XCTAssertEqual(try Body(value: rebuilt.json).canonical, try Body(parsing: jsonBytes(body())).canonical)
    }

    func testV2RefusesWhatItDoesNotDefine() {
        XCTAssertTrue(refusal(body(["capture": nil])).contains("capture"), refusal(body(["capture": nil])))
        XCTAssertTrue(refusal(body(["capture": "copied"])).contains("capture"))
        let html = refusal(body(["media_type": "text/html"]))
        XCTAssertTrue(html.contains("must be text/plain for a transcribed page"), html)
        XCTAssertEqual(refusal(body(["media_type": "text/html", "capture": "fetched"])), "accepted")
    }

    /// Revision 4's bodies stay valid and read as fetched pages; the new types are v2's only.
    func testV1BodiesAreFetchedPagesOfTheFirstSixTypes() throws {
        let v1 = body(["schema": "disclosure-document/v1", "capture": nil, "document_type": "faq"])
        let d = try parse(v1)
        XCTAssertEqual(d.capture, .fetched)
        XCTAssertEqual(d.schemaName, "disclosure-document/v1")
        XCTAssertEqual(CanonicalJSON.encode(d.json), try Body(parsing: jsonBytes(v1)).canonical, "a v1 page re-encodes as v1")
        XCTAssertTrue(refusal(body(["schema": "disclosure-document/v1", "capture": nil])).contains("document_type"), "news-report is v2's")
        XCTAssertTrue(refusal(body(["schema": "disclosure-document/v1", "document_type": "faq"])).contains("capture"), "v1 has no capture")
    }

    /// A withheld transcription's notice keeps how it was obtained; a fetched one's says nothing.
    func testTheWithholdNoticeCarriesTheCapture() throws {
        let d = try parse(body())
        let notice = WithholdNotice(seq: 3, bodySHA256: SHA256.hash([1]), reason: "court order", document: .init(d))
        let text = String(decoding: CanonicalJSON.encode(notice.json), as: UTF8.self)
        XCTAssertTrue(text.contains(#""capture":"transcribed""#), text)
        let back = try WithholdNotice(validating: notice.json)
        XCTAssertEqual(back.document?.capture, .transcribed)
        let fetched = WithholdNotice(seq: 3, bodySHA256: SHA256.hash([1]), reason: "court order",
                                     document: .init(try parse(body(["capture": "fetched"]))))
        XCTAssertFalse(String(decoding: CanonicalJSON.encode(fetched.json), as: UTF8.self).contains("capture"))
    }
}
