import ArgumentParser

/// `--ledger` and `--keys`, shared by every subcommand.
public struct GlobalOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "The ledger database.")
    public var ledger = "ledger/ledger.sqlite"

    @Option(name: .long, help: "The key directory (log.key, log.pub, NAME.key, NAME.pub).")
    public var keys = "keys"

    public var logKeyPath: String { "\(keys)/log.key" }
    public var logPubPath: String { "\(keys)/log.pub" }
}

extension GlobalOptions {
    /// The options every subcommand takes, with their value.
    static let names: Set<String> = ["--ledger", "--keys"]

    /// `ledger --ledger X list` as `ledger list --ledger X`: global options given before the
    /// subcommand (as git takes them) are moved after its name, where swift-argument-parser
    /// reads them. Nested subcommands (`signer add`) take them anywhere after the first name.
    public static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if names.contains(a), i + 1 < arguments.count {
                leading += [a, arguments[i + 1]]
                i += 2
            } else if let eq = a.firstIndex(of: "="), names.contains(String(a[..<eq])) {
                leading.append(a)
                i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < arguments.count else { return arguments }
        return [arguments[i]] + Array(arguments[(i + 1)...]) + leading
    }
}
