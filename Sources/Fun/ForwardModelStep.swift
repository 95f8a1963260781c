import GridWorld
import NeuralCore

/// What a forward model learns from on one step, for the fun models that reward its error (`curiosity`) or the fall
/// of its error (`progress`): the state before and the action as active features (the action one feature past the
/// state's), and as the target φ, fixed random features of the state after.
struct ForwardModelStep {
    let features: FeatureSpace
    /// φ: fixed random features of an observation (the prediction target).
    var embedding: SparseMLP
    var active: ContiguousArray<Int32>
    var next: ContiguousArray<Int32>
    var target: ContiguousArray<Float>

    /// Inputs of a forward model over `features`: the state's features, then one for each packed action.
    static func inputs(_ features: FeatureSpace) -> Int { features.dimension + 64 }

    /// Active inputs of a forward model over `features` on one step: the state's, and the action.
    static func activeCount(_ features: FeatureSpace) -> Int { features.activeCount + 1 }

    init(features: FeatureSpace, embedding: SparseMLP) {
        self.features = features
        self.embedding = embedding
        active = ContiguousArray(repeating: 0, count: Self.activeCount(features))
        next = ContiguousArray(repeating: 0, count: features.activeCount)
        target = ContiguousArray(repeating: 0, count: embedding.outputs)
    }

    /// Hands `body` the forward model's input and target for `step`. O(active · hidden), no allocation.
    mutating func withInputAndTarget<R>(_ step: FunInput, _ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> R) -> R {
        let features = features
        let n = features.activeCount
        return next.withUnsafeMutableBufferPointer { next in
            features.write(step.after, into: next)
            return target.withUnsafeMutableBufferPointer { target in
                embedding.predict(UnsafeBufferPointer(next), into: target)
                return active.withUnsafeMutableBufferPointer { active in
                    features.write(step.before, into: active)
                    active[n] = Int32(features.dimension + Int(step.action.packed))
                    return body(UnsafeBufferPointer(active), UnsafeBufferPointer(target))
                }
            }
        }
    }
}
