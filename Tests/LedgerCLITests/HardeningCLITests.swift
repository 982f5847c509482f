import Foundation
import XCTest

/// Inputs and environments that once crashed a command or slipped past its checks, each run as a
/// user meets it: the built binaries on a real ledger file.
final class HardeningCLITests: XCTestCase {
    var s: Sandbox!

    override func tearDown() { s = nil }

    override func setUpWithError() throws {
        s = try Sandbox()
        try s.setUp()
        try s.ok("append", "--key", "keys/alice.key", stdin: statementLines(0..<3))
    }

    func refuse(_ args: [String], _ fragment: String, line: UInt = #line) throws {
        let before = try s.fingerprint()
        let r = try s.run("ledger", args)
        XCTAssertEqual(r.status, 1, "expected refusal: \(fragment)", line: line)
        XCTAssertTrue(r.stderr.contains(fragment), "expected '\(fragment)' in: \(r.stderr)", line: line)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", line: line)
        XCTAssertEqual(try s.fingerprint(), before, "the ledger changed", line: line)
    }

    static func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    /// One date rule for every date in a statement: not after the day that follows the append.
    /// A statement dated 9999-12-31 once became the claim in force for good.
    func testFutureDatesAreRefusedByCheckAndAppend() throws {
        let base = statementLine(7)
        let cases: [(String, String, String)] = [
            ("\"effective_date\":\"2019-03-14\"", "\"effective_date\":\"9999-12-31\"", "effective_date: 9999-12-31 is in the future"),
            ("\"effective_date\":\"2019-03-14\"", "\"effective_date\":\"\(Self.day(3))\"", "effective_date: \(Self.day(3)) is in the future"),
            ("\"effective_date\":\"2019-03-14\"", "\"period\":{\"start\":\"2019-01-01\",\"end\":\"9000-01-01\"},\"effective_date\":\"2019-03-14\"",
             "period.end: 9000-01-01 is in the future"),
            ("\"retrieved_at\":\"2019-03-14T12:00:00Z\"", "\"retrieved_at\":\"9999-01-01T00:00:00Z\"", "source.retrieved_at: 9999-01-01 is in the future"),
        ]
        for (from, to, message) in cases {
            try s.write("future.json", base.replacingOccurrences(of: from, with: to))
            try refuse(["statement", "check", "future.json"], message)
            try refuse(["append", "--key", "keys/alice.key", "future.json"], message)
        }
        // Tomorrow (UTC) is allowed: somewhere it is already tomorrow.
        try s.write("tomorrow.json", base.replacingOccurrences(of: "2019-03-14\"", with: "\(Self.day(1))\""))
        try s.ok("append", "--key", "keys/alice.key", "tomorrow.json")
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// `"recipients": []` and no `recipients` were two digests of one statement, so the same
    /// statement could be appended twice; an empty list is refused, naming the member.
    func testEmptyListsAreRefused() throws {
        for member in ["recipients", "quantities"] {
            let line = statementLine(1).replacingOccurrences(of: #""\#(member)":\[[^\]]*\]"#, with: #""\#(member)":[]"#, options: .regularExpression)
            try s.write("empty.json", line)
            try refuse(["append", "--key", "keys/alice.key", "empty.json"], "\(member): must not be empty; leave the field out instead")
        }
        try s.write("empty.json", statementLine(1).replacingOccurrences(of: "\"quote\"", with: "\"data_kinds\":[],\"quote\""))
        try refuse(["statement", "check", "empty.json"], "data_kinds: must not be empty")
    }

    /// Keys that OpenSSL loads but that are not strong Ed25519 public keys.
    func testWeakSignerKeysAreRefused() throws {
        let spki: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]
        func pem(_ raw: [UInt8]) -> String {
            "-----BEGIN PUBLIC KEY-----\n" + Data(spki + raw).base64EncodedString() + "\n-----END PUBLIC KEY-----\n"
        }
        func hex(_ h: String) -> [UInt8] {
            stride(from: 0, to: h.count, by: 2).map { UInt8(h.dropFirst($0).prefix(2), radix: 16)! }
        }
        let cases: [(String, [UInt8], String)] = [
            ("zero", [UInt8](repeating: 0, count: 32), "small order"),
            ("identity", [1] + [UInt8](repeating: 0, count: 31), "small order"),
            ("order8", hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"), "small order"),
            ("order8neg", hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"), "small order"),
            ("minusone", [0xEC] + [UInt8](repeating: 0xFF, count: 30) + [0x7F], "small order"),
            ("noncanonical", [0xEE] + [UInt8](repeating: 0xFF, count: 30) + [0x7F], "non-canonical"),
            ("offcurve", [2] + [UInt8](repeating: 0, count: 31), "not a point on the Ed25519 curve"),
        ]
        for (name, raw, why) in cases {
            try s.write("keys/\(name).pub", pem(raw))
            try refuse(["signer", "add", name, "keys/\(name).pub"], "not a valid Ed25519 public key: it")
            let r = try s.ledger("signer", "add", name, "keys/\(name).pub")
            XCTAssertTrue(r.stderr.contains(why), "\(name): \(r.stderr)")
        }
        // A real key still registers.
        try s.ok("keygen", "bob")
        try s.ok("signer", "add", "bob", "keys/bob.pub")
    }

    /// `> /dev/full` once crashed in a `try!` after the append had committed.
    func testFullOutputDeviceIsAnErrorNotACrash() throws {
        try s.write("one.json", statementLine(42))
        let ledger = Sandbox.binDir.appendingPathComponent("ledger").path
        let r = try s.run("/bin/sh", ["-c", "'\(ledger)' append --key keys/alice.key one.json > /dev/full"])
        XCTAssertEqual(r.status, 2, "a local failure: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("cannot write to standard output: No space left on device"), r.stderr)
        XCTAssertTrue(r.stderr.contains("are appended and committed"), r.stderr)
        XCTAssertTrue(try s.ok("list").contains("statement number 42"))
        for command in ["list", "export", "compare", "history telegram"] {
            let r = try s.run("/bin/sh", ["-c", "'\(ledger)' \(command) > /dev/full"])
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("No space left on device"), "\(command): \(r.stderr)")
        }
        XCTAssertEqual(try s.verify().status, 0)
    }

    /// Someone else's copy, in a directory the auditor cannot write (read-only media): SQLite
    /// cannot create the WAL index there, so the file is read in `immutable` mode.
    func testReadOnlyCopyIsAuditedAndListed() throws {
        let copy = s.path("readonly")
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: s.ledgerPath, toPath: copy + "/ledger.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: copy)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy) }
        // root writes anywhere: run the commands as `nobody`, for whom the directory is read-only.
        func run(_ tool: String, _ args: [String]) throws -> Sandbox.Run {
            let binary = Sandbox.binDir.appendingPathComponent(tool).path
            guard getuid() == 0 else { return try s.run(binary, args) }
            return try s.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + args)
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: copy + "/ledger.sqlite"))
        let audit = try run("ledger-verify", ["--ledger", copy + "/ledger.sqlite"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("ok:"), audit.stdout)
        let list = try run("ledger", ["list", "--ledger", copy + "/ledger.sqlite"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("statement number 2"), list.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: copy + "/ledger.sqlite")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: copy), ["ledger.sqlite"])
    }
}
