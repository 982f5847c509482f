/// Names and one-line descriptions of the commands `ledger-net` runs, shared by `ledger`'s help.
public struct NetworkCommandInfo: Sendable {
    public let name: String
    public let abstract: String

    public static let mirror = NetworkCommandInfo(
        name: "mirror", abstract: "Copy a remote ledger's new entries into a local, verified copy (docs/FORMAT.md §24).")
    public static let track = NetworkCommandInfo(
        name: "track", abstract: "Fetch tracked platform pages and archive each new version of their text (add, remove, list, run).")
    public static let getCosignatures = NetworkCommandInfo(
        name: "get-cosignatures", abstract: "Send the latest checkpoint to witnesses (C2SP tlog-witness) and store their cosignatures.")
    public static let timestamp = NetworkCommandInfo(
        name: "timestamp", abstract: "Get an RFC 3161 time-stamp token over the latest checkpoint and store it.")
}
