import Agents
import Fun
import GridWorld
import MetaRL
import NeuralCore

/// A meta-trained RL² policy acting in one world: its GRU memory persists across the episodes of a trial.
///
/// Each decision exposes both heads' probabilities and the value estimate, so the screen can show them.
///
/// An agent trained with skills (`playgrid train --skills K`) is given a skill per trial, as it was trained: the
/// one it was told to run, or else skill k mod K in its k-th trial, so a run of K trials shows every skill once.
/// It scores itself with its checkpoint's discriminator and reads that skill reward with its fun reward, as it did
/// in training (where the skill reward was part of the fun), so it acts as trained whatever fun the run pays.
///
/// A goal-conditioned agent (`playgrid train --goals`) is told the cell of the world's goal, so it runs in any
/// reach-goal scenario with the scenario's own goal as its task.
public struct RecurrentAgent: Agent {
    public let name: String
    let viewSize: Int
    var runner: PolicyRunner
    let parameters: ContiguousArray<Float>
    var step: MetaStep
    var bytes: [UInt8]
    /// The skills it was trained with (0: none), the one it was told to run, and the skill of this trial.
    public let skills: Int
    let fixedSkill: Int?
    public private(set) var skill = 0
    var trials = 0
    /// Whether it reads its goal cell.
    public let goals: Bool
    /// The scenario's pool of recurring MDPs: an episodic LSTM forgets its recalls when a pool ends, as in training.
    let pool: TrialPool?
    /// The checkpoint's discriminator and its view of a state (nil without skills).
    var discriminator: SkillDiscriminator?
    let features: SkillFeatures?
    var active: ContiguousArray<Int32>
    /// After each step: log q(z|s′) − log p(z) of the state reached, and the skill the discriminator took it for.
    public private(set) var skillReward: Float = 0
    public private(set) var recognisedSkill = 0

