import Fun
import GridWorld
import MetaRL
import NeuralCore

/// Meta-training of the recurrent agent on gridworld scenarios: the one pipeline behind `playgrid train`,
/// experiment cells and the training benchmark. It builds the batched environment, the policy and the trainer
/// from a recipe (or resumes a checkpoint after checking it was trained on the same scenarios and fun), and
/// reports each update with the play ratio of what the agents did.
public final class GridTraining {
    /// What a fresh run trains on and with what.
    public struct Plan: Sendable {
        public var scenarios: [Scenario]
        public var fun: FunSpec
        public var seed: UInt64
        public var envs: Int
        public var threads: Int
        public var hidden: Int
        /// Width of the tanh layer between the GRU and the heads (0: none).
        public var trunk: Int
        /// Which play actions the agent chooses among (`.none`: the agent cannot play).
        public var plays: PlayChoices
        /// How long its memory lasts (`.episode`: no memory across the episodes of a trial).
        public var memory: MemorySpan
        /// DIAYN's skills given to the policy, one per trial (0: none); see `GridMetaEnvironment`.
        public var skills: Int
        /// The recurrent core: the GRU, or the episodic LSTM that recalls what it knew of a world met before.
        public var core: RecurrentCore = .gru
        /// The trainer settings; start from a recipe's and override what you must.
        public var configuration: TrainerConfiguration
        /// The name the identity records for where `configuration` came from.
        public var recipe: String
        /// The version of the tool, recorded in the checkpoint.
        public var tool: String

        /// A run of `recipe` (its settings, network and plays) meant to last `steps` environment steps;
        /// `hidden` and `configuration` override its choices.
        public init(scenarios: [Scenario], fun: FunSpec, seed: UInt64, envs: Int = 64, threads: Int = 2, hidden: Int? = nil,
                    recipe: GridRecipe = .gridworld, steps: Int? = nil, memory: MemorySpan = .trial, skills: Int = 0,
                    configuration: TrainerConfiguration? = nil, tool: String = "") {
            self.scenarios = scenarios
            self.fun = fun
            self.seed = seed
            self.envs = envs
            self.threads = threads
            self.hidden = hidden ?? recipe.hiddenSize
            self.trunk = recipe.trunkSize
            self.plays = recipe.plays
            self.memory = memory
            self.skills = skills
            self.configuration = configuration ?? recipe.configuration(seed: seed, threads: threads, steps: steps)
            self.recipe = recipe.rawValue
            self.tool = tool
        }
    }

    /// One update: the trainer's metrics and what the agents' play did in its rollout.
    public struct Update: Sendable {
        public var metrics: TrainingMetrics
        /// The share of steps on which the agents played.
        public var playRatio: Double
        /// The share of steps whose play did something (not spinning, not playing at nothing).
        public var effectivePlayRatio: Double = 0
        /// Play events of the rollout by `EventKind.rawValue`.
        public var playEvents: [Int] = []
    }

    public let run: TrainingRun<GridMetaEnvironment>
    /// The counts of the environment at the last update, which the next update's are taken from.
    var base = (steps: 0, play: 0, effective: 0, events: [Int]())
    /// Where the evaluation snapshots go, when recorded (`recordTapes`).
    public private(set) var tapes: TrainingTapes?

    public var trainer: Trainer<GridMetaEnvironment> { run.trainer }
    public var identity: TrainingIdentity { run.identity }

    /// A fresh run.
    public init(_ plan: Plan) throws {
        var configuration = plan.configuration
        configuration.seed = plan.seed
        configuration.threads = plan.threads
        let environment = try GridMetaEnvironment(scenarios: plan.scenarios, funSpec: plan.fun, batchSize: plan.envs,
                                                  skills: plan.skills, seed: plan.seed)
        let policy = RecurrentPolicy(PolicyConfiguration(for: environment, hiddenSize: plan.hidden, trunkSize: plan.trunk, plays: plan.plays,
                                                         memory: plan.memory, core: plan.core))
        let trainer = try Trainer.gridworld(environment: environment, policy: policy, configuration: configuration)
        run = TrainingRun(trainer: trainer, identity: TrainingIdentity(environment: environment, configuration: configuration,
                                                                        fun: plan.fun.description, recipe: plan.recipe,
                                                                        tool: plan.tool))
    }

