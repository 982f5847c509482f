import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import Logging
import XCTest

/// A real ledger file in a scratch directory with real Ed25519 keys: the log key, `alice`
/// (registered), `bob` (registered, then revoked) and `mallory` (never registered), plus a few
/// statements by alice about telegram and signal.
final class ServerFixture: @unchecked Sendable {
    static let origin = "test.example/ledger"

    let dir: URL
    let path: String
    let logKey: Ed25519PrivateKey
    let alice: Ed25519PrivateKey
    let bob: Ed25519PrivateKey
    let mallory: Ed25519PrivateKey
    /// Seqs of the statements appended at set-up.
    private(set) var statementSeqs: [Int64] = []

    init(statements: Int = 3, name: String = #function) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-server-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("ledger.sqlite").path
        logKey = try Ed25519PrivateKey.generate()
        alice = try Ed25519PrivateKey.generate()
        bob = try Ed25519PrivateKey.generate()
        mallory = try Ed25519PrivateKey.generate()
        let store = try LedgerStore.create(at: path, origin: Self.origin, logSigner: try NoteSigner(name: Self.origin, privateKey: logKey))
        try signerEvent(store, .add, "alice", alice.publicKey)
        try signerEvent(store, .add, "bob", bob.publicKey)
        try signerEvent(store, .revoke, "bob", bob.publicKey)
        for i in 0..<statements {
            let body = try Body(parsing: Array(Self.statement(i, platform: i % 2 == 0 ? "telegram" : "signal").utf8))
            let pending = try PendingEntry.sign(body, origin: .generated("setup \(i)"), signer: "alice", key: alice)
            statementSeqs += try store.append([pending], logKey: logKey).map(\.seq)
        }
        try store.close()
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    private func signerEvent(_ store: LedgerStore, _ action: SignerEvent.Action, _ name: String, _ key: Ed25519PublicKey) throws {
        let body = try Body(value: SignerEvent(action: action, name: name, publicKey: key.raw).json)
        try store.append([try PendingEntry.sign(body, origin: .generated("\(action) \(name)"), signer: SignerName.log, key: logKey)], logKey: logKey)
    }

    var logVerifierKey: NoteVerifierKey { get throws { try NoteVerifierKey(name: Self.origin, publicKey: logKey.publicKey) } }

    /// The service on the fixture's file; `readOnly` without the log key, as a mirror serves.
    func backend(_ options: GroupCommitOptions = .init(), readOnly: Bool = false, historyLimit: Int = 10_000) throws -> LedgerBackend {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try LedgerBackend(ledgerPath: path, logPrivateKey: readOnly ? nil : logKey, groupCommit: options, readers: 2,
                                 historyLimit: historyLimit, logger: logger)
    }

    func app(_ backend: LedgerBackend) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return buildApplication(backend: backend, host: "127.0.0.1", port: 0, logger: logger)
    }

    /// Opens the file afresh: what is really committed.
    func size() throws -> Int64 { try LedgerStore(path: path, readonly: true).size() }

    /// SHA-256 of the file and its WAL, to show a refusal wrote nothing.
    func fingerprint() throws -> String {
        ["", "-wal"].map { suffix in
            FileManager.default.contents(atPath: path + suffix).map { SHA256.hash([UInt8]($0)).hex } ?? "-"
        }.joined(separator: " ")
    }

    /// A valid statement; `i` makes each distinct.
    static func statement(_ i: Int, platform: String = "telegram", category: String = "third-party-sharing",
                          date: String = "2019-03-14") -> String {
        #"{"schema":"disclosure-statement/v1","platform":"\#(platform)","category":"\#(category)","recipients":["governments"],"quantities":[{"unit":"bytes","value":\#(i)}],"effective_date":"\#(date)","source":{"url":"https://example.org/report/\#(i)","retrieved_at":"2019-03-14T12:00:00Z","sha256":"\#(String(repeating: "ab", count: 32))"},"quote":"statement number \#(i)","language":"en"}"#
    }

    /// The body of POST /v1/entries: the statement signed by `key` as `signer`.
    static func submission(_ statementJSON: String, signer: String, key: Ed25519PrivateKey) throws -> String {
        let body = try Body(parsing: Array(statementJSON.utf8))
        let signature = try key.sign(EntryKind.statement.signedMessage(bodySHA256: body.sha256))
        return #"{"statement":\#(statementJSON),"signer":"\#(signer)","signature":"\#(Base64.encode(signature))"}"#
    }

    func submission(_ i: Int, platform: String = "telegram", signer: String = "alice", key: Ed25519PrivateKey? = nil) throws -> ByteBuffer {
        ByteBuffer(string: try Self.submission(Self.statement(i, platform: platform), signer: signer, key: key ?? alice))
    }
}

/// Parsing and asserting on responses.
extension TestResponse {
    var text: String { String(buffer: body) }

    var json: JSONValue {
        get throws { try JSONParser.parse(Array(body.readableBytesView)) }
    }

    /// Asserts the documented error shape and code.
    func assertError(_ status: HTTPResponse.Status, _ code: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(self.status, status, text, file: file, line: line)
        XCTAssertEqual(headers[.contentType], "application/json", file: file, line: line)
        let value = try json
        XCTAssertEqual(value["error"], .string(code), text, file: file, line: line)
        guard case .string(let detail)? = value["detail"] else { return XCTFail("no detail: \(text)", file: file, line: line) }
        XCTAssertFalse(detail.isEmpty, file: file, line: line)
        XCTAssertFalse(detail.contains("\n"), "one line", file: file, line: line)
    }
}

extension JSONValue {
    var int: Int64? { if case .integer(let n) = self { return n } else { return nil } }
    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var array: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
}

func digests(_ value: JSONValue?) -> [Digest] {
    (value?.array ?? []).compactMap { $0.string.flatMap(Base64.decode).flatMap { Digest(bytes: $0) } }
}
