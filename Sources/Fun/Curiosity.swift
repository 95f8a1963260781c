import GridWorld
import NeuralCore

/// Curiosity: the error of a learned forward model, which predicts the features of the next state from the
/// state and the action — what surprises the agent is fun until it is understood.
///
/// Follows Pathak et al. 2017 (ICM) in rewarding forward-model error, with fixed random features of the
/// observation as the prediction target, the variant Burda et al. 2018 ("Large-scale study of
/// curiosity-driven learning") found to work as well; ICM's inverse-model features are left for when the
/// NeuralCore module exists. Because it predicts the future, noise it cannot predict stays fun for ever (the
/// noisy-TV problem) — RND, beside it, does not have it. Reward: error ÷ its running RMS.
public struct Curiosity: FunModel {
    public struct State: Codable, Sendable {
        public var forward: SparseMLP
        public var scale: RunningRMS
    }
    public let name = "curiosity"
    public let scope = FunScope.lifetime
    public var state: State
    public var rate: Float = 0.05
    var step: ForwardModelStep

    /// Dimension of the random feature space φ.
    public static let embeddingSize = 16

    public init(features: FeatureSpace, seed: UInt64, hidden: Int = 32) {
        var rng = SplitMix64(seed: seed).derived(0xC0_12)
        let embedding = SparseMLP(inputs: features.dimension, hidden: hidden, outputs: Self.embeddingSize,
                                  activeCount: features.activeCount, rng: &rng)
        state = State(forward: SparseMLP(inputs: ForwardModelStep.inputs(features), hidden: hidden, outputs: Self.embeddingSize,
                                         activeCount: ForwardModelStep.activeCount(features), rng: &rng),
                      scale: RunningRMS())
        step = ForwardModelStep(features: features, embedding: embedding)
    }

    /// The forward model's squared error on this step, before it learns from it. O(active · hidden).
    public mutating func predictionError(_ step: FunInput) -> Float {
        let rate = rate
        return self.step.withInputAndTarget(step) { active, target in state.forward.train(active, target: target, rate: rate) }
    }

    public mutating func reward(_ step: FunInput) -> Float {
        let error = predictionError(step)
        return state.scale.normalise(error)
    }

    public func validate(_ saved: State) throws(FunStateError) {
        try saved.forward.mustMatch(state.forward, model: name, part: "forward model")
    }
}

/// Random network distillation: the error of a predictor trained to copy a fixed random network's output
/// on the current observation — high on observations seldom seen, falling as they become familiar.
///
/// Follows Burda et al. 2019 ("Exploration by random network distillation"): the target is a deterministic
/// function of the observation, so even a screen of noise becomes predictable once its few pictures are
/// learned. Reward: error ÷ its running RMS (Burda et al. normalise by a running spread too).
public struct RandomNetworkDistillation: FunModel {
    public struct State: Codable, Sendable {
        public var predictor: SparseMLP
        public var scale: RunningRMS
    }
    public let name = "rnd"
    public let scope = FunScope.lifetime
    public var state: State
    public var rate: Float = 0.05
    let features: FeatureSpace
    var targetNetwork: SparseMLP
    var active: ContiguousArray<Int32>
    var target: ContiguousArray<Float>

    public static let outputSize = 16

    public init(features: FeatureSpace, seed: UInt64, hidden: Int = 32) {
        var rng = SplitMix64(seed: seed).derived(0x12D)
        self.features = features
        targetNetwork = SparseMLP(inputs: features.dimension, hidden: hidden, outputs: Self.outputSize,
                                  activeCount: features.activeCount, rng: &rng)
        state = State(predictor: SparseMLP(inputs: features.dimension, hidden: hidden, outputs: Self.outputSize,
                                           activeCount: features.activeCount, rng: &rng),
                      scale: RunningRMS())
        active = ContiguousArray(repeating: 0, count: features.activeCount)
        target = ContiguousArray(repeating: 0, count: Self.outputSize)
    }

    /// The predictor's squared error on the observation after the step, before it learns from it.
    public mutating func predictionError(_ step: FunInput) -> Float {
        let features = features
        let rate = rate
        return active.withUnsafeMutableBufferPointer { active in
            features.write(step.after, into: active)
            let input = UnsafeBufferPointer(active)
            return target.withUnsafeMutableBufferPointer { target in
                targetNetwork.predict(input, into: target)
                return state.predictor.train(input, target: UnsafeBufferPointer(target), rate: rate)
            }
        }
    }

    public mutating func reward(_ step: FunInput) -> Float {
        let error = predictionError(step)
        return state.scale.normalise(error)
    }

    public func validate(_ saved: State) throws(FunStateError) {
        try saved.predictor.mustMatch(state.predictor, model: name, part: "predictor")
    }
}
