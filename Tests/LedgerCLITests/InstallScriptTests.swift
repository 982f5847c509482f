import Foundation
import XCTest

/// `scripts/install.sh` puts the programs, their completions and manual pages under a prefix,
/// from the built binaries (LEDGER_BIN skips the release build).
final class InstallScriptTests: XCTestCase {
    func testInstallsProgramsCompletionsAndManualPages() throws {
        let s = try Sandbox()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let prefix = s.path("prefix")
        let r = try s.run("/usr/bin/env", ["LEDGER_BIN=\(Sandbox.binDir.path)", "/bin/sh", repository.appendingPathComponent("scripts/install.sh").path, prefix])
        XCTAssertEqual(r.status, 0, r.stderr)
        let version = try s.run(prefix + "/bin/ledger", ["--version"])
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.hasPrefix("disclosure-ledger"), version.stdout)
        let bash = try String(contentsOfFile: prefix + "/share/bash-completion/completions/ledger", encoding: .utf8)
        XCTAssertTrue(bash.contains("compare") && bash.contains("history"), "subcommands complete")
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + "/share/zsh/site-functions/_ledger-verify"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/ledger.fish", encoding: .utf8)
        XCTAssertTrue(fish.contains("compare"), "fish completes subcommands")
        let man = try String(contentsOfFile: prefix + "/share/man/man1/ledger.1", encoding: .utf8)
        XCTAssertTrue(man.hasPrefix(".TH LEDGER 1"), man)
        XCTAssertTrue(man.contains(".SH COMPARE") && man.contains("--recipient"), "each subcommand's help is in the page")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/man") {
            let rendered = try s.run("/usr/bin/man", ["-l", prefix + "/share/man/man1/ledger.1"])
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            XCTAssertTrue(rendered.stdout.contains("NAME"), rendered.stdout)
        }
    }
}
