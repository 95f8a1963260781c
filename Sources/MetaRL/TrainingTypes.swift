import NeuralCore

/// Hyper-parameters of the actor-critic meta-learner (A2C with GAE and truncated BPTT).
public struct TrainerConfiguration: Sendable, Equatable, Codable {
    /// Steps per rollout segment; BPTT is truncated at segment boundaries (the hidden state carries over).
    public var rolloutLength: Int = 128
    public var discount: Float = 0.99
    /// GAE λ; 1 gives the plain n-step returns of A2C.
    public var gaeLambda: Float = 0.95
    public var learningRate: Float = 7e-4
    /// Environment steps over which the learning rate falls linearly to 2% of `learningRate`, where it stays
    /// (nil: constant), so that the policy settles at the end of a long run instead of wandering.
    public var learningRateDecaySteps: Int? = nil
    public var coefficients = ActorCriticCoefficients(entropy: 0.01, value: 0.5)
    /// Global gradient-norm bound.
    public var maxGradientNorm: Float = 0.5
    /// Optimisation passes over each rollout segment. 1 is A2C; more turns the update into PPO's clipped
    /// surrogate (the segment is re-run through the GRU with the current parameters before each later pass).
    public var epochs: Int = 1
    /// PPO's ratio clip ε (used when `epochs > 1`; with one pass the ratio is 1 and A2C results).
    public var clipRange: Float = 0.2
    /// Multiplies the learning reward (task + fun) before returns are formed, to keep value targets near unit
    /// scale; metrics still report unscaled returns.
    public var rewardScale: Float = 1
    /// Subtracted from the learning reward before scaling. In families whose trials have a fixed length it leaves
    /// every policy's ranking unchanged, and shifting by the reward a random policy earns per step keeps the value
    /// targets from growing with the steps left in the trial, which a memory without a clock predicts badly.
    public var rewardShift: Float = 0
    /// Standardise advantages over the batch before each update (zero mean, unit variance).
    public var normalizeAdvantages: Bool = false
    /// End every return at its episode's end (the memory still spans the trial): each episode is judged by its own
    /// reward, as γ = 0 judges each step of a one-step-per-episode family.
    public var returnsEndWithEpisodes: Bool = false
    /// Let the entropy bonus fall with the learning rate (by the same factor, over `learningRateDecaySteps`), so
    /// that exploration the bonus buys early gives way to a policy that acts on what it knows by the end.
    public var entropyFallsWithLearningRate: Bool = false
    /// Threads the batch is split across; results are deterministic for a given seed and thread count.
    public var threads: Int = 1
    public var seed: UInt64 = 0

    public init() {}

    /// The learning rate after `environmentSteps` steps of training.
    public func learningRate(atStep environmentSteps: Int) -> Float {
        guard let decay = learningRateDecaySteps else { return learningRate }
        return learningRate * max(1 - Float(environmentSteps) / Float(decay), 0.02)
    }

    /// The loss coefficients after `environmentSteps` steps of training.
    public func coefficients(atStep environmentSteps: Int) -> ActorCriticCoefficients {
        var c = coefficients
        if entropyFallsWithLearningRate { c.entropy *= learningRate(atStep: environmentSteps) / learningRate }
        return c
    }

    /// Rejects settings that cannot train, with a message naming the setting.
    public func validate(batchSize: Int) throws(TrainingError) {
        if rolloutLength < 1 { throw .invalidConfiguration("rolloutLength must be at least 1, got \(rolloutLength)") }
        if threads < 1 || threads > batchSize {
            throw .invalidConfiguration("threads must be between 1 and the batch size \(batchSize), got \(threads)")
        }
        if !(discount >= 0 && discount <= 1) { throw .invalidConfiguration("discount must be in [0, 1], got \(discount)") }
        if !(gaeLambda >= 0 && gaeLambda <= 1) { throw .invalidConfiguration("gaeLambda must be in [0, 1], got \(gaeLambda)") }
        if !(learningRate > 0 && learningRate.isFinite) {
            throw .invalidConfiguration("learningRate must be positive, got \(learningRate)")
        }
        if !(rewardScale > 0 && rewardScale.isFinite) { throw .invalidConfiguration("rewardScale must be positive, got \(rewardScale)") }
        if let d = learningRateDecaySteps, d < 1 {
            throw .invalidConfiguration("learningRateDecaySteps must be positive, got \(d)")
        }
        if !rewardShift.isFinite { throw .invalidConfiguration("rewardShift must be finite, got \(rewardShift)") }
        if epochs < 1 { throw .invalidConfiguration("epochs must be at least 1, got \(epochs)") }
        if !(clipRange > 0) { throw .invalidConfiguration("clipRange must be positive, got \(clipRange)") }
        if !(maxGradientNorm > 0) { throw .invalidConfiguration("maxGradientNorm must be positive, got \(maxGradientNorm)") }
    }
}

extension TrainerConfiguration {
    /// Settings missing from a checkpoint written before they existed keep their defaults.
    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { value = v }
        }
        try read(.rolloutLength, &rolloutLength)
        try read(.discount, &discount)
        try read(.gaeLambda, &gaeLambda)
        try read(.learningRate, &learningRate)
        learningRateDecaySteps = try c.decodeIfPresent(Int.self, forKey: .learningRateDecaySteps)
        try read(.coefficients, &coefficients)
        try read(.maxGradientNorm, &maxGradientNorm)
        try read(.epochs, &epochs)
        try read(.clipRange, &clipRange)
        try read(.rewardScale, &rewardScale)
        try read(.rewardShift, &rewardShift)
        try read(.normalizeAdvantages, &normalizeAdvantages)
        try read(.returnsEndWithEpisodes, &returnsEndWithEpisodes)
        try read(.entropyFallsWithLearningRate, &entropyFallsWithLearningRate)
        try read(.threads, &threads)
        try read(.seed, &seed)
    }
}

/// What one update did, reported to the progress callback.
public struct TrainingMetrics: Sendable, Equatable {
    /// Updates completed, this one included.
    public var update: Int = 0
    /// Environment steps taken since training began (batch × rollout per update).
    public var environmentSteps: Int = 0
    /// Episodes that ended during this update's rollout.
    public var episodes: Int = 0
    /// Mean task return of those episodes (NaN when none ended).
    public var meanTaskReturn: Double = .nan
    /// Mean fun return of those episodes (NaN when none ended).
    public var meanFunReturn: Double = .nan
    /// Trials that ended during this update's rollout.
    public var trials: Int = 0
    /// Mean total (task + fun) return of those trials (NaN when none ended).
    public var meanTrialReturn: Double = .nan
    /// Environment steps per second of wall time over rollout and update.
    public var stepsPerSecond: Double = 0
    public var rolloutSeconds: Double = 0
    public var updateSeconds: Double = 0
    public var loss = ActorCriticLoss()
    /// Gradient norm before clipping.
    public var gradientNorm: Double = 0
    public init() {}
}

/// Why training stopped or could not start.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    /// The policy's shape does not fit the environment.
    case shapeMismatch(String)
    /// A loss, gradient or parameter became NaN or infinite; the last good parameters were kept.
    case nonFinite(update: Int, quantity: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid training configuration: \(m)"
        case .shapeMismatch(let m): return "policy does not fit the environment: \(m)"
        case .nonFinite(let u, let q):
            return "training diverged at update \(u): \(q) is not finite; the parameters from update \(u - 1) were kept (try a lower learning rate)"
        }
    }
}
