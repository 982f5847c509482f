import Foundation
import XCTest

/// `ledger mirror` and `ledger timestamp` run `ledger-net` in `ledger`'s place: same arguments,
/// streams and exit status; a clear error when it is missing.
final class NetworkCommandsTests: XCTestCase {
    func testMirrorAndTimestampRunLedgerNet() throws {
        let s = try Sandbox()
        // The real command's help (its options), not a placeholder's.
        let help = try s.ledger("mirror", "--help")
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("--watch") && help.stdout.contains("--notify"), help.stdout)
        XCTAssertTrue(help.stdout.contains("USAGE: ledger mirror"), help.stdout)
        XCTAssertTrue(try s.ledger("timestamp", "--help").stdout.contains("--tsa"))
        // Its refusals and exit statuses come through unchanged (2: misuse).
        let misuse = try s.ledger("mirror", "http://127.0.0.1:9", "--interval", "0")
        XCTAssertEqual(misuse.status, 2, misuse.stderr)
        XCTAssertTrue(misuse.stderr.contains("--interval must be positive"), misuse.stderr)
        let badURL = try s.ledger("timestamp", "--tsa", "ftp://example.org/")
        XCTAssertEqual(badURL.status, 1, badURL.stderr)
        XCTAssertTrue(badURL.stderr.contains("--tsa must be an http:// or https:// URL"), badURL.stderr)
        // Both are listed by `ledger --help`, with their descriptions.
        let top = try s.ledger("--help").stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(top.contains { $0.hasPrefix("mirror") && $0.contains("Copy a remote ledger") }, "\(top)")
        XCTAssertTrue(top.contains { $0.hasPrefix("timestamp") && $0.contains("RFC 3161") }, "\(top)")
    }

    func testMissingLedgerNetIsAClearError() throws {
        let s = try Sandbox()
        // `ledger` alone in a directory: nothing to run.
        let lonely = s.path("bin/ledger")
        try FileManager.default.createDirectory(atPath: s.path("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.binDir.appendingPathComponent("ledger").path, toPath: lonely)
        let r = try s.run(lonely, ["mirror", "http://127.0.0.1:9"])
        XCTAssertEqual(r.status, 127)
        XCTAssertTrue(r.stderr.contains("ledger-net") && r.stderr.contains("could not be started"), r.stderr)
        XCTAssertTrue(r.stderr.contains("swift build -c release --product ledger-net"), r.stderr)
        // Other commands do not need it.
        XCTAssertEqual(try s.run(lonely, ["log-key", "--help"]).status, 0)
    }
}
