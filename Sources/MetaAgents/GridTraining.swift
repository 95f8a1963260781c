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
        /// What the skills' discriminator reads of where the agent is (with skills).
        public var skillLayout: PositionLayout = SkillFeatures.defaultLayout
        /// How the skills come about: DIAYN's discriminator learning alongside, or EDL's regions fixed first.
        public var skillMethod: SkillMethod = .diayn
        /// A goal-conditioned agent's goal curriculum (nil: the scenario's own goals, no goal input).
        public var goals: GoalSampling?
        /// Environment steps between measurements of goal coverage (with goals).
        public var coverageEvery: Int = 200_000
        /// Skills as tasks (unsupervised meta-RL): the task reward is theirs; see `SkillTasks`.
        public var tasks: SkillTasks?
        /// The yoked control: the fun a partner's rows received, replayed step by step in place of any fun of its own.
        public var yoke: FunTape?
        /// Keep the fun every row receives (`GridTraining.funTape`), for a yoked control to replay.
        public var recordsFun = false
        /// The recurrent core: the GRU, or the episodic LSTM that recalls what it knew of a world met before.
        public var core: RecurrentCore = .gru
        /// The trainer settings; start from a recipe's and override what you must.
        public var configuration: TrainerConfiguration
        /// The name the identity records for where `configuration` came from.
        public var recipe: String
        /// The version of the tool, recorded in the checkpoint.
        public var tool: String

        /// A run of `recipe` (its settings, environments, network and plays) meant to last `steps` environment steps;
        /// `envs`, `hidden` and `configuration` override its choices.
        public init(scenarios: [Scenario], fun: FunSpec, seed: UInt64, envs: Int? = nil, threads: Int = 2, hidden: Int? = nil,
                    recipe: GridRecipe = .gridworld, steps: Int? = nil, memory: MemorySpan = .trial, skills: Int = 0,
                    goals: GoalSampling? = nil, configuration: TrainerConfiguration? = nil, tool: String = "") {
            self.scenarios = scenarios
            self.fun = fun
            self.seed = seed
            self.envs = envs ?? recipe.environments
            self.threads = threads
            self.hidden = hidden ?? recipe.hiddenSize
            self.trunk = recipe.trunkSize
            self.plays = recipe.plays
            self.memory = memory
            self.skills = skills
            self.goals = goals
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
        /// With goals: the coverage measured after this update (nil when not measured at it), and the goals labelled
        /// intermediate now.
        public var coverage: Double?
        public var intermediateGoals: Int?
        /// With a coverage measurement: the share of the trials ended since the one before whose goal was of
        /// intermediate difficulty (nil when none ended).
        public var trialsOnIntermediate: Double?
    }

    /// With goals: the held-out measure, how often it is taken, and the last measurement (steps, coverage, and the
    /// share of the trials ended since the measurement before whose goal was of intermediate difficulty).
    public private(set) var coverage: GoalCoverage?
    var coverageEvery = 200_000
    public private(set) var lastCoverage: (steps: Int, coverage: Double, trialsOnIntermediate: Double?)?
    /// With goals: the curriculum's trial counts at the last measurement, which the next one's share is taken from.
    var goalTrialsBase = (trials: 0, onIntermediate: 0)

    public let run: TrainingRun<GridMetaEnvironment>
    /// With `Plan.recordsFun`: the fun every row received so far, step by step.
    public private(set) var funTape: FunTape?
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
        var fixedSkills: SkillDiscriminator?
        if plan.skills > 0 && plan.skillMethod == .edl, let room = plan.scenarios.first {
            let partition = try SkillPartition(scenario: room, skills: plan.skills, seed: plan.seed)
            fixedSkills = partition.fittedDiscriminator(features: GridMetaEnvironment.skillFeatures(room, layout: plan.skillLayout), seed: plan.seed)
        }
        var environment = try GridMetaEnvironment(scenarios: plan.scenarios, funSpec: plan.fun, batchSize: plan.envs,
                                                  skills: plan.skills, discriminator: fixedSkills,
                                                  skillLayout: plan.skills > 0 ? plan.skillLayout : nil,
                                                  tasks: plan.tasks, goals: plan.goals, seed: plan.seed)
        if let yoke = plan.yoke {
            guard yoke.width == plan.envs else {
                throw GridTrainingError("the yoked fun tape was recorded with \(yoke.width) environments; this run has \(plan.envs), so rows would not pair")
            }
            environment.yoke = yoke
        }
        environment.recordsFun = plan.recordsFun
        if plan.recordsFun { funTape = FunTape(width: plan.envs) }
        let policy = RecurrentPolicy(PolicyConfiguration(for: environment, hiddenSize: plan.hidden, trunkSize: plan.trunk, plays: plan.plays,
                                                         memory: plan.memory, core: plan.core))
        let trainer = try Trainer.gridworld(environment: environment, policy: policy, configuration: configuration)
        var identity = TrainingIdentity(environment: environment, configuration: configuration, fun: plan.fun.description,
                                        recipe: plan.recipe, tool: plan.tool)
        identity.goals = plan.goals?.rawValue
        identity.skillMethod = plan.skills > 0 && plan.skillMethod != .diayn ? plan.skillMethod.rawValue : nil
        identity.tasksFrom = plan.tasks?.source
        run = TrainingRun(trainer: trainer, identity: identity)
        coverageEvery = plan.coverageEvery
        try measureCoverage(environment)
    }

    /// Prepares the held-out coverage measure when the environment has goals.
    func measureCoverage(_ environment: GridMetaEnvironment) throws {
        guard let curriculum = environment.curriculum else { return }
        coverage = try GoalCoverage(scenario: environment.scenarios[0], space: curriculum.space)
        goalTrialsBase = (curriculum.trials, curriculum.trialsOnIntermediate)
    }

    /// The share of the trials ended since the last measurement whose goal was of intermediate difficulty when they
    /// ended (nil: none ended); the next share counts from now.
    func intermediateShareSinceLastMeasurement(_ curriculum: GoalCurriculum) -> Double? {
        defer { goalTrialsBase = (curriculum.trials, curriculum.trialsOnIntermediate) }
        let trials = curriculum.trials - goalTrialsBase.trials
        return trials > 0 ? Double(curriculum.trialsOnIntermediate - goalTrialsBase.onIntermediate) / Double(trials) : nil
    }

    /// Measures coverage now (with goals), as the curve's next point.
    public func measureCoverageNow() -> Double? {
        guard let coverage, let curriculum = trainer.environment.curriculum else { return nil }
        let value = coverage.measure(policy: trainer.policy, parameters: trainer.parameters).coverage
        lastCoverage = (trainer.environmentSteps, value, intermediateShareSinceLastMeasurement(curriculum))
        return value
    }

    /// Continues `checkpoint` (read from `path`) on the same scenario files with the same fun (and the skills and
    /// discriminator it holds, or the same skills as tasks), `envs` environments (nil: as many as it was trained with)
    /// split over `threads` threads. Anything else would train a different agent, so it is refused with one line.
    public init(resuming checkpoint: Checkpoint, path: String, scenarios: [Scenario], fun: FunSpec, envs: Int?,
                threads: Int, tasks: SkillTasks? = nil, skillLayout: PositionLayout? = nil, coverageEvery: Int = 200_000) throws {
        self.coverageEvery = coverageEvery
        guard let saved = checkpoint.identity else {
            throw GridTrainingError("\(path): does not say what it was trained on, so it cannot be resumed; train a new agent instead")
        }
        let families = scenarios.map(FamilyID.init)
        guard saved.families == families && saved.fun == fun.description else {
            let given = scenarios.map(\.name).joined(separator: ", ") + " with fun " + fun.description
            throw GridTrainingError("\(path): was trained on \(saved.summary); --resume needs the same scenarios (same files) and fun, got \(given)")
        }
        if saved.tasksFrom != tasks?.source {
            let had = saved.tasksFrom.map { "tasks from \($0.name) (discriminator \($0.fingerprint))" } ?? "its scenarios' own tasks"
            let given = tasks.map { "tasks from \($0.source.name) (discriminator \($0.source.fingerprint))" } ?? "none"
            throw GridTrainingError("\(path): was trained on \(had); --resume needs the same --tasks-from, got \(given)")
        }
        let skills = saved.observation.skills ?? 0
        let goals = try saved.goals.map { name in
            guard let sampling = GoalSampling(rawValue: name) else {
                throw GridTrainingError("\(path): was trained with goals \(name), which this playgrid does not know; train a new agent instead")
            }
            return sampling
        }
        if skills > 0 && checkpoint.discriminator == nil {
            throw GridTrainingError("\(path): was trained with \(skills) skills but holds no skill discriminator; train a new agent instead")
        }
        let envs = envs ?? saved.envs
        guard threads <= envs else {
            throw GridTrainingError("\(path): was trained with \(envs) environments, fewer than --threads \(threads); give --threads \(envs) or fewer")
        }
        var checkpoint = checkpoint
        checkpoint.trainer.threads = threads
        // The goal curriculum goes on where it stopped; a checkpoint written before curricula were saved has none, and
        // its run labels its goals afresh (within a few segments).
        let environment = try GridMetaEnvironment(scenarios: scenarios, funSpec: fun, batchSize: envs, skills: skills,
                                                  discriminator: checkpoint.discriminator, skillLayout: skillLayout, tasks: tasks, goals: goals,
                                                  curriculumState: checkpoint.goalCurriculum, seed: saved.seed)
        var identity = saved
        identity.envs = envs
        identity.threads = threads
        run = TrainingRun(trainer: try checkpoint.makeTrainer(environment: environment), identity: identity)
        try measureCoverage(environment)
    }

    /// One rollout and update.
    public func step() throws -> Update {
        report(try trainer.step())
    }

    /// From now on, `train` records evaluation snapshots as `plan` says: the policy before training, every
    /// `plan.every` updates, and where training stops, each on one held-out trial per scenario.
    public func recordTapes(_ plan: TrainingTapes.Plan) throws(TrainingTapesError) {
        tapes = try TrainingTapes(plan, scenarios: trainer.environment.scenarios, fun: trainer.environment.funSpec,
                                  policy: trainer.policy, resumingAt: trainer.updateCount)
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
        funTape?.append(env.recordedFun)
        if base.events.isEmpty { base.events = env.playEvents.map { _ in 0 } }
        let steps = Double(max(1, env.steps - base.steps))
        var update = Update(metrics: m, playRatio: Double(env.playSteps - base.play) / steps,
                            effectivePlayRatio: Double(env.effectivePlaySteps - base.effective) / steps,
                            playEvents: zip(env.playEvents, base.events).map { $0 - $1 })
        if let curriculum = env.curriculum {
            update.intermediateGoals = curriculum.intermediateGoals.count
            if m.environmentSteps / coverageEvery > (lastCoverage?.steps ?? 0) / coverageEvery {
                update.coverage = measureCoverageNow()
                update.trialsOnIntermediate = lastCoverage?.trialsOnIntermediate
            }
        }
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
