import LedgerCompare
import LedgerConcurrency
import LedgerCore
import LedgerStorage

/// Turns stored rows into the comparison module's claims. The one path from storage into
/// `LedgerCompare`, for `ledger compare`, `ledger history` and the service alike.
enum ClaimReading {
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
}
