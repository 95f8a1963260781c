import Agents
import Foundation
import Fun
import GridWorld
import MetaRL
import NeuralCore
import Plots
import Statistics

/// Unsupervised meta-RL's test (Gupta et al. 2018): does an RL² agent meta-trained on skills as tasks (`SkillTasks`,
/// no hand-made reward) adapt faster to held-out hand-made tasks than the same agent learning them from scratch?
///
/// The meta-test is RL²'s own: each held-out task is one trial of the test scenario (its N episodes, a goal placed
/// anew), and an agent's score is its task return in each of those N episodes. Three agents, per training seed s:
/// - **meta-trained**: the agent of `train skill-tasks --tasks-from SKILLS --seed s`, adapting in context (its
///   memory runs through the trial; its weights stay fixed);
/// - **from scratch** (baseline a): the same network from the same initial weights, trained by gradient on the
///   task alone for exactly the trial's N episodes — the meta-test's own budget of environment steps — with an A2C
///   update every `scratchRolloutLength` steps (far shorter than the recipe's 256-step segments, so it gets about
///   16 updates from a 400-step budget instead of one); its score is the return of each episode as it learns;
/// - **random init** (baseline b): those initial weights, untrained, adapting in context as the meta-trained
///   agent does.
/// The three play the same held-out tasks (trials drawn from `evaluationSeed`, never used in training or tuning),
/// so per seed their means differ only by the agent; differences are reported with a 95% t-interval over seeds.
public enum SkillMetaTest {
    /// What to run.
    public struct Plan: Sendable {
        public var tasks: SkillTasks
        /// The reward-free room the agents are meta-trained in (same map size as the discriminator's).
        public var trainingScenario: Scenario
        /// The hand-made goal-reaching scenarios they are tested on.
        public var heldOut: [Scenario]
        public var seeds: [UInt64]
        /// Meta-training steps per seed, with the `skills` recipe and `envs` environments on `threads` threads.
        public var steps: Int
        public var envs = 64
        public var threads = 1
        /// Held-out tasks (trials) per test scenario, drawn from `evaluationSeed`.
        public var tasksPerScenario = 100
        public var evaluationSeed: UInt64 = 424_242
        /// Steps per A2C update of the learner from scratch.
        public var scratchRolloutLength = 25
        public var tool = ""

        public init(tasks: SkillTasks, trainingScenario: Scenario, heldOut: [Scenario], seeds: [UInt64], steps: Int) {
            self.tasks = tasks
            self.trainingScenario = trainingScenario
            self.heldOut = heldOut
            self.seeds = seeds
            self.steps = steps
        }

        /// Refuses, before any seed is meta-trained (16M steps each by default), a plan whose agents could not be
        /// tested: skills that do not fit the room, or a held-out scenario whose observations differ from the room's
        /// (found when the meta-trained agents were first run on it).
        public func validate() throws {
            _ = try training(seed: seeds[0])
            let trained = GridFeatures.layout(viewSize: trainingScenario.viewSize)
            for scenario in heldOut where GridFeatures.layout(viewSize: scenario.viewSize) != trained {
                throw ScenarioProblem("held-out \(scenario.name) gives \(GridFeatures.layout(viewSize: scenario.viewSize)), but the agents are meta-trained in \(trainingScenario.name), which gives \(trained); test on scenarios with its view")
            }
        }

        /// The meta-training run of `seed`, exactly as `playgrid train TRAINING --tasks-from SKILLS --fun none
        /// --no-play --seed S --threads T --steps N` starts it. Without play: goal reaching needs none, and the
        /// room pays for none, so a play head would only drift (and all three agents share the policy's shape).
        public func training(seed: UInt64) throws -> GridTraining {
            var plan = GridTraining.Plan(scenarios: [trainingScenario], fun: FunSpec(terms: []), seed: seed, envs: envs,
                                         threads: threads, recipe: .skills, steps: steps, tool: tool)
            plan.plays = .none
            plan.tasks = tasks
            return try GridTraining(plan)
        }
    }

    /// The three agents compared.
    public enum Agent: String, CaseIterable, Codable, Sendable {
        case metaTrained = "meta-trained"
        case fromScratch = "from-scratch"
        case randomInit = "random-init"
    }

    public typealias Curves = AgentComparison<Agent>.Curves
    /// One scenario's comparison: the meta-trained agent's summed return over N episodes minus each baseline's.
    public typealias Difference = AgentComparison<Agent>.Difference

    public struct Report: Codable, Sendable {
        public var trainingScenario: String
        public var tasksFrom: FamilyID
        public var seeds: [UInt64]
        public var steps: Int
        public var episodes: [String: Int]
        public var tasksPerScenario: Int
        public var evaluationSeed: UInt64
        public var curves: [Curves]
        public var differences: [Difference]

