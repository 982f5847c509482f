/// Tables that fit a terminal: `Render.table(rows, width:wrapping:)` narrows the widest of the
/// columns that hold prose (figures, summaries) until a line fits `width` and wraps their cells
/// onto continuation lines, at spaces where it can, so a cell of many figures stays in its column
/// instead of pushing every row past the screen. Names, dates and seqs are never cut.
extension Render {
    /// Narrowest a wrapped column gets: below this, one figure takes more lines than it is worth.
    static let minimumWrappedColumn = 16

    /// `table(rows)` when it fits `width` (or `width` is nil); else the columns in `wrapping` are
    /// narrowed (the widest first, down to a common width no less than `minimumWrappedColumn`),
    /// their cells wrap within the column, and a blank line separates rows. Widths count Unicode
    /// scalars, as the unwrapped table's padding does.
    static func table(_ rows: [[String]], width: Int?, wrapping: Set<Int>) -> String {
        let measured = measure(rows)
        let natural = measured.widths, columns = natural.count
        guard let width, columns > 0, natural.reduce(0, +) + 2 * (columns - 1) > width else {
            return aligned(rows, measured.lengths, natural)
        }
        let separators = 2 * (columns - 1)
        let fixed = natural.indices.filter { !wrapping.contains($0) }.reduce(0) { $0 + natural[$1] }
        let prose = natural.indices.filter { wrapping.contains($0) }
        let cut = narrowed(prose.map { natural[$0] }, to: width - separators - fixed)
        var widths = natural
        for (i, w) in zip(prose, cut) { widths[i] = w }
        var out = ""
        var previousHeight = 1
        for (n, row) in rows.enumerated() {
            let cells = (0..<columns).map { i in wrap(i < row.count ? row[i] : "", widths[i]) }
            let height = cells.map(\.count).max() ?? 1
            // A blank line around a row that wraps; one-line rows stay together, as do the header
            // and the first row.
            if n > 1, height > 1 || previousHeight > 1 { out += "\n" }
            previousHeight = height
            for line in 0..<height {
                var text = ""
                for i in 0..<columns {
                    if i > 0 { text += "  " }
                    let part = line < cells[i].count ? cells[i][line] : ""
                    text += part
                    if i < columns - 1 { text += String(repeating: " ", count: max(0, widths[i] - part.unicodeScalars.count)) }
                }
                while text.hasSuffix(" ") { text.removeLast() }
                out += text + "\n"
            }
        }
        return out
    }

    /// Column widths summing to at most `room`: the widest are cut to a common width, the
    /// narrow ones keep theirs. No column is cut below `minimumWrappedColumn` (the line may then
    /// exceed `room`, as it must when even that does not fit).
    static func narrowed(_ natural: [Int], to room: Int) -> [Int] {
        var cap = natural.max() ?? 0
        while cap > minimumWrappedColumn, natural.reduce(0, { $0 + min($1, cap) }) > room { cap -= 1 }
        return natural.map { min($0, cap) }
    }

    /// `text` in lines of at most `width` scalars. A text that does not fit starts a line at each
    /// item of a `; ` list (one figure or assertion a line), and an item too long for a line is
    /// broken at the last space that fits or after a hyphen between letters (`service-` /
    /// `providers`), else within a word longer than the line. Line breaks and tabs count as spaces.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        let scalars = Array(text.unicodeScalars.map { $0 == "\n" || $0 == "\t" ? " " : $0 })
        guard scalars.count > width, width > 0 else { return [String(String.UnicodeScalarView(scalars))] }
        var items: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        for i in scalars.indices.dropLast() where scalars[i] == ";" && scalars[i + 1] == " " {
            items.append(scalars[start...i])
            start = i + 2
        }
        items.append(scalars[start...])
        return items.flatMap { wrapItem($0, width) }
    }

    private static func wrapItem(_ scalars: ArraySlice<Unicode.Scalar>, _ width: Int) -> [String] {
        func isLetter(_ i: Int) -> Bool { scalars.indices.contains(i) && scalars[i].properties.isAlphabetic }
        var lines: [String] = []
        var start = scalars.startIndex
        while start < scalars.endIndex {
            var end = min(start + width, scalars.endIndex)
            if end < scalars.endIndex, scalars[end] != " ",
               let cut = (start + 1..<end).last(where: { k in
                   scalars[k] == " " || (scalars[k] == "-" && isLetter(k - 1) && isLetter(k + 1))
               }) {
                end = scalars[cut] == "-" ? cut + 1 : cut
            }
            lines.append(String(String.UnicodeScalarView(scalars[start..<end])))
            start = end
            while start < scalars.endIndex, scalars[start] == " " { start += 1 }
        }
        return lines.isEmpty ? [""] : lines
    }
}
