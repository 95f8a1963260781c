import Fun
import GridWorld
import MetaRL
import NeuralCore

/// SiMPL's high level as a `MetaEnvironment`: the RL² policy's "task action" is one of the K skills of a skill model
/// learned from play (`PlaySkills`), and one step of this environment runs that skill's decoder for H steps of the
/// gridworld (fewer only where the episode ends first), summing their rewards.
///
/// The high-level policy is a categorical over the K skills, which the trainer's task head already is; it has no play
/// half (the skill's decoder plays). The KL penalty to the skill prior, −α·KL(π(·|h) ‖ p(·|s)) = α·(H(π) + E_π[log
/// p(z|s)]), is paid in two parts: the trainer's entropy bonus gives α·H(π) (set the recipe's entropy coefficient to
/// α), and each decision's reward carries α·log p(z|s) of the skill it chose at the state it chose it in, on the fun
/// stream (so task returns stay the world's). Observations are the gridworld's own (`GridFeatures`), as a flat agent's.
public struct SkillLevelEnvironment: MetaEnvironment {
    public let skills: PlaySkills
    /// α: the weight of the KL penalty's prior term.
    public let priorWeight: Float
    /// The gridworld, one part per environment so each runs its skill for as many steps as it needs.
    var worlds: [GridMetaEnvironment]
    var worldSteps: [MetaStep]
    /// Per environment: the generator of its decoder's draws.
    var draws: [SplitMix64]
    var logProbs: ContiguousArray<Float>
    var scratch: ContiguousArray<Float>
    var task: ContiguousArray<Int32> = [0]
    var play: ContiguousArray<Int32> = [0]
    /// Gridworld steps taken since the start, and by each environment's last decision.
    public private(set) var lowLevelSteps = 0
    public private(set) var lastDecisionSteps: [Int]
    /// Task reward gathered by each environment's last decision (for tests and reports).
    public private(set) var lastTaskReward: [Float]

    public var batchSize: Int { worlds.count }
    public var observationSize: Int { worlds[0].observationSize }
    public var taskActionCount: Int { skills.skills }
    public var playActionCount: Int { 1 }
    public var families: [FamilyID] { worlds[0].families }
    public func family(ofRow row: Int) -> Int { worlds[row].family(ofRow: 0) }
    public var observationEncoding: ObservationEncoding { worlds[0].observationEncoding }
    public var scenarios: [Scenario] { worlds[0].scenarios }
    public var skillModel: SkillVAE? { skills.model }

    /// `batchSize` environments over `scenarios` (round-robin, with `fun`), refused in one line when the skills'
    /// decoder cannot read the scenarios' observations.
    public init(scenarios: [Scenario], funSpec: FunSpec, batchSize: Int, skills: PlaySkills, priorWeight: Float) throws(ScenarioProblem) {
        var whole = try GridMetaEnvironment(scenarios: scenarios, funSpec: funSpec, batchSize: batchSize)
        // A batch is split by its worlds, which a reset draws; the trainer's reset draws them again from its seed.
        var first = whole.makeStep()
        whole.reset(seed: 0, into: &first)
        guard whole.observationEncoding == skills.observation else {
            throw ScenarioProblem("the skills were learned from observations \(skills.observation), but \(scenarios[0].name) gives \(whole.observationEncoding); learn skills from tapes of scenarios with this view")
        }
        self.skills = skills
        self.priorWeight = priorWeight
        worlds = whole.split(sizes: Array(repeating: 1, count: batchSize))
        worldSteps = (0..<batchSize).map { first.rows($0..<($0 + 1)) }
        draws = Array(repeating: SplitMix64(seed: 0), count: batchSize)
        logProbs = ContiguousArray(repeating: 0, count: max(skills.model.shape.actionWidth, skills.skills))
        scratch = ContiguousArray(repeating: 0, count: skills.model.scratchSize)
        lastDecisionSteps = Array(repeating: 0, count: batchSize)
        lastTaskReward = Array(repeating: 0, count: batchSize)
    }