        enum CodingKeys: String, CodingKey {
            case seeds, steps, episodes, curves, differences
            case trainingScenario = "training_scenario", tasksFrom = "tasks_from", tasksPerScenario = "tasks_per_scenario"
            case evaluationSeed = "evaluation_seed"
        }

        /// The three agents' learning curves on every test scenario (mean over seeds; band: 95% interval over seeds).
        public var svg: String {
            // Short names: the legend is ~110 px wide.
            AgentComparison.svg(curves, title: "Held-out goal reaching: meta-trained on skills, from scratch, random init (\(seeds.count) seeds, 95% band)") {
                switch $0 {
                case .metaTrained: "meta"
                case .fromScratch: "scratch"
                case .randomInit: "random"
                }
            }
        }
    }

    /// Scores the three agents of every seed, given the meta-trained checkpoints in the order of `plan.seeds`.
    public static func evaluate(_ plan: Plan, metaTrained: [Checkpoint]) throws -> Report {
        var curves: [Curves] = []
        var differences: [Difference] = []
        var episodes: [String: Int] = [:]
        for scenario in plan.heldOut {
            episodes[scenario.name] = scenario.episodesPerTrial
            var bySeed: [Agent: [[Double]]] = [:]
            for (seed, checkpoint) in zip(plan.seeds, metaTrained) {
                let agent = try RecurrentAgent(checkpoint: checkpoint, name: "meta-trained seed \(seed)", scenario: scenario)
                let policy = RecurrentPolicy(checkpoint.policy)
                let initial = Self.initialParameters(policy: policy, seed: seed)
                var sums: [Agent: [Double]] = Dictionary(uniqueKeysWithValues: Agent.allCases.map { ($0, [Double](repeating: 0, count: scenario.episodesPerTrial)) })
                for (trialSeed, actSeed) in AgentComparison<Agent>.tasks(on: scenario, count: plan.tasksPerScenario,
                                                                         evaluationSeed: plan.evaluationSeed, seed: seed) {
                    var meta = agent
                    let scores: [Agent: [Double]] = [
                        .metaTrained: try inContext(&meta, scenario: scenario, trialSeed: trialSeed, actSeed: actSeed),
                        .randomInit: try inContext(scenario: scenario, policy: policy, parameters: initial, trialSeed: trialSeed, actSeed: actSeed),
                        .fromScratch: try fromScratch(scenario: scenario, policy: policy, parameters: initial, trialSeed: trialSeed,
                                                      actSeed: actSeed, rolloutLength: plan.scratchRolloutLength),
                    ]
                    for (kind, returns) in scores { for k in returns.indices { sums[kind]![k] += returns[k] } }
                }
                for kind in Agent.allCases {
                    bySeed[kind, default: []].append(sums[kind]!.map { $0 / Double(plan.tasksPerScenario) })
                }
            }
            let compared = AgentComparison.compare(scenario: scenario.name, bySeed: bySeed, treatment: Agent.metaTrained,
                                                   baselines: [.fromScratch, .randomInit])
            curves += compared.curves
            differences += compared.differences
        }
        return Report(trainingScenario: plan.trainingScenario.name, tasksFrom: plan.tasks.source, seeds: plan.seeds, steps: plan.steps,
                      episodes: episodes, tasksPerScenario: plan.tasksPerScenario, evaluationSeed: plan.evaluationSeed,
                      curves: curves, differences: differences)
    }

    /// The weights every agent of `seed` starts from: those `train --seed S` initialises (`Trainer.gridworld`).
    static func initialParameters(policy: RecurrentPolicy, seed: UInt64) -> ContiguousArray<Float> {
        var rng = SplitMix64(seed: seed)
        var parameters = policy.initialParameters(rng: &rng)
        parameters[policy.head.linear.bias.offset + policy.head.taskCount + Int(PlayAction.none.rawValue)] = Trainer<GridMetaEnvironment>.initialNoPlayLogit
        return parameters
    }

    /// Task return of each episode of the trial `trialSeed` of `scenario`, the agent adapting in context only.
    static func inContext(_ agent: inout some Agents.Agent, scenario: Scenario, trialSeed: UInt64, actSeed: UInt64) throws -> [Double] {
        var trial = try TrialWorld(scenario: scenario, seed: trialSeed)
        var rng = SplitMix64(seed: actSeed)
        var returns: [Double] = []
        agent.beginTrial(trial.world)
        var newTrial = false
        while !newTrial {
            agent.beginEpisode(trial.world)
            var total = 0.0, over = false
            while !over {
                let decision = agent.decide(trial.world, rng: &rng)
                let transition = trial.step(decision.action)
                agent.observe(transition, reward: StepReward(task: transition.taskReward), world: trial.world)
                total += Double(transition.taskReward)
                over = transition.isLast
            }
            returns.append(total)
            newTrial = try trial.beginNextEpisode()
        }
        return returns
    }

