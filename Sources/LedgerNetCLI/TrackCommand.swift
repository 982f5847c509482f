import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerStorage
import LedgerTracking

/// `ledger track`: the platform pages fetched again and again, each new version of their text
/// archived (`document` entries), as Open Terms Archive records its documents.
struct TrackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: NetworkCommandInfo.track.name, abstract: NetworkCommandInfo.track.abstract,
        subcommands: [Add.self, Remove.self, List.self, Run.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Track a page: fetch it in every round of `ledger track run`.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The platform the page is about.") var platform: String
        @Option(help: "privacy-policy, terms, transparency-report, faq, law-enforcement-guidelines or blog-post.") var type: String
        @Argument(help: "The page's http:// or https:// address.") var url: String

        func run() throws {
            try runReportingErrors {
                guard Slug.isValid(platform) else { throw CLIError.usage("--platform: a platform slug such as 'telegram'") }
                let type = try DocumentOptions.type(type)
                guard let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
                    throw CLIError.usage("'\(url)' is not an http:// or https:// URL")
                }
                try LedgerStore(path: global.ledger).track(url: url, platform: platform, type: type, at: .now())
                print("tracking \(url) (\(platform) \(type.rawValue))")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Stop tracking a page (its archived versions stay).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The tracked address.") var url: String

        func run() throws {
            try runReportingErrors {
                guard try LedgerStore(path: global.ledger).untrack(url: url) else { throw CLIError.input("\(url) is not tracked (`ledger track list`)") }
                print("no longer tracking \(url)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "The tracked pages, tab-separated.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try runReportingErrors {
                print(["URL", "PLATFORM", "TYPE", "ADDED"].joined(separator: "\t"))
                for p in try LedgerStore(path: global.ledger, readonly: true).trackedPages() {
                    print([p.url, p.platform, p.documentType.rawValue, p.addedAt].joined(separator: "\t"))
                }
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Fetch every tracked page and archive the ones whose text changed.",
            discussion: """
                One line per page: unchanged (with the version it matches), first version or changed (the \
                new seq, and the words removed and added since the version before), or failed and why \
                (HTTP status, timeout, too large, not HTML or text, no text) — nothing is appended for a \
                failed page, and the round goes on. Exit status 1 when a page failed.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "The registered signer's key that signs new versions.") var key: String
        @Option(help: "Seconds of silence, or in all, before a fetch is given up.") var timeout = 30
        @Flag(help: "Run a round every --interval seconds until stopped.") var watch = false
        @Option(help: "Seconds between rounds with --watch.") var interval = 3600

        func run() throws {
            try runReportingErrors {
                guard (1...600).contains(timeout) else { throw CLIError.usage("--timeout: 1 to 600 seconds") }
                guard interval >= 10 else { throw CLIError.usage("--interval: at least 10 seconds") }
                let signingKey = try KeyFiles.readPrivate(key)
                let (store, logKey) = try KeyFiles.openForWriting(global)
                let signer = try KeyFiles.signer(of: signingKey, at: key, in: store, logKeyAllowed: false)
                while true {
                    let failed = try round(store: store, logKey: logKey, signer: signer, key: signingKey)
                    guard watch else {
                        if failed > 0 { throw ExitCode(1) }
                        return
                    }
                    sleep(UInt32(interval))
                }
            }
        }

        /// One round; returns how many pages failed.
        func round(store: LedgerStore, logKey: Ed25519PrivateKey, signer: String, key: Ed25519PrivateKey) throws -> Int {
            let pages = try store.trackedPages()
            guard !pages.isEmpty else { throw CLIError.input("no page is tracked; add one with `ledger track add URL --platform P --type T`") }
            var failed = 0
            var out = Output()
            let timeout = TimeInterval(self.timeout)
            try TrackRound.run(pages, store: store, logKey: logKey, signer: signer, key: key, clock: Timestamp.now,
                               fetch: { PageFetcher.fetch($0, timeout: timeout) }) { page, outcome in
                switch outcome {
                case .unchanged(let seq): out.line("\(page.url): unchanged (seq \(seq))")
                case .first(let seq): out.line("\(page.url): first version archived as seq \(seq)")
                case .changed(let seq, let since, let removed, let added):
                    out.line("\(page.url): changed: archived as seq \(seq), \(removed) words removed and \(added) added since seq \(since) (ledger source diff \(since) \(seq))")
                case .failed(let e):
                    failed += 1
                    out.line("\(page.url): failed: \(e); nothing archived")
                }
                // Each page's line as soon as it is known: a round over many pages takes a while.
                try? out.flush()
            }
            return failed
        }
    }
}
