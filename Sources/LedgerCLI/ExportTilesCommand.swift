import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerServer
import LedgerStorage

/// `ledger export-tiles DIR`: the C2SP tlog-tiles files of the latest checkpoint, for any static
/// web server or CDN (the same bytes `ledger serve` answers at /checkpoint and /tile/...).
struct ExportTilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-tiles",
        abstract: "Write DIR/checkpoint, DIR/tile/<L>/<N>[.p/<W>] and DIR/tile/entries/<N>[.p/<W>] (C2SP tlog-tiles).",
        discussion: """
            Tiles are written first and the checkpoint last, each file through a temporary name, so a \
            server publishing DIR never serves a checkpoint whose tiles are missing. Running it again \
            into the same DIR adds what is new.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The directory to write (created if missing).") var dir: String

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            // The checkpoint is read first: every tile it needs is already stored.
            let note = try store.latestCosignedCheckpoint()
            let size = try store.latestCheckpointSize()
            let reader = TileReader(store: store)
            var written = 0, bundles = 0
            for tile in TileReader.tiles(forTreeSize: size) {
                guard let bytes = try reader.contents(tile, treeSize: size) else {
                    throw CLIError.io("tile \(tile.path) is missing from a tree of \(size) entries; run ledger-verify")
                }
                try writeAtomically(bytes, to: "\(dir)/\(tile.path)")
                if case .entries = tile.kind { bundles += 1 } else { written += 1 }
            }
            try writeAtomically(Array(note.utf8), to: "\(dir)/checkpoint")
            print("wrote \(written) tiles, \(bundles) entry bundles and the checkpoint of size \(size) to \(dir)")
        }
    }

    private func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CLIError.io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