    static func inContext(scenario: Scenario, policy: RecurrentPolicy, parameters: ContiguousArray<Float>, trialSeed: UInt64,
                          actSeed: UInt64) throws -> [Double] {
        var agent = RecurrentAgent(name: "random init", policy: policy, parameters: parameters, viewSize: scenario.viewSize)
        return try inContext(&agent, scenario: scenario, trialSeed: trialSeed, actSeed: actSeed)
    }

    /// Task return of each of the trial's episodes for an agent starting from `parameters` and trained by A2C
    /// (the skills recipe's settings, `rolloutLength`-step segments) on that trial alone while it plays it.
    static func fromScratch(scenario: Scenario, policy: RecurrentPolicy, parameters: ContiguousArray<Float>, trialSeed: UInt64,
                            actSeed: UInt64, rolloutLength: Int) throws -> [Double] {
        var configuration = GridRecipe.skills.configuration(seed: actSeed, threads: 1)
        configuration.rolloutLength = rolloutLength
        let environment = try OneTask(scenario: scenario, trialSeed: trialSeed)
        let trainer = try Trainer(environment: environment, policy: policy, configuration: configuration, parameters: parameters,
                                  optimizer: Adam(parameterCount: policy.parameterCount, learningRate: configuration.learningRate),
                                  updateCount: 0, environmentSteps: 0)
        while trainer.environment.returns.count < scenario.episodesPerTrial { try trainer.step() }
        return Array(trainer.environment.returns.prefix(scenario.episodesPerTrial))
    }
}

/// One held-out task as a batch of one, for an agent learning it from scratch: every trial is the trial
/// (`scenario`, `trialSeed`) again, and the task return of each finished episode is kept in order.
struct OneTask: MetaEnvironment {
    let scenario: Scenario
    let trialSeed: UInt64
    var trial: TrialWorld
    var episodeReturn = 0.0
    /// The task return of every episode finished so far.
    var returns: [Double] = []
    var bytes: [UInt8]

    init(scenario: Scenario, trialSeed: UInt64) throws {
        self.scenario = scenario
        self.trialSeed = trialSeed
        trial = try TrialWorld(scenario: scenario, seed: trialSeed)
        bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: scenario.viewSize))
    }

    var batchSize: Int { 1 }
    var observationSize: Int { GridFeatures.size(viewSize: scenario.viewSize, skills: 0) }
    var taskActionCount: Int { TaskAction.count }
    var playActionCount: Int { PlayAction.count }
    func family(ofRow row: Int) -> Int { 0 }
    var families: [FamilyID] { [FamilyID(scenario)] }
    var observationEncoding: ObservationEncoding { GridFeatures.layout(viewSize: scenario.viewSize, skills: 0) }

    mutating func reset(seed: UInt64, into out: inout MetaStep) {
        // The trial was drawn at init from the same seed, so it draws again.
        trial = try! TrialWorld(scenario: scenario, seed: trialSeed)
        out.clearTransition()
        write(into: &out)
    }

    mutating func step(task: UnsafeBufferPointer<Int32>, play: UnsafeBufferPointer<Int32>, into out: inout MetaStep) {
        let action = ActionPair(TaskAction(rawValue: UInt8(task[0])) ?? .stay, PlayAction(rawValue: UInt8(play[0])) ?? .none)
        let t = trial.step(action)
        episodeReturn += Double(t.taskReward)
        out.taskReward[0] = t.taskReward
        out.funReward[0] = 0
        out.episodeDone[0] = t.isLast
        out.trialDone[0] = false
        if t.isLast {
            returns.append(episodeReturn)
            episodeReturn = 0
            if try! trial.beginNextEpisode() {
                trial = try! TrialWorld(scenario: scenario, seed: trialSeed)
                out.trialDone[0] = true
            }
        }
        write(into: &out)
    }

    func split(sizes: [Int]) -> [OneTask] { [self] }
    init(joining parts: [OneTask]) { self = parts[0] }

    mutating func write(into out: inout MetaStep) {
        out.playAfforded[0] = UInt32(trial.world.rules.playMask)
        bytes.withUnsafeMutableBufferPointer { b in
            out.observations.withUnsafeMutableBufferPointer { o in GridFeatures.encode(trial.world, skill: 0, of: 0, bytes: b, into: o) }
        }
    }
}
