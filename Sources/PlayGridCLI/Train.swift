import ArgumentParser
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles

/// `playgrid train`: meta-train the recurrent agent (RL²) over a distribution of scenarios.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Meta-train the recurrent agent (RL²) over scenarios; writes a checkpoint, a learning curve (CSV) and its plot (SVG).")

    /// Passes over a segment per update: recipes use 1 (A2C) to 8 (PPO); a huge count makes one update run for
    /// ever, and a stop signal waits for the update in progress.
    static let mostEpochs = 1000

    @Argument(help: "Scenarios whose MDPs make the training distribution (names or paths).")
    var scenarios: [String] = ["rock-garden", "key-door", "four-rooms", "shifting-goal"]

    @Option(help: "Checkpoint to write (also NAME.curve.csv and NAME.curve.svg beside it).")
    var out: String

    @Option(help: "Environment steps to train for, rounded up to whole updates; default from the recipe (2M; 12M for bandit, 28M for skills, 2M for goals).")
    var steps: Int?

    @Option(help: "Environments stepped together; default from the recipe (64; 32 for bandit), or as the checkpoint with --resume.")
    var envs: Int?

    @Option(help: "Threads the batch is split across (results are deterministic per seed and thread count).")
    var threads: Int = 2

    /// Parsed with the arguments, so an unknown model or a bad weight is a usage mistake (status 64); the parser shows
    /// no default for a value it transforms, so the help says it.
    @Option(help: "Fun models and weights, e.g. delight=1,novelty=0.1 (none for no fun). (default: \(FunSpec.standard))", transform: { try FunSpec(parsing: $0) })
    var fun: FunSpec = .standard

    /// Optional, so that --resume, which goes on with the checkpoint's seed, can refuse one given rather than drop it.
    @Option(help: "Seed of the run (default 1; --resume goes on with the checkpoint's).")
    var seed: UInt64?

    /// The seed a new run starts from.
    var runSeed: UInt64 { seed ?? 1 }

    @Option(help: "GRU size; default from the recipe (128; 64 for bandit).")
    var hidden: Int?

    @Option(help: ArgumentHelp("How to train: gridworld, tinkering (for worlds whose hidden rules play finds out), bandit (lever bandits; picked when every scenario is one), skills (picked with --skills) or goals (picked with --goals), else gridworld; the options below override its settings.",
                               valueName: "recipe"))
    var recipe: GridRecipe?

    @Option(help: "Width of a tanh layer between the GRU and the heads (0: none); default from the recipe.")
    var trunk: Int?

    @Option(help: "Train DIAYN skills: the agent is given one of K skills per trial and rewarded by a discriminator for being recognisable (log q(z|s) - log p(z), added to the fun reward).")
    var skills: Int?

    @Option(help: ArgumentHelp("With --skills: what the discriminator reads of where the agent is: cell (one input per cell) or row-column (its column and its row, which cells share); default row-column. Saved in the checkpoint; --resume goes on with the checkpoint's.",
                               valueName: "layout"))
    var skillFeatures: PositionLayout?

    @Option(help: ArgumentHelp("With --skills: diayn (the discriminator learns alongside the policy) or edl (Explore, Discover and Learn: the room's cells are split into K regions before training, by k-means, and a discriminator fitted to them stays frozen, so each skill is paid for reaching its region; its entropy bonus is 0.01 unless --entropy is given); default diayn. Saved in the checkpoint; --resume goes on with the checkpoint's.",
                               valueName: "method"))
    var skillMethod: SkillMethod?

    @Option(help: ArgumentHelp("Train a goal-conditioned agent on one reach-goal scenario: each trial starts at the map's start with the goal at a cell drawn by goid (a curriculum of goals of intermediate difficulty) or uniform (every cell alike); the agent is told its goal cell. Goal coverage on held-out layouts goes to NAME.coverage.csv. Trained with the goals recipe unless told, which does not play: a goal agent free to play drifts to playing on most steps (docs/goals.md).",
                               valueName: "sampling"))
    var goals: GoalSampling?

    @Option(help: "Environment steps between measurements of goal coverage (with --goals).")
    var coverageEvery: Int = 200_000

    @Option(help: ArgumentHelp("Unsupervised meta-RL: the tasks are the skills of this checkpoint (trained with --skills K on the same room); each trial pays one skill's reward, unnamed, so the agent must find out which (recipe skills; give --fun none and a scenario without a task, e.g. skill-tasks). A path, or a bundled skill agent's name, such as skills-8.",
                               valueName: "skills-checkpoint"))
    var tasksFrom: String?

    @Option(help: ArgumentHelp("SiMPL's high level: the agent chooses one of the skills of this skill file (made by playgrid skills learn) every H steps and the skill's decoder acts; a KL penalty to the skill prior (--prior-weight). --steps counts gridworld steps.",
                               valueName: "skills-file"))
    var skillsFrom: String?

    @Option(help: ArgumentHelp("With --skills-from: α, the weight of the KL penalty to the skill prior (also the entropy bonus); default \(SkillLevelTraining.Plan.defaultPriorWeight)."))
    var priorWeight: Float?

    @Option(help: "Steps per rollout segment (BPTT length); default from the recipe.")
    var rolloutLength: Int?

    @Option(help: "Entropy bonus weight; default from the recipe.")
    var entropy: Float?

    @Option(help: "Optimisation passes per segment: 1 is A2C, more is PPO; default from the recipe.")
    var epochs: Int?

    @Option(help: "Adam learning rate; default from the recipe.")
    var learningRate: Float?

    @Option(help: "Discount γ; default from the recipe.")
    var discount: Float?

    @Option(help: "Bound on the global gradient norm; default from the recipe.")
    var maxGradientNorm: Float?

    @Option(help: "Divide standardised advantages by at least this (not by a tiny spread while nothing succeeds); default from the recipe.")
    var advantageScaleFloor: Float?

    @Option(help: "Clip a gradient norm above this multiple of its recent average to that, and shrink the step as much; default from the recipe.")
    var spikeGuard: Float?

    @Option(help: "Adam's β₂; default from the recipe.")
    var adamBeta2: Float?

    @Option(help: "Steps that back-propagation through time spans within a segment (the memory still carries over); default from the recipe (the whole segment).")
    var backpropSpan: Int?

    @Flag(help: "Train the same agent without the ability to play: its play head is fixed to none (a control).")
    var noPlay = false

    @Option(help: ArgumentHelp("When the agent's memory is cleared: trial (RL², the default) or episode (a control: no memory across episodes).",
                               valueName: "span"))
    var resetMemory: MemorySpan?

    @Option(help: ArgumentHelp("The recurrent core: gru (RL², the default) or episodic-lstm (an LSTM that stores its cell state at each trial's end under the trial's first observation and reinstates it when that world recurs: for scenarios with a trial pool, such as recurring-rooms).",
                               valueName: "core"))
    var core: RecurrentCore?

    @Option(help: "Record evaluation snapshots while training: one growing tape per scenario in this folder (watch --follow DIR/SCENARIO.tape; replay jumps between snapshots with > and <).")
    var tapes: String?

    @Option(help: "Updates between evaluation snapshots (also one before the first update and one where training stops).")
    var tapeEvery: Int = TrainingTapes.Plan.defaultEvery

    @Option(help: "Seed of the held-out trial every snapshot plays (the same trial each time, so snapshots compare).")
    var tapeSeed: UInt64 = TrainingTapes.Plan.defaultSeed

    @Flag(help: "Show a live training screen (curves, play events, speed and ETA, the newest snapshot played); q or Ctrl-C stops with the checkpoint saved. Without it, progress lines go to stderr.")
    var screen = false

    @Flag(help: "Continue from the checkpoint at --out.")
    var resume = false

    @Flag(help: "Overwrite an existing checkpoint.")
    var force = false

    func validate() throws {
        if let steps { try validateSteps(steps) }
        if let envs, envs < 1 || envs > 4096 { throw ValidationError("--envs must be from 1 to 4096") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        var isFolder: ObjCBool = false
        if let tapes, FileManager.default.fileExists(atPath: tapes, isDirectory: &isFolder), !isFolder.boolValue {
            throw ValidationError("--tapes \(tapes): is a file; --tapes names a folder, where one tape per scenario is written")
        }
        if let most = environmentsToTrain, threads > most {
            throw ValidationError("--threads must be from 1 to the \(most) environments trained at once (--envs), found \(threads)")
        }
        if let hidden, hidden < 4 || hidden > 1024 { throw ValidationError("--hidden must be from 4 to 1024") }
        if let trunk, trunk < 0 || trunk > 1024 { throw ValidationError("--trunk must be from 0 to 1024") }
        if resume && force { throw ValidationError("--resume continues the checkpoint; --force would overwrite it: give one") }
        if tapeEvery < 1 { throw ValidationError("--tape-every must be at least 1") }
        if screen { try ScreenCommand.requireTerminal(otherwise: "leave out --screen: train then prints progress lines") }
        if let skills, skills < 2 || skills > 36 { throw ValidationError("--skills must be from 2 to 36, got \(skills)") }
        if coverageEvery < 1 { throw ValidationError("--coverage-every must be at least 1") }
        if let rolloutLength, rolloutLength < 1 { throw ValidationError("--rollout-length must be at least 1") }
        if let rolloutLength, rolloutLength > TrainerConfiguration.mostStepsPerUpdate / (envs ?? 1) {
            throw ValidationError("--rollout-length must be at most \(TrainerConfiguration.mostStepsPerUpdate / (envs ?? 1))\(envs.map { " with --envs \($0)" } ?? ""), found \(rolloutLength)")
        }
        if let epochs, !(1...Self.mostEpochs).contains(epochs) {
            throw ValidationError("--epochs must be from 1 to \(Self.mostEpochs), found \(epochs)")
        }
        if let learningRate, !(learningRate > 0 && learningRate.isFinite) { throw ValidationError("--learning-rate must be positive") }
        if let discount, !(discount >= 0 && discount <= 1) { throw ValidationError("--discount must be from 0 to 1") }
        if let entropy, !(entropy >= 0 && entropy.isFinite) { throw ValidationError("--entropy must be a number ≥ 0") }
        if let maxGradientNorm, !(maxGradientNorm > 0 && maxGradientNorm.isFinite) { throw ValidationError("--max-gradient-norm must be positive") }
        if let adamBeta2, !(adamBeta2 > 0 && adamBeta2 < 1) { throw ValidationError("--adam-beta2 must be between 0 and 1") }
        if let advantageScaleFloor, !(advantageScaleFloor >= 0 && advantageScaleFloor.isFinite) {
            throw ValidationError("--advantage-scale-floor must be non-negative")
        }
        if let spikeGuard, !(spikeGuard > 1 && spikeGuard.isFinite) { throw ValidationError("--spike-guard must be above 1") }
        if let backpropSpan, backpropSpan < 1 { throw ValidationError("--backprop-span must be at least 1") }
        if goals != nil && skills != nil { throw ValidationError("--goals and --skills: an agent is given a goal or a skill, not both") }
        if goals != nil && scenarios.count != 1 {
            throw ValidationError("--goals trains on one scenario (goals are cells of its map), got \(scenarios.count)")
        }
        if skillFeatures != nil && skills == nil { throw ValidationError("--skill-features is what a skill discriminator reads: give it with --skills K") }
        if skillMethod != nil && skills == nil { throw ValidationError("--skill-method says how skills come about: give it with --skills K") }
        if skills != nil && tasksFrom != nil {
            throw ValidationError("--skills gives the policy its skill (DIAYN); --tasks-from makes skills its tasks: give one")
        }
        if goals != nil && tasksFrom != nil {
            throw ValidationError("--goals gives the agent a goal cell; --tasks-from makes skills its tasks: give one")
        }
        if fun.terms.contains(where: { $0.model == "skill" }) {
            throw ValidationError("--fun skill gives skills to the tabular q agent only; to train the recurrent agent on skills, give --skills K")
        }
        if let tasksFrom, !fun.terms.isEmpty {
            throw ValidationError("--tasks-from \(tasksFrom) pays the skills' rewards alone, with no hand-made reward: give --fun none")
        }
        if skillsFrom != nil {
            if resume { throw ValidationError("--skills-from trains a new high-level agent; --resume does not continue one (train it again with more --steps)") }
            if skills != nil || tasksFrom != nil || goals != nil || recipe != nil || core != nil || resetMemory != nil || noPlay || tapes != nil || screen {
                throw ValidationError("--skills-from trains SiMPL's high level with its own recipe; it takes none of --skills, --tasks-from, --goals, --recipe, --core, --reset-memory, --no-play, --tapes, --screen")
            }
            if let priorWeight, priorWeight < 0 || !priorWeight.isFinite { throw ValidationError("--prior-weight must be a number ≥ 0") }
        } else if priorWeight != nil {
            throw ValidationError("--prior-weight weighs the KL penalty of SiMPL's high level: give it with --skills-from SKILLS")
        }
    }

    func run() throws {
        try reportingFailures { try refuseUnwritableOut() }
        if let skillsFrom { return try trainSkillLevel(skillsFrom) }
        try reportingFailures { try refuseUnwritableCompanions() }
        try reportingFailures {
            let loaded = try scenarios.map { try ScenarioCatalog.load($0) }
            let tasks = try tasksFrom.map { try SkillTasks(path: AgentChoice.bundledPath($0) ?? $0) }
            let recipe = pickedRecipe(for: loaded)
            let steps = steps ?? recipe.defaultSteps
            let training: GridTraining
            if resume {
                if let ignored = settingsResumeKeeps.first {
                    throw CommandFailure("--resume continues \(out) with the settings it was trained with; it takes no \(ignored) (train a new agent to change it)")
                }
                let checkpoint = try Checkpoint.read(from: out)
                if noPlay && checkpoint.policy.plays != .none {
                    throw CommandFailure("\(out): was trained able to play; --resume continues it as it was, without --no-play")
                }
                if let resetMemory, resetMemory != checkpoint.policy.memory {
                    throw CommandFailure("\(out): was trained with a memory reset every \(checkpoint.policy.memory.rawValue); --resume continues it as it was")
                }
                if let core, core != checkpoint.policy.core {
                    throw CommandFailure("\(out): was trained with the \(checkpoint.policy.core.rawValue) core; --resume continues it as it was, without --core \(core.rawValue)")
                }
                let trainedSkills = checkpoint.identity?.observation.skills ?? 0
                if let skills, skills != trainedSkills {
                    throw CommandFailure("\(out): was trained with " + (trainedSkills > 0 ? "\(trainedSkills) skills" : "no skills") + "; --resume continues it as it was, without --skills \(skills)")
                }
                let trainedMethod = checkpoint.identity?.skillMethod ?? SkillMethod.diayn.rawValue
                if let skillMethod, trainedSkills > 0, skillMethod.rawValue != trainedMethod {
                    throw CommandFailure("\(out): its skills came about by \(trainedMethod); --resume continues it as it was, without --skill-method \(skillMethod.rawValue)")
                }
                let trainedGoals = checkpoint.identity?.goals
                if let goals, goals.rawValue != trainedGoals {
                    throw CommandFailure("\(out): was trained with " + (trainedGoals.map { "--goals \($0)" } ?? "no goals") + "; --resume continues it as it was, without --goals \(goals.rawValue)")
                }
                // The curve and coverage files are checked as they are continued; the plot is redrawn whole at the end.
                try CommandFailure.refuseReplacingOtherKinds(TrainingLoop.companions(of: out).plot, signature: CommandFailure.svgSignature,
                                                             what: "plot (SVG)", asked: "--resume")
                training = try GridTraining(resuming: checkpoint, path: out, scenarios: loaded, fun: fun,
                                            envs: envs, threads: threads, tasks: tasks, skillLayout: skillFeatures,
                                            coverageEvery: coverageEvery)
            } else {
                try CommandFailure.refuseOverwriting(out, force: force, otherwise: "--resume to continue it",
                                                     signature: Checkpoint.magic, what: "checkpoint", expecting: "a checkpoint file")
                // A curve outlives its checkpoint when the checkpoint was moved away or its run killed before the first save.
                let companions = TrainingLoop.companions(of: out)
                if let earlier = [companions.curve, companions.plot, companions.coverage].first(where: FileManager.default.fileExists), !force {
                    throw CommandFailure("\(earlier) exists (an earlier training's, without its checkpoint \(out)); pass --force to overwrite it")
                }
                try CommandFailure.refuseReplacingOtherKinds(companions.curve, signature: LearningCurve.signature, what: "learning curve (CSV)")
                try CommandFailure.refuseReplacingOtherKinds(companions.plot, signature: CommandFailure.svgSignature, what: "plot (SVG)")
                if goals != nil {
                    try CommandFailure.refuseReplacingOtherKinds(companions.coverage, signature: LearningCurve.coverageSignature, what: "coverage file (CSV)")
                }
                let envs = envs ?? recipe.environments
                var configuration = recipe.configuration(seed: runSeed, threads: threads, steps: steps)
                if let entropy = entropy ?? (skills != nil ? (skillMethod ?? .diayn).entropyBonus : nil) { configuration.coefficients.entropy = entropy }
                overrideTrainerSettings(&configuration)
                var plan = GridTraining.Plan(scenarios: loaded, fun: fun, seed: runSeed, envs: envs, threads: threads, hidden: hidden,
                                             recipe: recipe, memory: resetMemory ?? .trial, skills: skills ?? 0,
                                             goals: goals, configuration: configuration,
                                             tool: ToolVersion.current)
                plan.tasks = tasks
                if let skillFeatures { plan.skillLayout = skillFeatures }
                if let skillMethod { plan.skillMethod = skillMethod }
                if let trunk { plan.trunk = trunk }
                if noPlay { plan.plays = .none }
                plan.coverageEvery = coverageEvery
                if let core { plan.core = core }
                training = try GridTraining(plan)
                let why = self.recipe == nil && recipe != .gridworld
                    ? (skills != nil ? " (--skills)" : tasks != nil ? " (--tasks-from)" : goals != nil ? " (--goals)" : " (every scenario is a lever bandit)") : ""
                let planned = training.trainer.plannedSteps(steps)
                let rounded = planned == steps ? "" : " (--steps \(steps) rounded up to whole updates)"
                printError("training with the \(recipe.rawValue) recipe\(why) for \(planned) steps\(rounded) in \(envs) environments")
            }
            if let tapes {
                try training.recordTapes(TrainingTapes.Plan(directory: tapes, every: tapeEvery, seed: tapeSeed,
                                                            agent: URL(fileURLWithPath: out).lastPathComponent + " (training)",
                                                            force: force, continuing: resume))
            }
            try TrainingLoop(training: training, out: out, steps: steps).go(screen: screen)
        }
    }
}


