import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import LedgerCommandSupport
import LedgerCompare
import LedgerCore

extension OutputFormat: ExpressibleByArgument {}

/// What `compare` and `history` share on the command line: their options' checks and the
/// allocator settings of a short query process.
enum QueryOptions {
    /// Query commands allocate and free a few megabytes in one short burst; glibc's default of
    /// giving memory back to the kernel as soon as it is freed makes them fault it in again.
    static func tuneAllocator() {
        #if canImport(Glibc)
        // mallopt(3) is not in Swift's Glibc module; look it up in the running process.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        // <malloc.h>: M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3.
        _ = mallopt(-1, 256 << 20)
        _ = mallopt(-2, 64 << 20)
        _ = mallopt(-3, 64 << 20)
        #endif
    }

    /// Ends the process once the answer is written, with `model` still alive: freeing a model of
    /// thousands of claims object by object (about 4 ms for a 5,000-claim history) is work the
    /// kernel does at once when the process ends.
    static func exitKeeping(_ model: some Any) -> Never {
        withExtendedLifetime(model) { exit(0) }
    }

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
}
