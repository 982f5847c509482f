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

extension JSONLines {
    /// `split` for input that arrives in chunks: each `feed` returns the lines the chunk
    /// completes (numbered as `split` numbers them, blank ones skipped), keeping the unfinished
    /// last one; `finish` returns it. Holds at most one unfinished line, and refuses one longer
    /// than `maxLineBytes` (so input without line feeds cannot fill memory).
    public struct Splitter: Sendable {
        public let maxLineBytes: Int
        private var partial: [UInt8] = []
        private var number = 0

        public init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

        /// The lines `chunk` completes. Throws `LineTooLong` naming the line. Costs one pass
        /// over the chunk and one copy of each line.
        public mutating func feed(_ chunk: ArraySlice<UInt8>) throws -> [(number: Int, bytes: [UInt8])] {
            var lines: [(number: Int, bytes: [UInt8])] = []
            var start = chunk.startIndex
            while let end = chunk[start...].firstIndex(of: 0x0A) {
                try take(chunk[start..<end])
                emit(into: &lines)
                start = end + 1
            }
            try take(chunk[start...])
            return lines
        }

        /// The last line, when the input does not end with a line feed.
        public mutating func finish() -> [(number: Int, bytes: [UInt8])] {
            guard !partial.isEmpty else { return [] }
            var lines: [(number: Int, bytes: [UInt8])] = []
            emit(into: &lines)
            return lines
        }

        private mutating func take(_ bytes: ArraySlice<UInt8>) throws {
            guard partial.count + bytes.count <= maxLineBytes else {
                throw LineTooLong(number: number + 1, limit: maxLineBytes)
            }
            partial += bytes
        }

        private mutating func emit(into lines: inout [(number: Int, bytes: [UInt8])]) {
            number += 1
            // A copy of its own size; the buffer stays for the next line.
            if !partial.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { lines.append((number, Array(partial))) }
            partial.removeAll(keepingCapacity: true)
        }
    }

    /// A line longer than a reader accepts: the caller's input to mend.
    public struct LineTooLong: KindedError, Equatable, CustomStringConvertible {
        public var kind: FailureKind { .caller }
        public let number: Int
        public let limit: Int
        public var description: String { "line \(number): longer than \(limit) bytes, the most a statement may take" }
    }
}
