// libFuzzer target 5 (jsonl): JSON Lines batches as `ledger append` and
// `POST /v1/entries/batch` read them: `JSONLines.split`, then a body per line.
// Built by Tests/Fuzz/run.sh; not part of `swift test`.
import LedgerCore

func fuzzOne(_ bytes: [UInt8]) {
    let lines = JSONLines.split(bytes)
    // An independent splitter: LF-separated pieces numbered from 1, blank ones (only SP, HT, CR) left out.
    var reference: [(Int, ArraySlice<UInt8>)] = []
    var start = 0, number = 1
    for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
        let piece = bytes[start..<i]
        if !piece.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { reference.append((number, piece)) }
        start = i + 1
        number += 1
    }
    fuzzCheck(lines.count == reference.count, "\(lines.count) lines, expected \(reference.count)")
    var previous = 0
    for (line, (refNumber, refBytes)) in zip(lines, reference) {
        fuzzCheck(line.number == refNumber && line.number > previous, "line number \(line.number), expected \(refNumber)")
        fuzzCheck(line.bytes.elementsEqual(refBytes) && line.bytes.startIndex == refBytes.startIndex, "line \(refNumber) has other bytes")
        fuzzCheck(!line.bytes.contains(0x0A), "line \(refNumber) holds a LF")
        previous = line.number
        let raw = Array(line.bytes)
        if let body = try? Body(parsing: raw) {
            fuzzCheck(!body.canonical.contains(0x0A), "a canonical body holds a raw LF")
            fuzzCheck((try? Body(stored: body.canonical))?.document == body.document, "line \(refNumber): canonical body does not re-read")
        }
    }
}