    /// Continues `checkpoint` (read from `path`) on the same scenario files with the same fun (and the skills and
    /// discriminator it holds), `envs` environments split over `threads` threads. Anything else would train a different agent, so it is refused with one line.
    public init(resuming checkpoint: Checkpoint, path: String, scenarios: [Scenario], fun: FunSpec, envs: Int,
                threads: Int) throws {
        guard let saved = checkpoint.identity else {
            throw GridTrainingError("\(path): does not say what it was trained on, so it cannot be resumed; train a new agent instead")
        }
        let families = scenarios.map(FamilyID.init)
        guard saved.families == families && saved.fun == fun.description else {
            throw GridTrainingError("\(path): was trained on \(saved.summary); --resume needs the same scenarios (same files) and fun")
        }
        let skills = saved.observation.skills ?? 0
        if skills > 0 && checkpoint.discriminator == nil {
            throw GridTrainingError("\(path): was trained with \(skills) skills but holds no skill discriminator; train a new agent instead")
        }
        var checkpoint = checkpoint
        checkpoint.trainer.threads = threads
        let environment = try GridMetaEnvironment(scenarios: scenarios, funSpec: fun, batchSize: envs, skills: skills,
                                                  discriminator: checkpoint.discriminator)
        var identity = saved
        identity.envs = envs
        identity.threads = threads
        run = TrainingRun(trainer: try checkpoint.makeTrainer(environment: environment), identity: identity)
    }

    /// One rollout and update.
    public func step() throws -> Update {
        report(try trainer.step())
    }

    /// From now on, `train` records evaluation snapshots as `plan` says: the policy before training, every
    /// `plan.every` updates, and where training stops, each on one held-out trial per scenario.
    public func recordTapes(_ plan: TrainingTapes.Plan) throws(TrainingTapesError) {
        tapes = try TrainingTapes(plan, scenarios: trainer.environment.scenarios, fun: trainer.environment.funSpec,
                                  policy: trainer.policy)
    }

    /// Trains `steps` more environment steps, saving as `saving` says; `progress` sees every update and
    /// returns false to stop early. With `recordTapes`, the tapes are complete when it returns (after the
    /// checkpoint is saved), or it throws what went wrong with them.
    public func train(steps: Int, saving: TrainingRun<GridMetaEnvironment>.Saving? = nil,
                      progress: (Update) throws -> Bool = { _ in true }) throws {
        snapshotIfNew()
        do {
            try run.run(steps: steps, saving: saving) { m in
                let update = report(m)
                if let tapes, m.update % tapes.plan.every == 0 { snapshotIfNew() }
                return try progress(update)
            }
        } catch {
            try? tapes?.finish()
            throw error
        }
        snapshotIfNew()
        try tapes?.finish()
    }

    /// Hands the current policy to the tapes unless they have it already.
    func snapshotIfNew() {
        guard let tapes, tapes.lastUpdate != trainer.updateCount else { return }
        tapes.record(parameters: trainer.parameters, update: trainer.updateCount, trainingStep: trainer.environmentSteps)
    }

    func report(_ m: TrainingMetrics) -> Update {
        let env = trainer.environment
        if base.events.isEmpty { base.events = env.playEvents.map { _ in 0 } }
        let steps = Double(max(1, env.steps - base.steps))
        let update = Update(metrics: m, playRatio: Double(env.playSteps - base.play) / steps,
                            effectivePlayRatio: Double(env.effectivePlaySteps - base.effective) / steps,
                            playEvents: zip(env.playEvents, base.events).map { $0 - $1 })
        base = (env.steps, env.playSteps, env.effectivePlaySteps, env.playEvents)
        return update
    }
}

/// Why gridworld training could not start or continue.
public struct GridTrainingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
