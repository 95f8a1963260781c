import NeuralCore

/// Shape of a recurrent actor-critic; stored in checkpoints so a model can be rebuilt from one.
public struct PolicyConfiguration: Sendable, Equatable, Codable {
    public var observationSize: Int
    public var taskActionCount: Int
    public var playActionCount: Int
    public var hiddenSize: Int
    /// Width of a tanh layer between the GRU and the heads (0: the heads read the GRU state directly). It lets
    /// the heads combine what the state holds with what the agent sees now — e.g. "the best action found so far
    /// *in this state*" — which a single linear read-out of the memory can express only poorly.
    public var trunkSize: Int
    /// Feed the previous transition (one-hot actions, rewards, done flag) to the GRU as RL² does. Off only for
    /// benchmarks that mirror a plain observation-only GRU.
    public var feedsPreviousTransition: Bool
    /// Which play actions the play head chooses among.
    public var plays: PlayChoices
    /// When the memory is cleared.
    public var memory: MemorySpan
    /// The recurrent core: the GRU, or the episodic LSTM that recalls the cell state of a context met before.
    public var core: RecurrentCore
    /// Entries each environment's recall dictionary holds (used by the episodic LSTM only).
    public var recallCapacity: Int

    public init(observationSize: Int, taskActionCount: Int, playActionCount: Int, hiddenSize: Int = 128,
                trunkSize: Int = 0, feedsPreviousTransition: Bool = true, plays: PlayChoices = .all,
                memory: MemorySpan = .trial, core: RecurrentCore = .gru, recallCapacity: Int = 64) {
        self.observationSize = observationSize
        self.taskActionCount = taskActionCount
        self.playActionCount = playActionCount
        self.hiddenSize = hiddenSize
        self.trunkSize = trunkSize
        self.feedsPreviousTransition = feedsPreviousTransition
        self.plays = plays
        self.memory = memory
        self.core = core
        self.recallCapacity = recallCapacity
    }

    /// The configuration that fits an environment family.
    public init(for environment: some MetaEnvironment, hiddenSize: Int = 128, trunkSize: Int = 0, plays: PlayChoices = .all,
                memory: MemorySpan = .trial, core: RecurrentCore = .gru) {
        self.init(observationSize: environment.observationSize, taskActionCount: environment.taskActionCount,
                  playActionCount: environment.playActionCount, hiddenSize: hiddenSize, trunkSize: trunkSize,
                  plays: plays, memory: memory, core: core)
    }

    /// Checkpoints written before the trunk, play choices, memory span or core existed have none, every play
    /// action, a memory that lasts the trial, and the GRU.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(observationSize: try c.decode(Int.self, forKey: .observationSize),
                  taskActionCount: try c.decode(Int.self, forKey: .taskActionCount),
                  playActionCount: try c.decode(Int.self, forKey: .playActionCount),
                  hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  trunkSize: try c.decodeIfPresent(Int.self, forKey: .trunkSize) ?? 0,
                  feedsPreviousTransition: try c.decode(Bool.self, forKey: .feedsPreviousTransition),
                  plays: try c.decodeIfPresent(PlayChoices.self, forKey: .plays) ?? .all,
                  memory: try c.decodeIfPresent(MemorySpan.self, forKey: .memory) ?? .trial,
                  core: try c.decodeIfPresent(RecurrentCore.self, forKey: .core) ?? .gru,
                  recallCapacity: try c.decodeIfPresent(Int.self, forKey: .recallCapacity) ?? 64)
    }

    /// The play actions (bit j: play action j) the head chooses among when the environment affords `afforded`.
    /// Play action 0 is not playing, and is always allowed.
    public func allowedPlay(afforded: UInt32) -> UInt32 {
        switch plays {
        case .all: Categorical.allAllowed
        case .afforded: afforded | 1
        case .none: 1
        }
    }

    /// Width of the core's input: observation ⊕ one-hot previous task action ⊕ one-hot previous play action
    /// ⊕ previous task reward ⊕ previous fun reward ⊕ previous done flag, and for the episodic LSTM ⊕ the
    /// similarity of the recalled memory (so its gate can tell a context met before from a stranger's nearest).
    public var inputSize: Int {
        (feedsPreviousTransition ? observationSize + taskActionCount + playActionCount + 3 : observationSize)
            + (core == .episodicLSTM ? 1 : 0)
    }
}

