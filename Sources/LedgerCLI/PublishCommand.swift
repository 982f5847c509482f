import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerServer
import LedgerStorage

/// `ledger publish DIR`: the ledger as static files for any web server or CDN (C2SP tlog-tiles,
/// body bundles, every checkpoint and, with --public-url, the web pages and feeds), written
/// incrementally and crash-safely (`StaticPublisher`). `ledger export-tiles` is its former name.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Write the ledger as static files into DIR: tiles, entry and body bundles, checkpoints, pages and feeds (docs/FORMAT.md §22).",
        discussion: """
            Run it again (or `ledger serve --publish DIR`) to add what is new: full tiles and bundles are \
            written once, partial ones for the new size, and the checkpoint last, each file through a \
            temporary name, so a server publishing DIR never serves a checkpoint whose files are missing, \
            even if this is killed half-way.
            """,
        aliases: ["export-tiles"])

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The directory to write (created if missing).") var dir: String

    @Option(help: "Where DIR is served (e.g. https://ledger.example.org): with it the web pages and Atom feeds are written too, their links absolute under it.")
    var publicURL: String?

    func run() throws {
        try runReportingErrors {
            try PublishCommand.checkPublicURL(publicURL, option: "--public-url")
            let store = try LedgerStore(path: global.ledger, readonly: true)
            let report = try StaticPublisher(store: store, dir: dir, publicURL: publicURL).publish()
            print("published size \(report.size) to \(dir) (\(report.filesWritten) files written; it held size \(report.previousSize))")
            if publicURL == nil { printError("ledger publish: no web pages or feeds written: pass --public-url with the address DIR is served at") }
        }
    }

    /// An address readers reach pages at: http(s), nothing that could end an attribute.
    static func checkPublicURL(_ url: String?, option: String) throws {
        guard let url else { return }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), !url.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" }) else {
            throw CLIError.usage("\(option) must be an http:// or https:// URL, e.g. https://ledger.example.org")
        }
    }
}
