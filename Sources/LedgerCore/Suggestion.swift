/// The known name closest to a mistyped one, for "did you mean": at most two edits away (or a
/// third of the name's length, whichever is more), else nil.
public enum Suggestion {
    public static func nearest(to name: String, among known: [String]) -> String? {
        let limit = max(2, name.count / 3)
        let scored = known.map { ($0, distance(name, $0)) }.filter { $0.1 <= limit }
        return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// Levenshtein distance over characters.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
                previous = current
            }
        }
        return row[b.count]
    }
}
