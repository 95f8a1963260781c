/// The kind of value a file was read for, in words a person editing it knows: "a whole number", not Swift's "Int".
/// For decoding errors, which name the Swift type they wanted; containers arrive as `[String: Any]` and `[Any]`,
/// whatever they hold.
public func valueKind(_ type: Any.Type) -> String {
    switch type {
    case is any BinaryInteger.Type: "a whole number"
    case is any BinaryFloatingPoint.Type: "a number"
    case is String.Type: "text"
    case is Bool.Type: "true or false"
    case is [String: Any].Type: "an object"
    case is any Sequence.Type: "a list"
    default: "a value of another kind"
    }
}