extension Train {
    /// The options a resumed run would silently drop, because a checkpoint goes on with the seed, recipe, network and
    /// trainer settings it was trained with (the optimiser's state and schedules depend on them).
    var settingsResumeKeeps: [String] {
        let given: [(String, Bool)] = [
            ("--seed", seed != nil), ("--recipe", recipe != nil), ("--hidden", hidden != nil), ("--trunk", trunk != nil),
            ("--rollout-length", rolloutLength != nil), ("--entropy", entropy != nil), ("--epochs", epochs != nil),
            ("--learning-rate", learningRate != nil), ("--discount", discount != nil),
            ("--max-gradient-norm", maxGradientNorm != nil), ("--advantage-scale-floor", advantageScaleFloor != nil),
            ("--spike-guard", spikeGuard != nil), ("--adam-beta2", adamBeta2 != nil), ("--backprop-span", backpropSpan != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    /// The recipe the arguments name: --recipe, else the one --skills, --tasks-from or --goals needs (nil: the one
    /// suited to the scenarios).
    var recipeFromArguments: GridRecipe? {
        recipe ?? (skills != nil || tasksFrom != nil ? .skills : goals != nil ? .goals : nil)
    }

    /// The recipe a new run trains with.
    func pickedRecipe(for loaded: [Scenario]) -> GridRecipe { recipeFromArguments ?? GridRecipe.suited(to: loaded) }

    /// The environments a run steps together, as far as the arguments say, so that more threads than those are
    /// refused as the usage mistake they are: nil for a resumed run (its checkpoint's count is checked when read)
    /// and for scenarios that do not load (run reports why).
    var environmentsToTrain: Int? {
        if let envs { return envs }
        if skillsFrom != nil { return SkillLevelTraining.Plan.defaultEnvs }
        if resume { return nil }
        if let recipe = recipeFromArguments { return recipe.environments }
        // Which recipe suits the scenarios needs them loaded, which run does again (a fixed map may be searched):
        // only for a thread count that some recipe has too few environments for.
        guard threads > GridRecipe.allCases.map(\.environments).min()!,
              let loaded = try? scenarios.map({ try ScenarioCatalog.load($0) }) else { return nil }
        return pickedRecipe(for: loaded).environments
    }

    /// Training finds out that it cannot write `--out` only when it first saves, 30 s or a whole short run after it
    /// began, so a folder there, a folder missing above it or one that cannot be written is refused before anything
    /// trains.
    func refuseUnwritableOut() throws {
        try OutputFile.check(out, expecting: "a checkpoint file")
    }

    /// The files written beside the checkpoint, refused as `--out` is: the plot is written only when training ends,
    /// so a folder in its place failed the command after the whole run.
    func refuseUnwritableCompanions() throws {
        let companions = TrainingLoop.companions(of: out)
        try OutputFile.checkPlace(companions.curve, expecting: "a learning curve (CSV)")
        try OutputFile.checkPlace(companions.plot, expecting: "a plot (SVG)")
        if goals != nil { try OutputFile.checkPlace(companions.coverage, expecting: "a coverage file (CSV)") }
    }

    /// Puts the trainer settings given on the command line (all but --entropy, which a skill level's training
    /// takes as --prior-weight) over a recipe's.
    func overrideTrainerSettings(_ configuration: inout TrainerConfiguration) {
        if let rolloutLength { configuration.rolloutLength = rolloutLength }
        if let epochs { configuration.epochs = epochs }
        if let learningRate { configuration.learningRate = learningRate }
        if let discount { configuration.discount = discount }
        if let maxGradientNorm { configuration.maxGradientNorm = maxGradientNorm }
        if let adamBeta2 { configuration.adamBeta2 = adamBeta2 }
        if let spikeGuard { configuration.spikeGuard = spikeGuard }
        if let advantageScaleFloor { configuration.advantageScaleFloor = advantageScaleFloor }
        if let backpropSpan { configuration.backPropagationSpan = backpropSpan }
    }

    /// `train SCENARIOS --skills-from SKILLS`: SiMPL's high level over skills learned from play, for `--steps`
    /// gridworld steps, saved every 30 s and at the end.
    func trainSkillLevel(_ path: String) throws {
        try reportingFailures {
            let loaded = try scenarios.map { try ScenarioCatalog.load($0) }
            try CommandFailure.refuseOverwriting(out, force: force, signature: Checkpoint.magic, what: "checkpoint", expecting: "a checkpoint file")
            let skills = try PlaySkills.read(from: path)
            let steps = steps ?? GridRecipe.gridworld.defaultSteps
            var plan = SkillLevelTraining.Plan(scenarios: loaded, fun: fun, skills: skills, skillsName: URL(fileURLWithPath: path).lastPathComponent,
                                               seed: runSeed, priorWeight: priorWeight ?? SkillLevelTraining.Plan.defaultPriorWeight)
            if let envs { plan.envs = envs }
            plan.threads = threads
            if let hidden { plan.hidden = hidden }
            overrideTrainerSettings(&plan.configuration)
            if entropy != nil { throw CommandFailure("--skills-from: the entropy bonus is --prior-weight (α of the KL penalty), not --entropy") }
            if trunk != nil { throw CommandFailure("--skills-from: the high-level policy has no --trunk") }
            plan.tool = ToolVersion.current
            let training = try SkillLevelTraining(plan)
            printError("training the high level over \(skills.skills) skills of \(skills.horizon) steps (\(plan.skillsName)), KL weight \(plan.priorWeight), for \(steps) gridworld steps")
            let clock = SystemClock()
            let began = clock.now
            var bar = ProgressBar(total: steps)
            StopRequest.install()
            try training.train(steps: steps, saving: .init(path: out, everySeconds: 30), clock: clock) { m, done in
                bar.update(done: done, rate: Double(done) / max(1e-9, clock.seconds(since: began)),
                           detail: String(format: "task %.3f", m.meanTaskReturn.isNaN ? 0 : m.meanTaskReturn))
                return !StopRequest.isRequested
            }
            bar.finish()
            // Updates are whole, and a skill runs its H steps, so the steps taken pass `steps` (by up to an update).
            printError("trained \(training.lowLevelSteps) gridworld steps in \(Int(clock.seconds(since: began))) s; wrote \(out)")
        }
    }
}
