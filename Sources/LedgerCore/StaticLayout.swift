/// The files of a static publication beyond the C2SP tlog-tiles (docs/FORMAT.md §22): body
/// bundles, signed checkpoints and the listings of their sizes. The publisher writes these paths
/// and a mirror reads them; both name them here.
public enum StaticLayout {
    /// Entries per `checkpoints/sizes/<N>` listing.
    public static let sizesSpan: Int64 = 65_536
    /// The largest honest listing: every size in its span, each at most 16 digits and a newline.
    public static let maxListingBytes = Int(sizesSpan) * 17

    /// `checkpoints/sizes/<N>`: the sizes of the checkpoints in `N·65536 ..< (N+1)·65536`.
    public static func sizesPath(_ n: Int64) -> String { "checkpoints/sizes/" + TilePath.encode(index: n) }

    /// `checkpoints/<size>`: the log-signed checkpoint of that size.
    public static func checkpointPath(size: Int64) -> String { "checkpoints/\(size)" }

    /// `bodies/<N>[.p/<W>]`: body bundle `index` of `width` entries, named as its entry bundle.
    public static func bodiesPath(index: Int64, width: Int) -> String {
        "bodies/" + TilePath(kind: .entries, index: index, width: width).path.dropFirst("tile/entries/".count)
    }

    /// A listing's bytes: each size in decimal and a newline.
    public static func listing(_ sizes: [Int64]) -> [UInt8] { Array(sizes.map { "\($0)\n" }.joined().utf8) }

    public struct ListingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The sizes in listing `n`: canonical decimals, one per line, strictly ascending, each in
    /// the listing's span. Reads at most `maxListingBytes`.
    public static func sizes(listing bytes: [UInt8], n: Int64) throws -> [Int64] {
        guard bytes.count <= maxListingBytes else { throw ListingError(description: "a listing of \(bytes.count) bytes, over \(maxListingBytes)") }
        guard bytes.isEmpty || bytes.last == 0x0A else { throw ListingError(description: "the listing does not end with a newline") }
        let (first, overflow) = n.multipliedReportingOverflow(by: sizesSpan)
        guard !overflow, first < StoredHashIndex.maxTreeSize else { throw ListingError(description: "listing \(n) is beyond any tree") }
        var sizes: [Int64] = []
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            guard !line.isEmpty, line.count <= 16, line.allSatisfy({ (0x30...0x39).contains($0) }), line.count == 1 || line.first != 0x30,
                  let size = Int64(String(decoding: line, as: UTF8.self)) else {
                throw ListingError(description: "line \(sizes.count + 1) is not a size in decimal without leading zeros")
            }
            guard size >= first, size < first + sizesSpan, size > (sizes.last ?? -1) else {
                throw ListingError(description: "size \(size) is out of order or outside \(first) ..< \(first + sizesSpan)")
            }
            sizes.append(size)
        }
        return sizes
    }
}
