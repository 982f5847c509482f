import Foundation
import Hummingbird
@testable import LedgerServer
import XCTest

/// Reading request bodies: a client that stops sending gets 408; one that sends too much, 413.
final class RequestInputTests: XCTestCase {
    func request(_ body: RequestBody, contentLength: Int? = nil) -> Request {
        var fields: HTTPFields = [:]
        if let contentLength { fields[.contentLength] = String(contentLength) }
        return Request(head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/entries", headerFields: fields),
                       body: body)
    }

    func testStalledBodyTimesOut() async throws {
        let (body, source) = RequestBody.makeStream()
        await source.yield(ByteBuffer(string: "{\"statement\":"))  // and then nothing more
        let started = ContinuousClock.now
        do {
            _ = try await RequestInput.body(request(body), timeout: .milliseconds(200))
            XCTFail("a stalled body must time out")
        } catch let e as APIError {
            XCTAssertEqual(e.status, .requestTimeout)
            XCTAssertEqual(e.code, "request_timeout")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        source.finish()
    }

    /// A body still in flight when the service shuts down (it stops delivering them) is answered
    /// 503 `shutting_down` at once, not 408 after the whole timeout.
    func testStalledBodyDuringShutdownIsAbandoned() async throws {
        let (body, source) = RequestBody.makeStream()
        await source.yield(ByteBuffer(string: "{\"statement\":"))
        let closed = ManagedFlag()
        let started = ContinuousClock.now
        let closer = Task {
            try await Task.sleep(for: .milliseconds(150))
            closed.set()
        }
        do {
            _ = try await RequestInput.body(request(body), timeout: .seconds(30), abandoned: { closed.isSet })
            XCTFail("a body abandoned by shutdown must not be read")
        } catch let e as APIError {
            XCTAssertEqual(e, .shuttingDown)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        closer.cancel()
        source.finish()
    }

    func testDeclaredOrStreamedOversizeIsRefused() async throws {
        do {
            _ = try await RequestInput.body(request(RequestBody(buffer: ByteBuffer(string: "{}")), contentLength: 70_000))
            XCTFail("declared length over the limit")
        } catch let e as APIError {
            XCTAssertEqual(e, .tooLarge(limit: 65_536))
        }
        let (body, source) = RequestBody.makeStream()
        let chunk = ByteBuffer(repeating: 0x20, count: 16_384)
        let feeder = Task {
            for _ in 0..<5 { await source.yield(chunk) }
            source.finish()
        }
        do {
            _ = try await RequestInput.body(request(body))
            XCTFail("streamed body over the limit")
        } catch let e as APIError {
            XCTAssertEqual(e, .tooLarge(limit: 65_536))
        }
        feeder.cancel()
        let exact = try await RequestInput.body(request(RequestBody(buffer: ByteBuffer(repeating: 0x20, count: 65_536))))
        XCTAssertEqual(exact.count, 65_536)
    }
}

/// A flag set from one task and read from another.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
