import ArgumentParser
import LedgerCommandSupport
import LedgerStorage

struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Add the tables a newer ledger uses (links, documents, the search index…) to a ledger file made by an older one.",
        discussion: "Additions only, filled from the signed bodies; every entry and checkpoint stays as it is. Any write command does this too.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReportingErrors {
            let store = try LedgerStore(path: global.ledger)
            try store.close()
            print("\(global.ledger): up to date")
        }
    }
}
