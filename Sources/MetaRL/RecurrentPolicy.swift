import NeuralCore

/// Shape of a recurrent actor-critic; stored in checkpoints so a model can be rebuilt from one.
public struct PolicyConfiguration: Sendable, Equatable, Codable {
    public var observationSize: Int
    public var taskActionCount: Int
    public var playActionCount: Int
    public var hiddenSize: Int
    /// Feed the previous transition (one-hot actions, rewards, done flag) to the GRU as RL² does. Off only for
    /// benchmarks that mirror a plain observation-only GRU.
    public var feedsPreviousTransition: Bool

    public init(observationSize: Int, taskActionCount: Int, playActionCount: Int, hiddenSize: Int = 128,
                feedsPreviousTransition: Bool = true) {
        self.observationSize = observationSize
        self.taskActionCount = taskActionCount
        self.playActionCount = playActionCount
        self.hiddenSize = hiddenSize
        self.feedsPreviousTransition = feedsPreviousTransition
    }

    /// The configuration that fits an environment family.
    public init(for environment: some MetaEnvironment, hiddenSize: Int = 128) {
        self.init(observationSize: environment.observationSize, taskActionCount: environment.taskActionCount,
                  playActionCount: environment.playActionCount, hiddenSize: hiddenSize)
    }

    /// Width of the GRU input: observation ⊕ one-hot previous task action ⊕ one-hot previous play action
    /// ⊕ previous task reward ⊕ previous fun reward ⊕ previous done flag.
    public var inputSize: Int {
        feedsPreviousTransition ? observationSize + taskActionCount + playActionCount + 3 : observationSize
    }
}

/// What the agent saw last, per environment: the extra RL² inputs besides the observation.
public struct PreviousTransition: Sendable, Equatable {
    /// Previous task action, or -1 at the start of a trial (encoded as an all-zero one-hot).
    public var task: Int32 = -1
    /// Previous play action, or -1 at the start of a trial.
    public var play: Int32 = -1
    public var taskReward: Float = 0
    public var funReward: Float = 0
    /// The previous step ended an episode (the agent is at the start of a new episode of the same MDP).
    public var episodeDone: Bool = false
    public init() {}
}

/// The RL² agent: a GRU over observation and previous transition, a factored ⟨task, play⟩ policy and a value.
///
/// The hidden state persists across the episodes of a trial and is reset only when a new MDP is drawn; the
/// episode boundary reaches the agent as an input flag. All parameters live in one flat buffer laid out by
/// `layout`.
public struct RecurrentPolicy: Sendable, Equatable {
    public let configuration: PolicyConfiguration
    public let gru: GRU
    public let head: ActorCriticHead
    public let parameterCount: Int

    public init(_ configuration: PolicyConfiguration) {
        self.configuration = configuration
        var layout = ParameterLayout()
        gru = GRU(inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize, layout: &layout)
        head = ActorCriticHead(hiddenSize: configuration.hiddenSize, taskCount: configuration.taskActionCount,
                               playCount: configuration.playActionCount, layout: &layout)
        parameterCount = layout.count
    }

    public var hiddenSize: Int { configuration.hiddenSize }
    public var inputSize: Int { configuration.inputSize }
    /// Floats per head output row: task logits, play logits, value.
    public var outputSize: Int { head.outputSize }

    /// Freshly initialised parameters drawn from `rng`.
    public func initialParameters(rng: inout SplitMix64) -> ContiguousArray<Float> {
        var values = ContiguousArray<Float>(repeating: 0, count: parameterCount)
        values.withUnsafeMutableBufferPointer { v in
            gru.initialize(v, rng: &rng)
            head.initialize(v, rng: &rng)
        }
        return values
    }

    /// Writes one GRU input row from an observation and the previous transition.
    public func encodeInput(observation: UnsafePointer<Float>, previous: PreviousTransition,
                            into x: UnsafeMutablePointer<Float>) {
        let c = configuration
        x.update(from: observation, count: c.observationSize)
        guard c.feedsPreviousTransition else { return }
        var o = c.observationSize
        for j in 0..<c.taskActionCount { x[o + j] = Int32(j) == previous.task ? 1 : 0 }
        o += c.taskActionCount
        for j in 0..<c.playActionCount { x[o + j] = Int32(j) == previous.play ? 1 : 0 }
        o += c.playActionCount
        x[o] = previous.taskReward
        x[o + 1] = previous.funReward
        x[o + 2] = previous.episodeDone ? 1 : 0
    }
}
