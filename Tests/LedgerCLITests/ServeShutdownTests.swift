import Foundation
import XCTest

/// SIGTERM while an append's body is still arriving: the real `ledger serve` must answer it 503
/// `shutting_down` at once and exit, not hold its shutdown until the 10 s body timeout (408).
/// A stopping server no longer delivers such a body, so only the append queue closing first
/// (`runServer`) ends the wait.
final class ServeShutdownTests: XCTestCase {
    func testSIGTERMDuringAStalledBodyAnswers503AtOnce() throws {
        let s = try Sandbox()
        try s.setUp()
        let server = try ServeProcess(s)
        guard let port = UInt16(server.base.split(separator: ":").last ?? "") else { return XCTFail("no port in \(server.base)") }
        let before = try s.sqlite("SELECT COUNT(*) FROM entries").stdout

        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0, "connect to \(server.base)")
        // A reply later than 5 s is a failure: the old shutdown order answered 408 after 10 s.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        // Headers announcing 200 bytes, then only the first 13 of them.
        let head = "POST /v1/entries HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"statement\":"
        XCTAssertEqual(head.utf8.withContiguousStorageIfAvailable { send(fd, $0.baseAddress, $0.count, 0) }, head.utf8.count)
        usleep(300_000)  // the handler is now waiting for the rest of the body
        let start = Date()
        server.signal(SIGTERM)

        var reply = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: reply, as: UTF8.self).contains("}") {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            reply += buffer[..<n]
        }
        let text = String(decoding: reply, as: UTF8.self)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 503"), "after \(elapsed) s: \(text)")
        XCTAssertTrue(text.contains("\"error\":\"shutting_down\""), text)
        XCTAssertLessThan(elapsed, 5)
        XCTAssertEqual(server.wait(timeout: 10), 0, "ledger serve did not exit 0 after SIGTERM")
        XCTAssertEqual(try s.sqlite("SELECT COUNT(*) FROM entries").stdout, before)
    }
}
