import LedgerCore

/// Options of the commands that archive pages (`ledger source add`, `ledger track add`).
public enum DocumentOptions {
    /// `--type`: a document type of the vocabulary (FORMAT.md §5c).
    public static func type(_ text: String) throws -> ArchivedDocument.DocumentType {
        guard let type = ArchivedDocument.DocumentType(rawValue: text) else {
            throw CLIError.usage("--type: one of \(ArchivedDocument.DocumentType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return type
    }
}
