/// A JSON value as our formats allow it: integers only (no floats), objects without duplicate keys.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The largest magnitude RFC 8785 can represent exactly (IEEE 754 doubles hold every integer up to 2^53).
    public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// An object from a dictionary (its members are put in canonical order).
    public static func object(_ members: [String: JSONValue]) -> JSONValue { .object(JSONObject(members)) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}

/// Why a document is not acceptable JSON; `path` names the field (`source.url`, `quantities[2].value`).
public struct JSONError: KindedError, Equatable, CustomStringConvertible {
    /// The bytes given are wrong.
    public var kind: FailureKind { .caller }

    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
