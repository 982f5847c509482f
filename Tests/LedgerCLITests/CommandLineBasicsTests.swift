import Foundation
import XCTest

/// What a new user types first.
final class CommandLineBasicsTests: XCTestCase {
    /// `ledger --ledger X list` was "Unknown option '--ledger'": global options now go before or
    /// after the subcommand, as git's do.
    func testGlobalOptionsBeforeTheSubcommandAndVersion() throws {
        let s = try Sandbox()
        try s.ok("--ledger", "other/l.sqlite", "--keys", "otherkeys", "init", "--origin", "test.example/ledger")
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("other/l.sqlite")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.path("otherkeys/log.key")))
        try s.ok("--keys=otherkeys", "keygen", "alice")
        try s.ok("--ledger", "other/l.sqlite", "--keys", "otherkeys", "signer", "add", "alice", "otherkeys/alice.pub")
        try s.write("st.json", statementLine(3))
        try s.ok("--ledger=other/l.sqlite", "append", "--key", "otherkeys/alice.key", "st.json", "--keys", "otherkeys")
        XCTAssertTrue(try s.ok("--ledger", "other/l.sqlite", "list").contains("statement number 3"))
        XCTAssertTrue(try s.ok("list", "--ledger", "other/l.sqlite").contains("statement number 3"), "after the subcommand as before")
        let version = try s.ok("--version")
        XCTAssertTrue(version.hasPrefix("disclosure-ledger "), version)
    }
}
