// A small RFC 4180 reader, so the tests parse CSV output with code independent of the writer.

/// RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF or LF line ends.
public func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var inQuotes = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if inQuotes {
            if c == "\"" {
                if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { inQuotes = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" && field.isEmpty {
            inQuotes = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\r" || c == "\n" {
            if c == "\r", chars.first == "\n" { chars.removeFirst() }
            row.append(field); rows.append(row); row = []; field = ""
        } else {
            field.unicodeScalars.append(c)
        }
    }
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}