    public mutating func reset(seed: UInt64, into out: inout MetaStep) {
        var whole = GridMetaEnvironment(joining: worlds)
        var step = whole.makeStep()
        whole.reset(seed: seed, into: &step)
        worlds = whole.split(sizes: Array(repeating: 1, count: batchSize))
        for i in 0..<batchSize {
            worldSteps[i] = step.rows(i..<(i + 1))
            draws[i] = SplitMix64(seed: seed).derived(0x5C11_1000 &+ UInt64(i))
        }
        out.clearTransition()
        for i in 0..<batchSize { write(i, into: &out) }
    }

    /// Runs each environment's chosen skill (`task[i]`; `play` is ignored) for H gridworld steps or to its episode's
    /// end. O(batch · H · (observation · hidden)); no allocation.
    public mutating func step(task chosen: UnsafeBufferPointer<Int32>, play _: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        let horizon = skills.horizon
        for i in 0..<batchSize {
            let z = Int(chosen[i])
            var taskSum: Float = 0, funSum: Float = 0
            let priorTerm = priorWeight == 0 ? 0 : priorWeight * priorLogProbability(i, skill: z)
            var taken = 0
            var last = worldSteps[i]
            while taken < horizon {
                let action = worldSteps[i].observations.withUnsafeBufferPointer { o in
                    logProbs.withUnsafeMutableBufferPointer { lp in
                        scratch.withUnsafeMutableBufferPointer { s in
                            skills.model.act(observation: o, skill: z, logProbs: lp, scratch: s, rng: &draws[i])
                        }
                    }
                }
                task[0] = action.task
                play[0] = action.play
                task.withUnsafeBufferPointer { t in
                    play.withUnsafeBufferPointer { p in worlds[i].step(task: t, play: p, into: &worldSteps[i]) }
                }
                taken += 1
                taskSum += worldSteps[i].taskReward[0]
                funSum += worldSteps[i].funReward[0]
                last = worldSteps[i]
                if last.episodeDone[0] { break }
            }
            lowLevelSteps += taken
            lastDecisionSteps[i] = taken
            lastTaskReward[i] = taskSum
            out.taskReward[i] = taskSum
            out.funReward[i] = funSum + priorTerm
            out.episodeDone[i] = last.episodeDone[0]
            out.trialDone[i] = last.trialDone[0]
            out.poolDone[i] = last.poolDone[0]
            write(i, into: &out)
        }
    }

    /// log p(z|s) of the skill prior at environment `i`'s current observation.
    mutating func priorLogProbability(_ i: Int, skill z: Int) -> Float {
        worldSteps[i].observations.withUnsafeBufferPointer { o in
            logProbs.withUnsafeMutableBufferPointer { lp in
                scratch.withUnsafeMutableBufferPointer { s in skills.model.prior(observation: o, logProbs: lp, scratch: s) }
            }
        }
        return logProbs[z]
    }

    mutating func write(_ i: Int, into out: inout MetaStep) {
        let size = observationSize
        out.playAfforded[i] = Categorical.allAllowed
        out.observations.withUnsafeMutableBufferPointer { o in
            _ = worldSteps[i].observations.withUnsafeBufferPointer { o.rows(i, 1, width: size).update(fromContentsOf: $0) }
        }
    }

    public func split(sizes: [Int]) -> [SkillLevelEnvironment] {
        var start = 0
        return sizes.indices.map { p in
            defer { start += sizes[p] }
            var part = self
            let range = start..<(start + sizes[p])
            part.worlds = Array(worlds[range])
            part.worldSteps = Array(worldSteps[range])
            part.draws = Array(draws[range])
            part.lastDecisionSteps = Array(lastDecisionSteps[range])
            part.lastTaskReward = Array(lastTaskReward[range])
            if p > 0 { part.lowLevelSteps = 0 }
            return part
        }
    }

    public init(joining parts: [SkillLevelEnvironment]) {
        self = parts[0]
        worlds = parts.flatMap(\.worlds)
        worldSteps = parts.flatMap(\.worldSteps)
        draws = parts.flatMap(\.draws)
        lastDecisionSteps = parts.flatMap(\.lastDecisionSteps)
        lastTaskReward = parts.flatMap(\.lastTaskReward)
        lowLevelSteps = parts.reduce(0) { $0 + $1.lowLevelSteps }
    }
}
