import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `ledger timestamp --tsa URL`: trusted time for the latest checkpoint from an RFC 3161
/// time-stamping authority, so a reader can show a checkpoint existed by then without trusting
/// the log's clock.
struct TimestampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: NetworkCommandInfo.timestamp.name,
        abstract: NetworkCommandInfo.timestamp.abstract,
        discussion: """
            The request's imprint is SHA-256 of the latest checkpoint note as stored (log-signed, \
            without cosignatures). The reply must grant a token over that imprint; it is stored for \
            `ledger-verify --tsa-cert CERT.pem` to check.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The time-stamping authority's URL (HTTP POST of application/timestamp-query).")
    var tsa: String

    @Option(help: "Seconds to wait for the authority.")
    var timeout: Double = 30

    func run() throws {
        try runReportingErrors {
            guard let url = URL(string: tsa), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw CLIError.usage("--tsa must be an http:// or https:// URL, got '\(tsa)'")
            }
            let reader = try LedgerStore(path: global.ledger, readonly: true)
            let (size, note) = try reader.latestCheckpointRow()
            guard try !reader.timestamps().contains(where: { $0.size == size }) else {
                throw CLIError.input("checkpoint \(size) already has a time-stamp token; append first to get a new checkpoint")
            }
            let digest = SHA256.hash(Array(note.utf8))
            let reply = try post(try TimestampToken.request(digest: digest), to: url)
            // Checked before the ledger is opened for writing: a bad reply leaves the file untouched.
            _ = try TimestampToken.inspect(reply: reply, digest: digest)
            let granted = try LedgerStore(path: global.ledger).addTimestamp(size: size, tsa: tsa, reply: reply)
            print("checkpoint \(size) time-stamped by \(tsa) at \(granted.readableTime)")
        }
    }

    private func post(_ body: [UInt8], to url: URL) throws -> [UInt8] {
        let reply = try HTTPPost.send(body, to: url, contentType: "application/timestamp-query", timeout: timeout,
                                      peer: "the time-stamping authority")
        guard reply.status == 200 else { throw CLIError.io("the time-stamping authority \(url) answered HTTP \(reply.status)") }
        return reply.body
    }
}