/// The recurrent core of a policy.
public enum RecurrentCore: String, Sendable, Codable, CaseIterable {
    /// A GRU whose state lasts the memory's span (RL²).
    case gru
    /// An LSTM with episodic recall (Ritter et al. 2018): at a trial's end the cell state is stored under the
    /// trial's first observation; at a trial's start the state stored under the most similar key is read back, and
    /// at every step of the trial it re-enters the cell through a learned reinstatement gate.
    case episodicLSTM = "episodic-lstm"
}

/// Which play actions a policy chooses among. Play action 0 is not playing.
public enum PlayChoices: String, Sendable, Codable, CaseIterable {
    /// Every play action, whatever the world affords (the shape of every agent trained before choices existed).
    case all
    /// Only those the environment says its world affords (a scenario's `play:` list), the others masked out as
    /// illegal moves are in games: a masked choice is never drawn and gets no gradient, and the agent is told what
    /// exists rather than left to find out by fumbling.
    case afforded
    /// Not playing only: the same agent without the ability to play (the `--no-play` control). Its play head has
    /// one choice, so no play entropy and no play gradient.
    case none
}

/// How long a recurrent policy's memory lasts.
public enum MemorySpan: String, Sendable, Codable, CaseIterable {
    /// The episodes of a trial (RL²): cleared only when a new MDP is drawn.
    case trial
    /// One episode: cleared at every episode boundary, previous transition included, so each episode starts as a
    /// trial does (the `--reset-memory episode` control: the same agent without memory across episodes).
    case episode
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

/// The RL² agent: a GRU over observation and previous transition, an optional tanh trunk, a factored
/// ⟨task, play⟩ policy and a value.
///
/// The hidden state persists across the episodes of a trial and is reset only when a new MDP is drawn; the
/// episode boundary reaches the agent as an input flag. All parameters live in one flat buffer laid out by
/// `layout`.
public struct RecurrentPolicy: Sendable, Equatable {
    public let configuration: PolicyConfiguration
    /// The core: exactly one of `gru` and `lstm` (the episodic LSTM, whose cell reinstates) exists.
    public let gru: GRU?
    public let lstm: LSTM?
    /// The layer between GRU and heads, when `configuration.trunkSize > 0`.
    public let trunk: Linear?
    public let head: ActorCriticHead
    public let parameterCount: Int

    public init(_ configuration: PolicyConfiguration) {
        self.configuration = configuration
        var layout = ParameterLayout()
        switch configuration.core {
        case .gru:
            gru = GRU(inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize, layout: &layout)
            lstm = nil
        case .episodicLSTM:
            gru = nil
            lstm = LSTM(inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize, reinstates: true, layout: &layout)
        }
        trunk = configuration.trunkSize > 0
            ? Linear(inputSize: configuration.hiddenSize, outputSize: configuration.trunkSize, layout: &layout) : nil
        head = ActorCriticHead(hiddenSize: trunk?.outputSize ?? configuration.hiddenSize,
                               taskCount: configuration.taskActionCount,
                               playCount: configuration.playActionCount, layout: &layout)
        parameterCount = layout.count
    }

    public var hiddenSize: Int { configuration.hiddenSize }
    /// The core recalls cell states from an episodic memory.
    public var recalls: Bool { lstm != nil }
    /// Floats per row the core caches for its backward pass, and of scratch it needs.
    public var cacheSizePerRow: Int { gru?.cacheSizePerRow ?? lstm!.cacheSizePerRow }
    public var scratchSizePerRow: Int { gru?.scratchSizePerRow ?? lstm!.scratchSizePerRow }
    public var inputSize: Int { configuration.inputSize }
    /// Floats per head output row: task logits, play logits, value.
    public var outputSize: Int { head.outputSize }

