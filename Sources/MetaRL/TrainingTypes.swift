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
    /// Adam's β₂ and ε for a fresh optimiser (a resumed run keeps the checkpoint's). A lower β₂ lets the second
    /// moment follow a gradient spike within tens of updates instead of hundreds, so the step a spike causes in a
    /// parameter whose gradient was small is at most lr·(1 − β₁)/√(1 − β₂) once, not ~30·lr over the momentum's life.
    public var adamBeta2: Float = 0.999
    public var adamEpsilon: Float = 1e-8
    /// Guard against gradient spikes: a gradient norm above this multiple of its running average (over about 20
    /// updates) is clipped to that multiple, and the step's learning rate shrinks in proportion (nil: no guard).
    public var spikeGuard: Float? = nil
    /// Back-propagation through time stops every this many steps within a segment (nil: it spans the segment).
    /// The hidden state still carries over; only the gradient through it is cut.
    public var backPropagationSpan: Int? = nil
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
    /// When standardising, divide by at least this (nil: by the standard deviation however small). While nothing
    /// succeeds the advantages are the value head's small errors, and standardising them makes noise into full-size
    /// steps that walk the policy to a deterministic corner it cannot leave (a collapse's second half).
    public var advantageScaleFloor: Float? = nil
    /// Let the entropy bonus fall with the learning rate (by the same factor, over `learningRateDecaySteps`), so
    /// that exploration the bonus buys early gives way to a policy that acts on what it knows by the end.
    public var entropyFallsWithLearningRate: Bool = false
    /// Learn from each task reward's expectation given the action (the reward less its `luck`) where the family
    /// draws rewards by chance: the same policy gradient in expectation, without the draws' noise. The agent still
    /// sees the reward that was drawn, which is what it must learn the odds from.
    public var learnsFromExpectedRewards: Bool = false
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

    /// The most environment steps one training may be asked for: far beyond any run (10¹⁵ steps is centuries at this
    /// speed), yet small enough that counting steps, rounding them up to whole updates or adding them to a resumed
    /// run's cannot overflow (a trap).
    public static let mostSteps = 1_000_000_000_000_000

    /// The most environment steps one update may take (segment length × environments): the rollout buffers hold
    /// them all at once, about a kilobyte each, so more would fail to allocate (a crash) or overflow (a trap).
    /// The largest the command line offers by default, 4,096 environments × 256 steps, is half of it.
    public static let mostStepsPerUpdate = 1 << 21

    /// Rejects settings that cannot train, with a message naming the setting.
    public func validate(batchSize: Int) throws(TrainingError) {
        if rolloutLength < 1 { throw .invalidConfiguration("rolloutLength must be at least 1, got \(rolloutLength)") }
        if rolloutLength > Self.mostStepsPerUpdate / max(1, batchSize) {
            throw .invalidConfiguration("segments of \(rolloutLength) steps in \(batchSize) environments are more than \(Self.mostStepsPerUpdate) steps an update, more than the rollout buffers can hold; shorten the segments or use fewer environments")
        }
        if threads < 1 || threads > batchSize {
            throw .invalidConfiguration("threads must be from 1 to the \(batchSize) environments trained at once (--envs), got \(threads)")
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
        if !(coefficients.entropy >= 0 && coefficients.entropy.isFinite) {
            throw .invalidConfiguration("the entropy bonus must be a finite number ≥ 0, got \(coefficients.entropy)")
        }
        if !rewardShift.isFinite { throw .invalidConfiguration("rewardShift must be finite, got \(rewardShift)") }
        if epochs < 1 { throw .invalidConfiguration("epochs must be at least 1, got \(epochs)") }
        if !(clipRange > 0) { throw .invalidConfiguration("clipRange must be positive, got \(clipRange)") }
        if !(maxGradientNorm > 0) { throw .invalidConfiguration("maxGradientNorm must be positive, got \(maxGradientNorm)") }
        if !(adamBeta2 > 0 && adamBeta2 < 1) { throw .invalidConfiguration("adamBeta2 must be in (0, 1), got \(adamBeta2)") }
        if !(adamEpsilon > 0 && adamEpsilon.isFinite) { throw .invalidConfiguration("adamEpsilon must be positive, got \(adamEpsilon)") }
        if let floor = advantageScaleFloor, !(floor >= 0 && floor.isFinite) {
            throw .invalidConfiguration("advantageScaleFloor must be non-negative, got \(floor)")
        }
        if let factor = spikeGuard, !(factor > 1 && factor.isFinite) {
            throw .invalidConfiguration("spikeGuard must be above 1, got \(factor)")
        }
        if let span = backPropagationSpan, span < 1 {
            throw .invalidConfiguration("backPropagationSpan must be at least 1, got \(span)")
        }
    }
}

