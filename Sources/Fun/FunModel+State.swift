import Foundation
import NeuralCore
import Records

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
        try StableJSON.data(state)
    }

    /// Restores a state saved by `encodedState()` from a model of the same kind and shape.
    public mutating func restoreState(from data: Data) throws(FunStateError) {
        let decoded: State
        do {
            decoded = try StableJSON.decode(State.self, from: data)
        } catch {
            throw FunStateError("cannot restore the state of fun model '\(name)': \(error)")
        }
        try validate(decoded)
        state = decoded
    }
}

extension SparseMLP {
    /// Refuses a network of another shape than `expected`, naming the model.
    func mustMatch(_ expected: SparseMLP, model: String, part: String) throws(FunStateError) {
        guard inputs == expected.inputs, hidden == expected.hidden, outputs == expected.outputs else {
            throw FunStateError("cannot restore fun model '\(model)': its saved \(part) is \(inputs)×\(hidden)×\(outputs), "
                + "this world needs \(expected.inputs)×\(expected.hidden)×\(expected.outputs)")
        }
    }
}
