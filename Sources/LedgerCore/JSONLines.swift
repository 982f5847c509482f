/// JSON Lines input (one JSON document per line), as `ledger append` reads standard input and
/// `POST /v1/entries/batch` reads its body: lines split on LF, a trailing CR kept for the JSON
/// parser to refuse, blank lines (only spaces, tabs, CR) skipped, line numbers from 1 kept for
/// error messages. One splitter for both, so a line number means the same everywhere.
public enum JSONLines {
    /// The non-blank lines of `bytes` with their 1-based line numbers. Costs one pass over the
    /// bytes; the lines are slices of `bytes`, not copies.
    public static func split(_ bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var lines: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            lines.append((number, line))
        }
        return lines
    }
}
