import Foundation

/// The state of a fun model that learns nothing.
public struct FunNoState: Codable, Hashable, Sendable {
    public init() {}
}

/// Why a saved fun state cannot be restored.
public struct FunStateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension FunModel {
    /// The learned state as JSON, for checkpoints.
    public func encodedState() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(state)
    }

    /// Restores a state saved by `encodedState()` from a model of the same kind and shape.
    public mutating func restoreState(from data: Data) throws(FunStateError) {
        do {
            state = try JSONDecoder().decode(State.self, from: data)
        } catch {
            throw FunStateError("cannot restore the state of fun model '\(name)': \(error)")
        }
    }
}
