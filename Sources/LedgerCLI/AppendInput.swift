import Foundation
import LedgerAppend
import LedgerCommandSupport
import LedgerCore
import LedgerStorage

/// The input of `ledger append`, read a batch at a time (BulkImport): statement files, one
/// document each; or JSON Lines on standard input, read in 1 MiB chunks. Memory: one chunk and
/// the lines not yet taken.
final class AppendInput: ImportInput, @unchecked Sendable {
    static let chunkBytes = 1 << 20

    private let files: [String]
    private var nextFile = 0

    private let source = "stdin"
    private var splitter = JSONLines.Splitter(maxLineBytes: Body.maxBytes)
    private var lines: [(number: Int, bytes: [UInt8])] = []
    private var linesStart = 0
    private var atEnd = false

    /// Statement files; with none, JSON Lines on standard input.
    init(files: [String]) { self.files = files }

    func next(_ count: Int) throws -> [(origin: EntryOrigin, bytes: [UInt8])] {
        if !files.isEmpty {
            let names = files[nextFile..<min(files.count, nextFile + count)]
            nextFile += names.count
            return try names.map { (EntryOrigin.file($0), try readFile($0)) }
        }
        if lines.count - linesStart < count {
            // Only the lines not yet taken are kept.
            lines.removeFirst(linesStart)
            linesStart = 0
            while lines.count < count, !atEnd { try readChunk() }
        }
        let end = min(lines.count, linesStart + count)
        defer { linesStart = end }
        return lines[linesStart..<end].map { (EntryOrigin.line($0.number, of: source), $0.bytes) }
    }

    /// Reads one chunk and splits it; at the end of input, takes the last unfinished line.
    private func readChunk() throws {
        var chunk = [UInt8](repeating: 0, count: Self.chunkBytes)
        let n = chunk.withUnsafeMutableBytes { buffer in
            var n: Int
            repeat { n = read(STDIN_FILENO, buffer.baseAddress, buffer.count) } while n < 0 && errno == EINTR
            return n
        }
        guard n >= 0 else { throw CLIError.io("cannot read standard input: \(String(cString: strerror(errno)))") }
        guard n > 0 else {
            atEnd = true
            lines += splitter.finish()
            return
        }
        do { lines += try splitter.feed(chunk[..<n]) } catch let e as JSONLines.LineTooLong {
            throw CLIError.input("\(source) \(e)")
        }
    }
}
