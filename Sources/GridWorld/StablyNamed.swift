/// A closed set of cases with stable names: what scenario files, themes, tapes and reports call them.
public protocol StablyNamed: CaseIterable {
    var name: String { get }
}

extension StablyNamed {
    /// The case with this stable name, if any. O(cases).
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }
}