    public init(name: String, policy: RecurrentPolicy, parameters: ContiguousArray<Float>, viewSize: Int, skills: Int = 0,
                skill: Int? = nil, discriminator: SkillDiscriminator? = nil, features: SkillFeatures? = nil, goals: Bool = false,
                pool: TrialPool? = nil) {
        self.goals = goals
        self.pool = pool
        self.discriminator = discriminator
        self.features = features
        active = ContiguousArray(repeating: 0, count: features?.activeCount ?? PositionLayout.legacy.activeCount)
        self.name = name
        self.viewSize = viewSize
        self.skills = skills
        fixedSkill = skill
        self.skill = skill ?? 0
        self.parameters = parameters
        runner = PolicyRunner(policy: policy, batchSize: 1)
        step = MetaStep(batchSize: 1, observationSize: policy.configuration.observationSize)
        bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: viewSize))
    }

    /// The agent stored in a checkpoint, to act in `scenario`: refused with one line when it was not trained on
    /// gridworlds or cannot see that scenario's observations (another encoding, version or view size).
    ///
    /// The controls of emergence claims change the agent it acts as: `noPlay` fixes its play head to not playing
    /// (as a checkpoint trained with `--no-play` is), and `memory` overrides how long its memory lasts (`.episode`:
    /// the same agent without memory across the episodes of a trial). `skill` runs one of the skills it was trained
    /// with, in every trial.
    public init(checkpoint: Checkpoint, name: String, scenario: Scenario, noPlay: Bool = false,
                memory: MemorySpan? = nil, skill: Int? = nil) throws(AgentLoadError) {
        let c = checkpoint.policy
        guard c.taskActionCount == TaskAction.count, c.playActionCount == PlayAction.count else {
            throw AgentLoadError("\(name): the checkpoint's policy (actions \(c.taskActionCount)×\(c.playActionCount)) was not trained on gridworlds")
        }
        let skills = checkpoint.identity?.observation.skills ?? 0
        if let skill {
            guard skills > 0 else {
                throw AgentLoadError("\(name) was not trained with skills, so it has no --skill \(skill) (train one with playgrid train --skills K)")
            }
            guard (0..<skills).contains(skill) else {
                throw AgentLoadError("\(name) has \(skills) skills, numbered 0 to \(skills - 1): --skill \(skill) is not one of them")
            }
        }
        if skills > 0 {
            guard let d = checkpoint.discriminator, d.skills == skills else {
                throw AgentLoadError("\(name): was trained with \(skills) skills but holds no discriminator for them; retrain it with playgrid train --skills \(skills)")
            }
        }
        let goals = checkpoint.identity?.observation.goals != nil
        if goals && scenario.task != .reachGoal {
            throw AgentLoadError("\(name): is goal-conditioned (told a goal cell), but \(scenario.name)'s task is \(scenario.task.name), which has no goal cell to tell it; run it on a reach-goal scenario")
        }
        let needed = GridFeatures.layout(viewSize: scenario.viewSize, skills: skills, goals: goals)
        if let identity = checkpoint.identity, identity.version >= 2 {
            guard identity.observation == needed else {
                throw AgentLoadError("\(name): sees \(identity.observation), but \(scenario.name) gives \(needed); run it on a scenario it can see, or retrain it with playgrid train")
            }
        } else if c.observationSize != needed.size {
            // Checkpoints from before identities name only their input size.
            throw AgentLoadError("\(name): the checkpoint sees \(c.observationSize) inputs per step, but \(scenario.name) gives \(needed); it was trained by an older playgrid or on another view: retrain it with playgrid train")
        }
        var configuration = c
        if noPlay { configuration.plays = .none }
        if let memory { configuration.memory = memory }
        // Reports and comparisons name the control, so a run without play or memory is never read as the agent's own.
        let controls = (noPlay && c.plays != .none ? ["no play"] : []) + (configuration.memory != c.memory ? ["memory per \(configuration.memory.rawValue)"] : [])
        let shown = controls + (skill.map { ["skill \($0)"] } ?? [])
        self.init(name: shown.isEmpty ? name : "\(name) (\(shown.joined(separator: ", ")))", policy: RecurrentPolicy(configuration),
                  parameters: checkpoint.parameters, viewSize: scenario.viewSize, skills: skills, skill: skill,
                  discriminator: checkpoint.discriminator, features: try Self.skillFeatures(checkpoint.discriminator, scenario: scenario, name: name),
                  goals: goals, pool: scenario.pool)
    }

    /// Starts a trial: the memory of the last is cleared; an episodic LSTM keeps what it recalls across the trials of a
    /// pool (storing the last trial's cell state), and forgets it when the scenario's pool ends.
    public mutating func beginTrial(_ world: World) {
        if trials == 0 {
            runner.resetAll()
        } else {
            runner.endTrial(environment: 0, poolDone: pool.map { trials % $0.trials == 0 } ?? false)
        }
        if skills > 0 { skill = fixedSkill ?? trials % skills }
        trials += 1
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        precondition(world.rules.viewSize == viewSize, "a recurrent agent acts only in worlds with the view it was loaded for")
        bytes.withUnsafeMutableBufferPointer { b in
            step.observations.withUnsafeMutableBufferPointer { o in
                GridFeatures.encode(world, skill: skill, of: skills, goals: goals, bytes: b, into: o)
            }
        }
        step.playAfforded[0] = UInt32(world.rules.playMask)
        var policyRNG = SplitMix64(seed: rng.next())
        runner.act(on: step, parameters: parameters, rng: &policyRNG)
        let task = TaskAction(rawValue: UInt8(runner.taskActions[0])) ?? .stay
        let play = PlayAction(rawValue: UInt8(runner.playActions[0])) ?? .none
        let recall = runner.memory == nil ? nil : Decision.Recall(similarity: runner.recallSimilarity[0], gate: runner.reinstatement[0])
        var judged: Decision.Skill?
        if discriminator != nil, let features {
            discriminator!.classifyPosition(in: world, features: features, active: &active)
            judged = Decision.Skill(given: skill, recognised: discriminator!.mostLikely, reward: discriminator!.reward(for: skill))
        }
        return Decision(ActionPair(task, play), taskProbabilities: Array(runner.taskProbabilities),
                        playProbabilities: Array(runner.playProbabilities), value: runner.values[0], recall: recall, skill: judged)
    }

    /// The discriminator's view of `scenario`'s states in the layout it records, refused when it was trained on
    /// another map size or its layout is unknown.
    static func skillFeatures(_ discriminator: SkillDiscriminator?, scenario: Scenario, name: String) throws(AgentLoadError) -> SkillFeatures? {
        guard let discriminator else { return nil }
        // Skills are trained on scenarios of one map size (`GridMetaEnvironment`), whose features these are.
        do throws(SkillFeaturesError) {
            return try SkillFeatures(reading: discriminator, scenario: scenario)
        } catch {
            throw AgentLoadError("\(name): \(error.message)")
        }
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        if discriminator != nil, let features {
            discriminator!.classifyPosition(in: world, features: features, active: &active)
            skillReward = discriminator!.reward(for: skill)
            recognisedSkill = discriminator!.mostLikely
        }
        step.taskReward[0] = reward.task
        step.funReward[0] = reward.funTotal + skillReward
        step.episodeDone[0] = transition.isLast
        step.trialDone[0] = false
        runner.observe(step)
    }
}

public struct AgentLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
