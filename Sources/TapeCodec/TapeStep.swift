import GridWorld

/// How a step ended its episode, as tapes store it: three bits of a `Transition`.
public struct Outcome: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let terminated = Outcome(rawValue: 1)
    public static let truncated = Outcome(rawValue: 2)
    public static let succeeded = Outcome(rawValue: 4)

    public init(_ t: Transition) {
        var bits: UInt8 = 0
        if t.terminated { bits |= 1 }
        if t.truncated { bits |= 2 }
        if t.succeeded { bits |= 4 }
        rawValue = bits
    }

    /// The step ended its episode.
    public var endsEpisode: Bool { rawValue & 3 != 0 }
}

/// What a learned agent said about a step: both heads' probabilities, its value estimate, for an agent with
/// episodic recall what it recalled (`Decision.Recall`: the similarity of the memory read back and how far the
/// reinstatement gate is open, both or neither), and for an episodic-control agent what it read from its memories
/// (`Decision.Memory`: each task action's value, the memories' size, the distance to the nearest stored situation),
/// and for a skill agent what its discriminator made of its place (`Decision.Skill`: the skill given, the skill
/// recognised, the skill reward there).
///
/// Probabilities are stored quantised to 1/65535 (2 bytes each); values, the recall, the memory and the skill
/// exactly.
public struct AgentOutputs: Hashable, Sendable {
    public var taskProbabilities: [Float]?
    public var playProbabilities: [Float]?
    public var value: Float?
    public var recall: (similarity: Float, gate: Float)? {
        get { recallSimilarity.flatMap { s in reinstatementGate.map { (s, $0) } } }
        set { (recallSimilarity, reinstatementGate) = (newValue?.similarity, newValue?.gate) }
    }
    var recallSimilarity: Float?
    var reinstatementGate: Float?
    public var memory: (taskValues: [Float], size: Int, nearest: Float?)? {
        get { memoryTaskValues.flatMap { v in memorySize.map { (v, $0, memoryNearest) } } }
        set { (memoryTaskValues, memorySize, memoryNearest) = (newValue?.taskValues, newValue?.size, newValue?.nearest) }
    }
    var memoryTaskValues: [Float]?
    var memorySize: Int?
    var memoryNearest: Float?
    public var skill: (given: Int, recognised: Int, reward: Float)? {
        get { skillGiven.flatMap { g in skillRecognised.flatMap { r in skillReward.map { (g, r, $0) } } } }
        set { (skillGiven, skillRecognised, skillReward) = (newValue?.given, newValue?.recognised, newValue?.reward) }
    }
    var skillGiven: Int?
    var skillRecognised: Int?
    var skillReward: Float?

    public init(taskProbabilities: [Float]? = nil, playProbabilities: [Float]? = nil, value: Float? = nil,
                recall: (similarity: Float, gate: Float)? = nil, memory: (taskValues: [Float], size: Int, nearest: Float?)? = nil,
                skill: (given: Int, recognised: Int, reward: Float)? = nil) {
        self.taskProbabilities = taskProbabilities
        self.playProbabilities = playProbabilities
        self.value = value
        self.recall = recall
        self.memory = memory
        self.skill = skill
    }

    public var isEmpty: Bool {
        taskProbabilities == nil && playProbabilities == nil && value == nil && recall == nil && memory == nil && skill == nil
    }
}

/// One recorded step, decoded: what was done, what the tape says followed, and the counters of its frame.
public struct TapeStep: Hashable, Sendable {
    /// The step's number over the whole tape, from 0.
    public var index: Int
    public var trial: Int
    /// Episode within the trial, from 0.
    public var episode: Int
    /// Steps taken in the episode after this one (the first step of an episode is 1), as `Frame.step`.
    public var step: Int
    public var action: ActionPair
    public var events: Events
    public var outcome: Outcome
    public var taskReward: Float
    /// Weighted fun per component, in the header's `funComponents` order.
    public var fun: [Float]
    public var outputs: AgentOutputs?
    /// A person chose the action rather than the agent.
    public var manual: Bool
}
