import NeuralCore

/// A batch of environments stepped in lock-step; each runs trials of several episodes of one sampled MDP.
///
/// This is the seam between the meta-learner and any family of MDPs (bandits, tabular MDPs, gridworlds).
/// Implementations draw every random choice from seeded generators derived from the `reset` seed, so a
/// training run is reproducible. The environments of a batch share nothing that changes as they step, so a batch
/// can be split into parts that step apart (on different threads) exactly as they would have stepped together.
public protocol MetaEnvironment: SendableMetatype {
    /// Number of environments stepped together.
    var batchSize: Int { get }
    /// Float32 values per environment observation.
    var observationSize: Int { get }
    /// Choices in the task half of the action.
    var taskActionCount: Int { get }
    /// Choices in the play half of the action; 1 when the family has no play half. Play action 0 is not playing.
    var playActionCount: Int { get }
    /// The task families the batch draws from, as a checkpoint records them.
    var families: [FamilyID] { get }
    /// Which of `families` the trial now in row `row` belongs to: training reports its returns family by family,
    /// since a mean over a mix hides a family learned while another is not.
    func family(ofRow row: Int) -> Int
    /// What each observation value means, so a policy is only run on observations it was trained on.
    var observationEncoding: ObservationEncoding { get }
    /// Starts a new trial in every environment (a fresh MDP drawn from `seed`), writing first observations.
    mutating func reset(seed: UInt64, into out: inout MetaStep)
    /// Applies one action pair per environment. An environment whose episode ended resets its episode (same
    /// MDP); one whose trial ended draws a new MDP. `out.observations` then holds the next observation to act on.
    mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep)
    /// This batch cut into consecutive parts of `sizes` environments each (the sizes sum to `batchSize`): each
    /// part steps its environments exactly as this batch would have stepped those rows. (A part's `reset` starts
    /// its environments anew, not as a reset of the whole batch would.)
    func split(sizes: [Int]) -> [Self]
    /// The batch that parts made by `split` form again, in order, after any number of steps.
    init(joining parts: [Self])
    /// What the family learns alongside the policy and a checkpoint must keep: DIAYN's discriminator, which
    /// makes the skill reward (nil for families without skills).
    var skillDiscriminator: SkillDiscriminator? { get }
    /// The skill model whose skills the policy chooses among (SiMPL's high level), which a checkpoint must keep to
    /// act: nil for families whose actions are the world's own.
    var skillModel: SkillVAE? { get }
    /// What a goal curriculum has learned, which a checkpoint must keep too (nil for families without one).
    var goalCurriculumState: GoalCurriculumState? { get }
    /// Called by the trainer between rollout segments with every part of the batch, in order: learns from what
    /// the parts saw in the segment (the discriminator, on every state with its skill, in the order an unsplit
    /// batch would have seen them, so the result does not depend on the split) and hands every part the result.
    static func endSegment(_ parts: inout [Self])
}

extension MetaEnvironment {
    public var skillDiscriminator: SkillDiscriminator? { nil }
    public var skillModel: SkillVAE? { nil }
    public var goalCurriculumState: GoalCurriculumState? { nil }
    public static func endSegment(_ parts: inout [Self]) {}
}

/// Flat per-step outputs of a `MetaEnvironment`, batch-major, allocated once and reused.
public struct MetaStep: Sendable, Equatable {
    public let batchSize: Int
    public let observationSize: Int
    /// `batchSize × observationSize` values: the observation each environment's agent acts on next.
    public var observations: ContiguousArray<Float>
    /// Extrinsic reward of the step just taken (0 after `reset`).
    public var taskReward: ContiguousArray<Float>
    /// How far chance drew each task reward above its expectation (`Transition.luck`; 0 where nothing was drawn).
    public var taskLuck: ContiguousArray<Float>
    /// Intrinsic (fun) reward of the step just taken (0 after `reset`).
    public var funReward: ContiguousArray<Float>
    /// The step just taken ended an episode (true also when it ended the trial).
    public var episodeDone: ContiguousArray<Bool>
    /// The step just taken ended the trial; the environment has drawn a new MDP.
    public var trialDone: ContiguousArray<Bool>
    /// The step just taken ended the last trial drawn from the environment's pool of recurring contexts, and a new
    /// pool was drawn, so what an episodic memory holds of the old one is stale. Always false in families whose
    /// trials do not recur.
    public var poolDone: ContiguousArray<Bool>
    /// The play actions each environment's world affords the next decision (bit j: play action j), as legal moves;
    /// every bit set when a family does not say. Policies that choose only among afforded plays read it.
    public var playAfforded: ContiguousArray<UInt32>

    public init(batchSize: Int, observationSize: Int) {
        self.batchSize = batchSize
        self.observationSize = observationSize
        observations = ContiguousArray(repeating: 0, count: batchSize * observationSize)
        taskReward = ContiguousArray(repeating: 0, count: batchSize)
        taskLuck = taskReward
        funReward = ContiguousArray(repeating: 0, count: batchSize)
        episodeDone = ContiguousArray(repeating: false, count: batchSize)
        trialDone = ContiguousArray(repeating: false, count: batchSize)
        poolDone = trialDone
        playAfforded = ContiguousArray(repeating: .max, count: batchSize)
    }

    /// The rows `range` of this step, as a step of a batch of their own.
    public func rows(_ range: Range<Int>) -> MetaStep {
        var part = MetaStep(batchSize: range.count, observationSize: observationSize)
        part.observations = ContiguousArray(observations[(range.lowerBound * observationSize)..<(range.upperBound * observationSize)])
        part.taskReward = ContiguousArray(taskReward[range])
        part.taskLuck = ContiguousArray(taskLuck[range])
        part.funReward = ContiguousArray(funReward[range])
        part.episodeDone = ContiguousArray(episodeDone[range])
        part.trialDone = ContiguousArray(trialDone[range])
        part.poolDone = ContiguousArray(poolDone[range])
        part.playAfforded = ContiguousArray(playAfforded[range])
        return part
    }

    /// Zeroes rewards and done flags (what `reset` reports).
    public mutating func clearTransition() {
        for i in 0..<batchSize {
            taskReward[i] = 0; taskLuck[i] = 0; funReward[i] = 0; episodeDone[i] = false; trialDone[i] = false; poolDone[i] = false
        }
    }
}

extension MetaEnvironment {
    /// A `MetaStep` sized for this environment.
    public func makeStep() -> MetaStep { MetaStep(batchSize: batchSize, observationSize: observationSize) }
}

/// Cuts per-environment values (`width` per environment, batch-major) into consecutive parts of `sizes`
/// environments, for `MetaEnvironment.split`.
func splitRows<Element>(_ values: ContiguousArray<Element>, sizes: [Int], width: Int = 1) -> [ContiguousArray<Element>] {
    var start = 0
    return sizes.map { size in
        defer { start += size }
        return ContiguousArray(values[(start * width)..<((start + size) * width)])
    }
}

/// Seeds one independent generator per environment from a trial seed, so that environment `i`'s stream does
/// not depend on how the batch is split.
func environmentGenerators(seed: UInt64, count: Int) -> ContiguousArray<SplitMix64> {
    var root = SplitMix64(seed: seed ^ 0x5EED_0F_E7A1_2024)
    return ContiguousArray((0..<count).map { _ in root.split() })
}
