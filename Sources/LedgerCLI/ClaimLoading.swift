import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import LedgerCommandSupport
import LedgerCompare
import LedgerCore
import LedgerStorage

extension OutputFormat: ExpressibleByArgument {}

/// Turns stored rows into the comparison module's claims, and checks the options they share.
enum ClaimLoading {
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

    /// Reads a stored statement. The audit checks stored bytes are canonical and match their
    /// digest; here they are only parsed and validated, which is what building the model needs.
    static func claim(_ row: ClaimRow) throws -> Claim {
        var statement: Statement?
        if let bytes = row.body {
            guard let value = try? JSONParser.parse(bytes), let s = try? Statement(validating: value) else {
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

    /// Parses many rows on every core, keeping their order.
    static func claims(_ rows: [ClaimRow]) throws -> [Claim] {
        guard rows.count > 64 else { return try rows.map(claim) }
        return try parallelMap(rows) { row in Result { try claim(row) } }.map { try $0.get() }
    }

    /// Parses rows while `read` is still reading the next ones (it hands them over in chunks
    /// to `add`), keeping their order: reading and parsing overlap on two cores.
    static func claims(reading read: (_ add: ([ClaimRow]) -> Void) throws -> Void) throws -> [Claim] {
        let pipeline = ChunkPipeline<ClaimRow, Claim> { try claim($0) }
        do {
            try read { pipeline.add($0) }
        } catch {
            _ = try? pipeline.finish()
            throw error
        }
        return try pipeline.finish()
    }

    /// Parses groups of rows in one parallel pass and gives back the same groups.
    static func claims(groups: [[ClaimRow]]) throws -> [[Claim]] {
        var flat = try claims(groups.flatMap { $0 })[...]
        return groups.map { g in
            defer { flat = flat.dropFirst(g.count) }
            return Array(flat.prefix(g.count))
        }
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
        guard Slug.isValid(text) else { throw CLIError.usage("'\(text)' is not a platform name: 1-64 characters of a-z, 0-9, '.', '-', '_'") }
        return text
    }
}
