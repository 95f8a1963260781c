import Agents
import Fun
import GridWorld

/// One step as the screen and the tape see it.
public struct Frame: Sendable {
    public var trial: Int
    public var episode: Int
    /// Steps taken in this episode.
    public var step: Int
    /// The world after the step.
    public var world: World
    /// The trial world's generators after the step: with `world` and `trial`, enough to resume exactly there.
    public var generators: TrialWorld.Generators
    /// How the hidden rules went during the step: `world` shows them after it, which differs only when a
    /// `redraw-rules-*` dynamic drew them anew at the step's end. (With no step yet, they are the world's.)
    public var rulesInEffect: MechanicDraw
    /// What was done and why (nil before the first step of a run).
    public var decision: Decision?
    public var transition: Transition?
    public var reward: StepReward?
    /// Task and weighted fun returns of this episode so far, per component.
    public var episodeReturn: StepReward
    /// Whether a person chose this step's action rather than the agent.
    public var manual: Bool

    public init(trial: Int, episode: Int, step: Int, world: World, generators: TrialWorld.Generators, rulesInEffect: MechanicDraw,
                decision: Decision?, transition: Transition?, reward: StepReward?, episodeReturn: StepReward, manual: Bool) {
        self.trial = trial
        self.episode = episode
        self.step = step
        self.world = world
        self.generators = generators
        self.rulesInEffect = rulesInEffect
        self.decision = decision
        self.transition = transition
        self.reward = reward
        self.episodeReturn = episodeReturn
        self.manual = manual
    }

    /// The trial world after the step, as a snapshot to resume from (tapes key-frame it). O(1): shares the grid.
    public var snapshot: TrialWorld.Snapshot { TrialWorld.Snapshot(state: world.state, generators: generators, trial: trial) }
}

/// The headless engine: a world living through trials, an agent acting in it, fun models scoring each step.
///
/// A `Session` is a value: copy it to keep a point to step back to. Everything the screen shows is a function
/// of its frames.
public struct Session {
    public let scenario: Scenario
    public let seed: UInt64
    public let funSpec: FunSpec
    public private(set) var trialWorld: TrialWorld
    public private(set) var agent: any Agent
    public private(set) var funModels: [any FunModel]
    /// The agent's own randomness (sampling actions), apart from the world's.
    var agentRNG: SplitMix64
    public private(set) var metrics: PlayMetrics
    public private(set) var frame: Frame
    /// The last step ended its episode; the next step starts the next one first.
    var episodeOver = false

    /// `funModels`, when given, are the run's fun in place of the spec's own models, one per term (the yoked
    /// control's replayed fun); the spec still names and weighs them.
    public init(scenario: Scenario, agent: any Agent, funSpec: FunSpec, seed: UInt64, funModels: [any FunModel]? = nil) throws(ScenarioProblem) {
        self.scenario = scenario
        self.seed = seed
        self.funSpec = funSpec
        trialWorld = try TrialWorld(scenario: scenario, seed: seed)
        self.agent = agent
        self.funModels = funModels ?? funSpec.makeModels(for: scenario, seed: seed)
        agentRNG = SplitMix64(seed: seed).derived(2)
        metrics = PlayMetrics(funComponents: funSpec.terms.count)
        let zero = StepReward(task: 0, fun: Array(repeating: 0, count: funSpec.terms.count))
        frame = Frame(trial: 0, episode: 0, step: 0, world: trialWorld.world, generators: trialWorld.generators,
                      rulesInEffect: trialWorld.world.state.mechanics.draw, decision: nil, transition: nil, reward: nil, episodeReturn: zero, manual: false)
        self.agent.beginTrial(trialWorld.world)
        self.agent.beginEpisode(trialWorld.world)
        for i in self.funModels.indices { self.funModels[i].beginFirstEpisode() }
        startFunEpisode()
    }

    /// Lets every fun model start its episode and hands what they ask the policy to condition on to the agent.
    mutating func startFunEpisode() {
        for i in funModels.indices {
            funModels[i].startEpisode()
            if let context = funModels[i].policyContext { agent.condition(on: context) }
        }
    }

    public var world: World { trialWorld.world }

    /// What the agent would do now, without acting (for showing its probabilities while a person drives).
    public func preview() -> Decision {
        var agent = self.agent
        var rng = agentRNG
        return agent.decide(trialWorld.world, rng: &rng)
    }

    /// Takes one step: the agent's choice, or `manual` when a person chose. Starts the next episode (or trial)
    /// first when the last step ended one.
    @discardableResult
    public mutating func step(manual: ActionPair? = nil) throws(ScenarioProblem) -> Frame {
        if episodeOver { try beginNextEpisode() }
        let before = trialWorld.world
        var decision = agent.decide(before, rng: &agentRNG)
        if let manual { decision = Decision(manual, taskProbabilities: decision.taskProbabilities,
                                            playProbabilities: decision.playProbabilities, value: decision.value) }
        let transition = trialWorld.step(decision.action)
        let after = trialWorld.world
        var fun = [Float](repeating: 0, count: funModels.count)
        for i in funModels.indices {
            let input = FunInput(before: before, action: decision.action, transition: transition, after: after)
            fun[i] = funSpec.terms[i].weight * funModels[i].reward(input)
        }
        let reward = StepReward(task: transition.taskReward, fun: fun)
        agent.observe(transition, reward: reward, world: after)
        metrics.record(action: decision.action, transition: transition, taskReward: reward.task, fun: fun, before: before, world: after)
        var total = frame.episodeReturn
        total.task += reward.task
        for i in fun.indices { total.fun[i] += fun[i] }
        frame = Frame(trial: trialWorld.trial, episode: trialWorld.episode, step: after.state.step, world: after,
                      generators: trialWorld.generators, rulesInEffect: before.state.mechanics.draw, decision: decision, transition: transition, reward: reward, episodeReturn: total, manual: manual != nil)
        if transition.isLast {
            metrics.endEpisode(index: trialWorld.episode, succeeded: transition.succeeded, length: after.state.step)
            if trialWorld.scenario.pool != nil && trialWorld.episode == 0 {
                metrics.recordFirstEpisode(length: after.state.step, repeatTrial: trialWorld.isRepeatTrial)
            }
            episodeOver = true
        }
        return frame
    }

    mutating func beginNextEpisode() throws(ScenarioProblem) {
        episodeOver = false
        let newTrial = try trialWorld.beginNextEpisode()
        if newTrial {
            metrics.endTrial()
            agent.beginTrial(trialWorld.world)
        }
        agent.beginEpisode(trialWorld.world)
        for i in funModels.indices { funModels[i].beginNextEpisode(newTrial: newTrial) }
        startFunEpisode()
        let zero = StepReward(task: 0, fun: Array(repeating: 0, count: funModels.count))
        frame = Frame(trial: trialWorld.trial, episode: trialWorld.episode, step: 0, world: trialWorld.world,
                      generators: trialWorld.generators, rulesInEffect: trialWorld.world.state.mechanics.draw, decision: nil, transition: nil, reward: nil, episodeReturn: zero, manual: false)
    }

    /// Whether the last step finished the final episode of a trial.
    public var trialOver: Bool { episodeOver && trialWorld.episode + 1 >= scenario.episodesPerTrial }
}
