import ArgumentParser
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print one entry: its leaf, leaf hash and body.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The entry's seq.")
    var seq: Int64

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger, readonly: true)
            let e = try store.entry(seq: seq)
            print("seq:       \(e.seq)")
            print("leaf hash: \(MerkleHash.leaf(e.leaf).hex)")
            print("leaf:      \(String(decoding: e.leaf, as: UTF8.self))")
            if let body = e.body {
                print("body:      \(String(decoding: body, as: UTF8.self))")
            } else {
                print("body:      (withheld by a signed notice; its digest, signature and proofs remain)")
            }
        }
    }
}
