import LedgerCore
import LedgerStorage

/// Platforms x categories, each cell the latest statement (by effective date, then seq) of that
/// platform in that category, as of a date. This is the one place the pages get comparison
/// data from: when the shared compare logic (issue 4) lands, it replaces `build` and the pages
/// stay as they are.
struct ComparisonMatrix {
    struct Cell {
        let entry: StoredEntry
        let statement: Statement
    }

    let asOf: String?
    let platforms: [String]
    let categories: [String]
    let cells: [String: [String: Cell]]

    func cell(_ platform: String, _ category: String) -> Cell? { cells[platform]?[category] }

    static func build(reader: LedgerStore, asOf: String?) throws -> ComparisonMatrix {
        var cells: [String: [String: Cell]] = [:]
        for entry in try reader.latestStatements(asOf: asOf) {
            guard let platform = entry.platform, let category = entry.category else { continue }
            guard let statement = entry.parsedStatement else { continue }  // withheld body: no claim to show
            cells[platform, default: [:]][category] = Cell(entry: entry, statement: statement)
        }
        let used = Set(cells.values.flatMap(\.keys))
        // Schema order of categories, then any the schema does not list (should not happen).
        let categories = Category.allCases.map(\.rawValue).filter(used.contains) + used.subtracting(Category.allCases.map(\.rawValue)).sorted()
        return ComparisonMatrix(asOf: asOf, platforms: cells.keys.sorted(), categories: categories, cells: cells)
    }
}
