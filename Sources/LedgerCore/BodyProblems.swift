/// Every mistake in a document a person wrote, each with its line and column, for `ledger
/// statement check` (validation itself stops at the first mistake: it guards what is signed).
public struct BodyProblem: Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String
    /// 1-based; nil where the mistake has no place (an empty or oversized file).
    public let line: Int?
    public let column: Int?

    /// `12:7: figures[1].share_bp: 12000 basis points is over 100 % (10000)`.
    public var description: String {
        (line.map { l in "\(l):\(column ?? 1): " } ?? "") + (field.isEmpty ? message : "\(field): \(message)")
    }
}

extension Body {
    /// Valid stand-ins for required members, so the search for further mistakes can go on past
    /// a bad one (they never reach a ledger: a document with problems is refused whole).
    private static let standIns: [String: JSONValue] = [
        "platform": .string("x"), "category": .string("policy-text"), "published": .string("2000-01-01"),
        "effective_date": .string("2000-01-01"), "quote": .string("q"), "language": .string("en"),
        "source": .object(["url": .string("https://example.org"), "retrieved_at": .string("2000-01-01T00:00:00Z"),
                           "sha256": .string(String(repeating: "0", count: 64))]),
    ]

    private static let figureStandIns: [String: JSONValue] = [
        "measure": .string("requests-received"), "count": .integer(0), "share_bp": .integer(0),
        "band": .object(["low": .integer(0), "high": .integer(1)]), "jurisdiction": .string("worldwide"),
        "requester": .string("governments"),
        "period": .object(["start": .string("2000-01-01"), "end": .string("2000-01-01")]),
    ]
    private static let assertionStandIns: [String: JSONValue] = [
        "polarity": .string("may"), "action": .string("disclose"), "recipient": .string("third-parties"),
    ]

    /// Validates `members` again and again: each round records the mistake found, then stands in
    /// for (or drops) the member at fault, until none is left, one repeats, or 64 rounds.
    private static func collect(_ members: [String: JSONValue], prefix: String, standIns: [String: JSONValue],
                                validate: (JSONValue) throws -> Void) -> [ValidationError] {
        var members = members, found: [ValidationError] = [], seen: Set<String> = []
        /// False when the search cannot go on.
        func record(_ e: ValidationError) -> Bool {
            let local = e.field.hasPrefix(prefix) ? e.field.dropFirst(prefix.count) : e.field[...]
            let top = String(local.prefix { $0 != "." && $0 != "[" })
            guard !seen.contains(top) else { return false }
            found.append(e)
            seen.insert(top)
            guard top != "schema", !top.isEmpty else { return false }
            members[top] = standIns[top]
            return true
        }
        for _ in 0..<64 {
            do {
                try validate(.object(JSONObject(members)))
                break
            } catch let e as ValidationError {
                guard record(e) else { break }
            } catch BodyError.invalid(let e) {
                guard record(e) else { break }
            } catch {
                found.append(ValidationError(prefix.isEmpty ? "" : String(prefix.dropLast()), "\(error)"))
                break
            }
        }
        return found
    }

    /// Every problem of `raw` as a body document, in the order they stand in the file; empty
    /// when it is valid. Each figure and assertion of a v2 statement is checked on its own, and
    /// within each, and at the top, member after member (`collect`: at most 64 rounds of
    /// validation each, every round linear in a size bounded by `Body.maxBytes`).
    public static func problems(in raw: [UInt8]) -> [BodyProblem] {
        func at(_ field: String, _ message: String) -> BodyProblem {
            let p = JSONLocator.position(of: field, in: raw)
            return BodyProblem(field: field, message: message, line: p?.line, column: p?.column)
        }
        guard raw.count <= Body.maxBytes else {
            return [BodyProblem(field: "", message: BodyError.tooLarge(bytes: raw.count, limit: Body.maxBytes).description, line: nil, column: nil)]
        }
        let value: JSONValue
        do { value = try JSONParser.parse(raw) } catch let e as JSONError {
            return [at(e.path, e.message)]
        } catch {
            return [BodyProblem(field: "", message: "\(error)", line: nil, column: nil)]
        }
        do {
            _ = try Body(value: value)
            return []
        } catch BodyError.invalid(let e) {
            guard case .object = value else { return [at(e.field, e.message)] }
        } catch {
            return [BodyProblem(field: "", message: "\(error)", line: nil, column: nil)]
        }
        guard case .object(let object) = value else { return [] }
        var found: [ValidationError] = []
        var members: [String: JSONValue] = Dictionary(uniqueKeysWithValues: Array(object))
        // A v2 statement's figures and assertions, each on its own.
        if case .string(Statement.schema)? = members["schema"] {
            for key in ["figures", "assertions"] {
                guard case .array(let items)? = members[key], !items.isEmpty, items.count <= 256 else { continue }
                for (i, item) in items.enumerated() {
                    let path = "\(key)[\(i)]"
                    guard case .object(let o) = item else {
                        found.append(ValidationError(path, "must be an object, found \(item.typeName)"))
                        continue
                    }
                    found += collect(Dictionary(uniqueKeysWithValues: Array(o)), prefix: path + ".", standIns: key == "figures" ? figureStandIns : assertionStandIns) {
                        if key == "figures" { _ = try Statement.figure($0, path: path) } else { _ = try Statement.assertion($0, path: path) }
                    }
                }
                members[key] = nil
            }
        }
        found += collect(members, prefix: "", standIns: standIns) { _ = try Body(value: $0) }
        return found.map { at($0.field, $0.message) }
            .sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
    }
}
