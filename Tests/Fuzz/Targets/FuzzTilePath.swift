// libFuzzer target 2 (tilepath): C2SP tlog-tiles paths, split on "/" as the server's catch-all
// route does. Built by Tests/Fuzz/run.sh; not part of `swift test`.
import LedgerCore

func fuzzOne(_ bytes: [UInt8]) {
    var text = String(decoding: bytes, as: UTF8.self)
    // The server sees the path after `/tile/`; accept inputs that start with it too.
    if text.hasPrefix("tile/") { text.removeFirst(5) }
    for omitting in [false, true] {
        let components = text.split(separator: "/", omittingEmptySubsequences: omitting)
        guard let tile = TilePath.parse(components) else { continue }
        fuzzCheck(tile.index >= 0, "negative index \(tile.index)")
        fuzzCheck((1...Int(TilePath.width)).contains(tile.width), "width \(tile.width) out of range")
        if case .hashes(let level) = tile.kind {
            fuzzCheck((0...TilePath.maxLevel).contains(level), "level \(level) out of range")
        }
        // Only canonical spellings parse, so the path is exactly what was parsed.
        let path = tile.path
        fuzzCheck(path == "tile/" + components.joined(separator: "/"), "path '\(path)' is not the input '\(components.joined(separator: "/"))'")
        let again = TilePath.parse(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 })
        fuzzCheck(again == tile, "parse(path) != tile for '\(path)'")
        let encoded = TilePath.encode(index: tile.index)
        fuzzCheck(TilePath.parse((["0"] + encoded.split(separator: "/", omittingEmptySubsequences: false)).map { Substring($0) })?.index == tile.index,
                  "encode(index:) does not round-trip \(tile.index)")
    }
}
