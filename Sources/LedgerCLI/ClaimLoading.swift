import ArgumentParser
import LedgerCompare
import LedgerCore
import LedgerStorage

extension OutputFormat: ExpressibleByArgument {}

/// Turns stored rows into the comparison module's claims, and checks the options they share.
enum ClaimLoading {
    static func claim(_ row: ClaimRow) throws -> Claim {
        var statement: Statement?
        if let bytes = row.body {
            guard let s = try? Body(stored: bytes).statement else {
                throw StorageError.corrupt("the body of seq \(row.seq) is not a valid statement")
            }
            statement = s
        }
        return Claim(seq: row.seq, signer: row.signer, appendedAt: row.time, platform: row.platform, category: row.category,
                     effectiveDate: row.effectiveDate, statement: statement,
                     supersededBy: row.supersededBy.flatMap { by in LinkKind(rawValue: by.kind).map { Claim.Correction(seq: by.seq, kind: $0) } },
                     corrects: row.corrects.flatMap { c in LinkKind(rawValue: c.kind).map { Claim.Correction(seq: c.target, kind: $0) } },
                     endorsements: row.endorsements, disputes: row.disputes)
    }

    static func claims(_ rows: [ClaimRow]) throws -> [Claim] { try rows.map(claim) }

    /// `--category`: one of the vocabulary's categories.
    static func category(_ text: String?) throws -> Category? {
        guard let text else { return nil }
        guard let c = Category(rawValue: text) else {
            throw CLIError.usage("--category: unknown category '\(text)'; one of: \(Category.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return c
    }

    /// A `YYYY-MM-DD` option.
    static func date(_ text: String?, option: String) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let d = CalendarDate(text) else { throw CLIError.usage("\(option): '\(text)' is not a date like 2019-03-14") }
        return d
    }

    static func platform(_ text: String) throws -> String {
        guard Slug.isValid(text) else { throw CLIError.usage("'\(text)' is not a platform name: 1-64 characters of a-z, 0-9, '.', '-', '_'") }
        return text
    }
}
