/// A JSON value built at run time, for objects whose keys are only known then (`bench --json` names keys after
/// the terminal size it measured), written through `StableJSON` like every other record.
public enum JSONValue: Encodable, Sendable {
    case number(Double)
    case string(String)
    case object([String: JSONValue])
    /// A typed record, encoded as itself.
    case record(any Encodable & Sendable)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let x):
            var c = encoder.singleValueContainer()
            try c.encode(x)
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .object(let members):
            try members.encode(to: encoder)
        case .record(let value):
            try value.encode(to: encoder)
        }
    }
}

extension JSONValue: ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}
