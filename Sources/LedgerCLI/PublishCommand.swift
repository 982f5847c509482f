import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerServer
import LedgerStorage

/// `ledger publish DIR`: the ledger as static files for any web server or CDN (C2SP tlog-tiles,
/// body bundles, every checkpoint), written incrementally and crash-safely (`StaticPublisher`).
/// `ledger export-tiles` is its former name.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write the ledger as static files into DIR: tiles, entry and body bundles, checkpoints (docs/FORMAT.md §22).",
        discussion: """
            Run it again (or `ledger serve --publish DIR`) to add what is new: full tiles and bundles are \
            written once, partial ones for the new size, and the checkpoint last, each file through a \
            temporary name, so a server publishing DIR never serves a checkpoint whose files are missing, \
            even if this is killed half-way.
            """,
        aliases: ["export-tiles"])

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The directory to write (created if missing).") var dir: String

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            let report = try StaticPublisher(store: store, dir: dir).publish()
            print("published size \(report.size) to \(dir) (\(report.filesWritten) files written; it held size \(report.previousSize))")
        }
    }
}
