/// A C2SP tlog-tiles resource: a Merkle tile `tile/<L>/<N>[.p/<W>]` or an entry bundle
/// `tile/entries/<N>[.p/<W>]`, where N is written in 3-digit groups, all but the last prefixed `x`.
public struct TilePath: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case hashes(level: Int)
        case entries
    }

    public static let width: Int64 = 256
    public static let maxLevel = 63

    public let kind: Kind
    public let index: Int64
    /// 256 for a full tile, 1...255 for a partial one.
    public let width: Int

    public init(kind: Kind, index: Int64, width: Int) {
        self.kind = kind
        self.index = index
        self.width = width
    }

    public var isPartial: Bool { width < Int(TilePath.width) }

    /// The path below the log's prefix, e.g. `tile/0/x001/x234/067.p/8`.
    public var path: String {
        let head: String
        switch kind {
        case .hashes(let level): head = "tile/\(level)/"
        case .entries: head = "tile/entries/"
        }
        return head + TilePath.encode(index: index) + (isPartial ? ".p/\(width)" : "")
    }

    /// `1234067` → `x001/x234/067`; `5` → `005`.
    public static func encode(index: Int64) -> String {
        var groups: [String] = []
        var n = index
        repeat {
            let g = String(n % 1000)
            groups.insert(String(repeating: "0", count: 3 - g.count) + g, at: 0)
            n /= 1000
        } while n > 0
        return groups.enumerated().map { $0.offset < groups.count - 1 ? "x" + $0.element : $0.element }.joined(separator: "/")
    }

    /// Parses the path components after `tile/`; nil for anything that is not exactly the
    /// canonical spelling of a tile (so each tile has one URL).
    public static func parse(_ components: [Substring]) -> TilePath? {
        guard components.count >= 2 else { return nil }
        let kind: Kind
        if components[0] == "entries" {
            kind = .entries
        } else {
            guard let level = canonicalDecimal(components[0]), level <= maxLevel else { return nil }
            kind = .hashes(level: Int(level))
        }
        var groups = Array(components.dropFirst())
        var width = Int(TilePath.width)
        if groups.count >= 2, groups[groups.count - 2].hasSuffix(".p") {
            guard let w = canonicalDecimal(groups[groups.count - 1]), (1...255).contains(w) else { return nil }
            width = Int(w)
            groups.removeLast()
            groups[groups.count - 1] = groups[groups.count - 1].dropLast(2)
        }
        var index: Int64 = 0
        for (i, group) in groups.enumerated() {
            var digits = group
            if i < groups.count - 1 {
                guard digits.first == "x" else { return nil }
                digits = digits.dropFirst()
            }
            guard digits.count == 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int64(digits) else { return nil }
            let (scaled, overflow) = index.multipliedReportingOverflow(by: 1000)
            let (sum, carried) = scaled.addingReportingOverflow(v)
            guard !overflow, !carried else { return nil }
            index = sum
        }
        let tile = TilePath(kind: kind, index: index, width: width)
        // Refuse non-canonical spellings such as a leading `x000/`.
        guard encode(index: index) == groups.map(String.init).joined(separator: "/") else { return nil }
        return tile
    }

    private static func canonicalDecimal(_ s: Substring) -> Int64? {
        guard !s.isEmpty, s.count <= 18, s.allSatisfy({ $0.isASCII && $0.isNumber }), s == "0" || s.first != "0" else { return nil }
        return Int64(s)
    }
}
