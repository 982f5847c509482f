import ArgumentParser
import LedgerCommandSupport
import LedgerCompare
import LedgerCore

extension OutputFormat: ExpressibleByArgument {}

/// What `compare` and `history` share on the command line: their options' checks.
enum QueryOptions {
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
        guard Slug.isValid(text) else {
            if Slug.isValid(text.lowercased()) { throw CLIError.usage("platform names are lowercase: did you mean '\(text.lowercased())'?") }
            throw CLIError.usage("'\(text)' is not a platform name: 1-64 characters of a-z, 0-9, '.', '-', '_'")
        }
        return text
    }

    /// `--limit`, `--after`, `--before` and `--latest` as a history window (`HistoryWindow.paging`).
    static func window(limit: Int?, after: String?, before: String?, latest: Bool) throws -> HistoryWindow {
        if let limit, limit < 1 { throw CLIError.usage("--limit: must be at least 1") }
        func cursor(_ text: String?, _ option: String) throws -> TimelineCursor? {
            guard let text else { return nil }
            guard let c = TimelineCursor(text) else { throw CLIError.usage("\(option): '\(text)' is not a cursor like 2021-06-30.42 (DATE.SEQ, as 'more:' prints it)") }
            return c
        }
        guard let window = HistoryWindow.paging(limit: limit, after: try cursor(after, "--after"), before: try cursor(before, "--before"), latest: latest) else {
            throw CLIError.usage("--after pages forward and --before (or --latest) back: give one of them")
        }
        return window
    }
}
