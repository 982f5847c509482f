import ArgumentParser
import Glibc
import LedgerCommandSupport

/// `ledger-net`: the `ledger` commands that talk to other servers (`ledger mirror`,
/// `ledger timestamp`, `ledger track`). `ledger` runs it in its own place for them; it can be run directly too.
@main
struct LedgerNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "The ledger commands that talk to other servers (run by `ledger mirror` and `ledger timestamp`).",
        subcommands: [MirrorCommand.self, TimestampCommand.self, TrackCommand.self, GetCosignaturesCommand.self])

    /// A mirror allocates its batches on several threads (fetch, check on every core, write);
    /// glibc gives each thread an arena of its own and keeps what they free, which made a first
    /// copy's memory grow over the run. Two arenas bound that (docs/PERFORMANCE.md).
    static func main() {
        // glibc's `mallopt(M_ARENA_MAX, 2)`; Swift's Glibc module does not declare malloc.h.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: Mallopt.self)(-8 /* M_ARENA_MAX */, 2)
        }
        main(nil)
    }
}
