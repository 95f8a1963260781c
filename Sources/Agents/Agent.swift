import GridWorld

/// What an agent chose, and (for learned agents) why: both heads' probabilities and its value estimate.
public struct Decision: Hashable, Sendable {
    public var action: ActionPair
    /// Probability of each task action (indexed by `TaskAction.rawValue`), when the agent has a policy.
    public var taskProbabilities: [Float]?
    /// Probability of each play action (indexed by `PlayAction.rawValue`), when the agent has a policy.
    public var playProbabilities: [Float]?
    /// The agent's estimate of the return to come.
    public var value: Float?
    /// What an agent with episodic recall read back for this trial, when it has a recall memory.
    public var recall: Recall?
    /// What an episodic-control agent (`mfec`, `nec`) read from its memories this step.
    public var memory: Memory?
    /// For an agent given a skill (DIAYN), what its discriminator makes of the place it stands in.
    public var skill: Skill?

    /// The skill an agent was given, the skill its discriminator takes the current place for, and the skill reward
    /// that place pays (log q(z|s) − log p(z): ln K where only this skill goes, below 0 where others go more).
    public struct Skill: Hashable, Sendable {
        public var given: Int
        public var recognised: Int
        public var reward: Float
        public init(given: Int, recognised: Int, reward: Float) {
            self.given = given
            self.recognised = recognised
            self.reward = reward
        }
    }

    /// What an episodic LSTM recalled: how similar the key of the memory it read back is to this trial's (cosine:
    /// 1 is a world met before; 0 when nothing was stored yet), and how far its reinstatement gate is open (σ(r)
    /// averaged over the cell's units, 0 to 1): how much of the recalled state enters its memory at this step.
    public struct Recall: Hashable, Sendable {
        public var similarity: Float
        public var gate: Float
        public init(similarity: Float, gate: Float) {
            self.similarity = similarity
            self.gate = gate
        }
    }

    /// What an episodic-control agent read: the value its memories give each task action (by `TaskAction.rawValue`:
    /// the task return they expect to follow), how many situations they hold, and how far this situation's key is
    /// from the nearest stored one (Euclidean; 0 when it was met exactly before, nil while the memories are empty).
    public struct Memory: Hashable, Sendable {
        public var taskValues: [Float]
        public var size: Int
        public var nearest: Float?
        public init(taskValues: [Float], size: Int, nearest: Float?) {
            self.taskValues = taskValues
            self.size = size
            self.nearest = nearest
        }
    }

    public init(_ action: ActionPair, taskProbabilities: [Float]? = nil, playProbabilities: [Float]? = nil, value: Float? = nil,
                recall: Recall? = nil, memory: Memory? = nil, skill: Skill? = nil) {
        self.action = action
        self.taskProbabilities = taskProbabilities
        self.playProbabilities = playProbabilities
        self.value = value
        self.recall = recall
        self.memory = memory
        self.skill = skill
    }

    /// Whether the agent said more than its action (probabilities, a value, what it recalled or read from memory,
    /// what its discriminator made of its place).
    public var hasOutputs: Bool {
        taskProbabilities != nil || playProbabilities != nil || value != nil || recall != nil || memory != nil || skill != nil
    }
}

/// The rewards of one step, kept apart: the task's, and each fun model's (already weighted).
public struct StepReward: Hashable, Sendable {
    public var task: Float
    /// Weighted fun per component, in the order of the run's fun spec.
    public var fun: [Float]

    public init(task: Float, fun: [Float] = []) {
        self.task = task
        self.fun = fun
    }

    /// The components summed in order. By index: a debug build allocates for each element `reduce` reads, and
    /// learning agents ask for this every step.
    public var funTotal: Float {
        var total: Float = 0
        for i in fun.indices { total += fun[i] }
        return total
    }
    public var total: Float { task + funTotal }
}

/// Something that picks an action pair each step, and may learn from what follows.
///
/// Agents see the whole world (scripted agents plan on it; learned agents read only `world.observe`).
public protocol Agent {
    /// A short name for the HUD and reports.
    var name: String { get }
    /// A new MDP: forget what was specific to the last one (a meta-learner resets its memory here).
    mutating func beginTrial(_ world: World)
    /// A new episode of the same MDP.
    mutating func beginEpisode(_ world: World)
    mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision
    /// What followed the last decision: the world after the step, the transition, the rewards.
    mutating func observe(_ transition: Transition, reward: StepReward, world: World)
    /// Something the policy should condition on this episode, set by a fun model (DIAYN's skill); agents that
    /// cannot condition ignore it.
    mutating func condition(on context: Int)
}

extension Agent {
    public mutating func beginTrial(_ world: World) {}
    public mutating func beginEpisode(_ world: World) {}
    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {}
    public mutating func condition(on context: Int) {}
}