    /// Freshly initialised parameters drawn from `rng`.
    public func initialParameters(rng: inout SplitMix64) -> ContiguousArray<Float> {
        var values = ContiguousArray<Float>(repeating: 0, count: parameterCount)
        values.withUnsafeMutableBufferPointer { v in
            gru?.initialize(v, rng: &rng)
            lstm?.initialize(v, rng: &rng)
            trunk?.initialize(v, rng: &rng)
            head.initialize(v, rng: &rng)
        }
        return values
    }

    /// Floats per row the trunk's activations need (0 without a trunk).
    public var trunkSize: Int { trunk?.outputSize ?? 0 }

    /// Head outputs for `rows` GRU states: through the trunk, whose tanh activations land in `trunkActivations`
    /// (`rows × trunkSize`, kept for the backward pass), or straight from the states. O(rows·params of the read-out).
    public func readOut(parameters p: UnsafeBufferPointer<Float>, hidden: UnsafeBufferPointer<Float>, rows: Int,
                        trunkActivations: UnsafeMutableBufferPointer<Float>, outputs: UnsafeMutableBufferPointer<Float>) {
        guard let trunk else {
            head.forward(parameters: p, hidden: hidden, rows: rows, outputs: outputs)
            return
        }
        let activations = trunkActivations.rows(0, rows, width: trunk.outputSize)
        trunk.forward(parameters: p, input: hidden, rows: rows, output: activations)
        Activations.tanh(activations)
        head.forward(parameters: p, hidden: activations.readOnly, rows: rows, outputs: outputs)
    }

    /// Backward through the read-out for `rows` rows at once: adds the heads' (and trunk's) parameter gradients
    /// into `gradients` and returns what BPTT needs per step — a gradient `source` (`rows × width`) and the weight
    /// (`width × hiddenSize`) that carries it to the GRU state: dL/dh = source·weight. Without a trunk that is
    /// the heads' own gradient and weight; with one, the gradient at the trunk's pre-activations (written into
    /// `trunkGradients`) and the trunk's weight.
    public func readOutBackward(parameters p: UnsafeBufferPointer<Float>, hidden: UnsafeBufferPointer<Float>,
                                trunkActivations: UnsafeBufferPointer<Float>, gradOutputs: UnsafeBufferPointer<Float>, rows: Int,
                                trunkGradients: UnsafeMutableBufferPointer<Float>, gradients g: UnsafeMutableBufferPointer<Float>)
        -> (source: UnsafeBufferPointer<Float>, width: Int, weight: UnsafeBufferPointer<Float>) {
        guard let trunk else {
            head.linear.backward(parameters: p, input: hidden, gradOutput: gradOutputs, rows: rows, gradients: g, gradInput: nil)
            return (gradOutputs, outputSize, head.linear.weight.values(in: p))
        }
        let m = trunk.outputSize
        let da = trunkGradients.rows(0, rows, width: m)
        da.update(repeating: 0)
        head.linear.backward(parameters: p, input: trunkActivations, gradOutput: gradOutputs, rows: rows, gradients: g,
                             gradInput: da)
        for i in 0..<(rows * m) { da[i] *= 1 - trunkActivations[i] * trunkActivations[i] }
        trunk.backward(parameters: p, input: hidden, gradOutput: da.readOnly, rows: rows, gradients: g, gradInput: nil)
        return (da.readOnly, m, trunk.weight.values(in: p))
    }

    /// Writes one core input row (`inputSize` floats) from an observation, the previous transition and, for the
    /// episodic LSTM, the similarity of the memory recalled for this trial.
    public func encodeInput(observation: UnsafeBufferPointer<Float>, previous: PreviousTransition, similarity: Float = 0,
                            into x: UnsafeMutableBufferPointer<Float>) {
        let c = configuration
        precondition(observation.count == c.observationSize && x.count == c.inputSize,
                     "encodeInput: an observation of \(c.observationSize) into \(c.inputSize) floats, got \(observation.count) and \(x.count)")
        x.baseAddress!.update(from: observation.baseAddress!, count: c.observationSize)
        if recalls { x[c.inputSize - 1] = similarity }
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
