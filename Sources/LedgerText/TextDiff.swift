/// What changed between two versions of a page's text, word by word: how a reader sees a
/// policy's wording change. Paragraph breaks count as words, so a moved line break shows.
public struct TextDiff: Equatable, Sendable {
    public enum Piece: Equatable, Sendable {
        case same([Substring])
        case removed([Substring])
        case added([Substring])
    }

    /// The new text as runs of unchanged, removed and added words, in reading order.
    public let pieces: [Piece]

    /// Compares two `disclosure-text/v1` texts. Myers' algorithm (Swift's `difference(from:)`):
    /// O((n + m) · d) for n and m words and d changed ones, so two versions of a long policy that
    /// differ in a sentence compare in about linear time.
    public init(from old: String, to new: String) {
        let a = TextDiff.words(old), b = TextDiff.words(new)
        let changes = b.difference(from: a)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in changes {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // Runs are built in `run` and closed when the kind changes (appending to the last piece
        // in place would copy it each time: quadratic in a run's length).
        var pieces: [Piece] = []
        var run: [Substring] = []
        var kind = 0  // 0 same, 1 removed, 2 added
        func flush() {
            guard !run.isEmpty else { return }
            pieces.append(kind == 0 ? .same(run) : kind == 1 ? .removed(run) : .added(run))
            run = []
        }
        func add(_ word: Substring, _ k: Int) {
            if k != kind { flush(); kind = k }
            run.append(word)
        }
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) {
                add(a[i], 1); i += 1
            } else if j < b.count, inserted.contains(j) {
                add(b[j], 2); j += 1
            } else {
                add(a[i], 0); i += 1; j += 1
            }
        }
        flush()
        self.pieces = pieces
    }

    /// True when the two texts have the same words.
    public var isEmpty: Bool { pieces.allSatisfy { if case .same = $0 { return true } else { return false } } }

    /// Removed and added word counts (paragraph breaks not counted).
    public var counts: (removed: Int, added: Int) {
        pieces.reduce((0, 0)) { sum, piece in
            switch piece {
            case .removed(let w): return (sum.0 + w.filter { $0 != "\n" }.count, sum.1)
            case .added(let w): return (sum.0, sum.1 + w.filter { $0 != "\n" }.count)
            case .same: return sum
            }
        }
    }

    /// One change with the unchanged words around it: what a reader needs to see it in place.
    public struct Hunk: Equatable, Sendable {
        /// Up to `context` unchanged words before, and whether more came before them.
        public let before: [Substring]
        public let moreBefore: Bool
        /// The removed and added runs, in order.
        public let changes: [Piece]
        public let after: [Substring]
        public let moreAfter: Bool
    }

    /// The changes, each with up to `context` unchanged words on each side (a run of unchanged
    /// words between two changes serves as the after of one and the before of the next).
    public func hunks(context: Int = 8) -> [Hunk] {
        var out: [Hunk] = []
        var index = 0
        while index < pieces.count {
            if case .same = pieces[index] { index += 1; continue }
            var before: [Substring] = [], moreBefore = false
            if index > 0, case .same(let w) = pieces[index - 1] { before = Array(w.suffix(context)); moreBefore = w.count > context }
            var changes: [Piece] = []
            while index < pieces.count {
                if case .same = pieces[index] { break }
                changes.append(pieces[index])
                index += 1
            }
            var after: [Substring] = [], moreAfter = false
            if index < pieces.count, case .same(let w) = pieces[index] { after = Array(w.prefix(context)); moreAfter = w.count > context }
            out.append(Hunk(before: before, moreBefore: moreBefore, changes: changes, after: after, moreAfter: moreAfter))
        }
        return out
    }

    /// The terminal form: one line per change, `…words before [-removed-] {+added+} words after…`,
    /// with up to `context` unchanged words on each side; paragraph breaks as ¶.
    public func text(context: Int = 8) -> String {
        hunks(context: context).map { h in
            var parts: [String] = []
            if !h.before.isEmpty { parts.append((h.moreBefore ? "…" : "") + TextDiff.join(h.before)) }
            for change in h.changes {
                switch change {
                case .removed(let w): parts.append("[-" + TextDiff.join(w) + "-]")
                case .added(let w): parts.append("{+" + TextDiff.join(w) + "+}")
                case .same: break
                }
            }
            if !h.after.isEmpty { parts.append(TextDiff.join(h.after) + (h.moreAfter ? "…" : "")) }
            return parts.joined(separator: " ")
        }.joined(separator: "\n")
    }

    /// Words as a reader sees them, a paragraph break as ¶.
    public static func join<C: Collection>(_ words: C) -> String where C.Element == Substring {
        words.map { $0 == "\n" ? "¶" : String($0) }.joined(separator: " ")
    }

    static func words(_ text: String) -> [Substring] {
        var out: [Substring] = []
        for (n, paragraph) in text.split(separator: "\n").enumerated() {
            if n > 0 { out.append("\n") }
            out += paragraph.split(separator: " ")
        }
        return out
    }
}