extension TrainerConfiguration {
    enum CodingKeys: String, CodingKey {
        case rolloutLength, discount, gaeLambda, learningRate, learningRateDecaySteps, coefficients, maxGradientNorm
        case adamBeta2, adamEpsilon, backPropagationSpan, advantageScaleFloor, spikeGuard, epochs, clipRange, rewardScale, rewardShift, normalizeAdvantages
        case entropyFallsWithLearningRate, learnsFromExpectedRewards, threads, seed
    }

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
        try read(.adamBeta2, &adamBeta2)
        try read(.adamEpsilon, &adamEpsilon)
        backPropagationSpan = try c.decodeIfPresent(Int.self, forKey: .backPropagationSpan)
        advantageScaleFloor = try c.decodeIfPresent(Float.self, forKey: .advantageScaleFloor)
        spikeGuard = try c.decodeIfPresent(Float.self, forKey: .spikeGuard)
        try read(.epochs, &epochs)
        try read(.clipRange, &clipRange)
        try read(.rewardScale, &rewardScale)
        try read(.rewardShift, &rewardShift)
        try read(.normalizeAdvantages, &normalizeAdvantages)
        try read(.entropyFallsWithLearningRate, &entropyFallsWithLearningRate)
        try read(.learnsFromExpectedRewards, &learnsFromExpectedRewards)
        try read(.threads, &threads)
        try read(.seed, &seed)
    }

    /// Writes every setting, except that those added after checkpoints were first shipped are left out while they
    /// hold their defaults: a recipe that does not use them writes the checkpoint byte for byte as before.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rolloutLength, forKey: .rolloutLength)
        try c.encode(discount, forKey: .discount)
        try c.encode(gaeLambda, forKey: .gaeLambda)
        try c.encode(learningRate, forKey: .learningRate)
        try c.encodeIfPresent(learningRateDecaySteps, forKey: .learningRateDecaySteps)
        try c.encode(coefficients, forKey: .coefficients)
        try c.encode(maxGradientNorm, forKey: .maxGradientNorm)
        if adamBeta2 != Self().adamBeta2 { try c.encode(adamBeta2, forKey: .adamBeta2) }
        if adamEpsilon != Self().adamEpsilon { try c.encode(adamEpsilon, forKey: .adamEpsilon) }
        try c.encodeIfPresent(backPropagationSpan, forKey: .backPropagationSpan)
        try c.encodeIfPresent(advantageScaleFloor, forKey: .advantageScaleFloor)
        try c.encodeIfPresent(spikeGuard, forKey: .spikeGuard)
        try c.encode(epochs, forKey: .epochs)
        try c.encode(clipRange, forKey: .clipRange)
        try c.encode(rewardScale, forKey: .rewardScale)
        try c.encode(rewardShift, forKey: .rewardShift)
        try c.encode(normalizeAdvantages, forKey: .normalizeAdvantages)
        try c.encode(entropyFallsWithLearningRate, forKey: .entropyFallsWithLearningRate)
        if learnsFromExpectedRewards { try c.encode(learnsFromExpectedRewards, forKey: .learnsFromExpectedRewards) }
        try c.encode(threads, forKey: .threads)
        try c.encode(seed, forKey: .seed)
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
    /// Mean task return of those episodes family by family, in the order of the environment's `families` (NaN for
    /// a family none of whose episodes ended).
    public var taskReturnByFamily: [Double] = []
    /// Trials that ended during this update's rollout.
    public var trials: Int = 0
    /// Mean total (task + fun) return of those trials (NaN when none ended).
    public var meanTrialReturn: Double = .nan
    /// Environment steps per second of wall time over rollout and update.
    public var stepsPerSecond: Double = 0
    public var rolloutSeconds: Double = 0
    public var updateSeconds: Double = 0
    public var loss = ActorCriticLoss()
    /// Gradient norm before clipping (of the last pass, for PPO).
    public var gradientNorm: Double = 0
    /// Standard deviation of the segment's advantages, before any standardisation.
    public var advantageStd: Double = 0
    /// Gradient norm after clipping, what Adam was given.
    public var clippedGradientNorm: Double = 0
    /// Norm of the change in the parameters over the whole update (every pass): how far this update moved the
    /// policy, whatever the gradient's size, since Adam rescales it per parameter.
    public var updateNorm: Double = 0
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
