import ArgumentParser
import LedgerCommandSupport
import LedgerStorage

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the exact leaf bytes, one entry per line (JSON Lines), so anyone can recompute every hash.",
        discussion: "With --bodies, write each entry's canonical body instead (the signed bytes' preimage), or null where withheld.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "First seq.") var from: Int64 = 0
    @Option(help: "Last seq (inclusive).") var to: Int64?
    @Flag(help: "Write bodies instead of leaves.") var bodies = false

    func run() throws {
        try runReportingErrors {
            guard from >= 0, (to ?? from) >= from else { throw CLIError.usage("need 0 ≤ --from ≤ --to") }
            let store = try LedgerStore(path: global.ledger, readonly: true)
            var out = Output()
            try store.forEachEntry(from: from, to: to ?? .max) { e in
                if bodies {
                    out.line(bytes: e.body ?? Array("null".utf8))
                } else {
                    out.line(bytes: e.leaf)
                }
            }
            try out.flush()
        }
    }
}
