import Checksum
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import NeuralCore
import Records
import Statistics

/// What identifies a trained agent: everything that changes its parameters. Its hash names the cached files.
struct TrainingKey: Codable, Equatable {
    var scenarios: [FamilyID]
    var fun: String
    var seed: UInt64
    var steps: Int
    var envs: Int
    var hidden: Int
    var recipe: TrainerConfiguration
    /// The play choices and memory span when they are not the defaults (all plays, memory over the trial): absent
    /// otherwise, so the agents trained before arms had controls keep their keys.
    var plays: PlayChoices?
    var memory: MemorySpan?
    /// A yoked control's partner cell (its training hash), whose recorded fun it replays; absent otherwise.
    var yokedTo: String?
    /// The training worlds' dynamics when an arm sets them (`train-dynamics`: a scenario's fingerprint is its file's).
    var dynamics: String?
    /// Bumped when training or its record changes meaning, so stale caches are not reused.
    var version = 3  // 2: delight habituates within an episode; 3: checkpoints carry a typed identity

    /// The key of what `plan` trains in `steps` steps.
    init(_ plan: GridTraining.Plan, steps: Int) {
        scenarios = plan.scenarios.map(FamilyID.init)
        fun = plan.fun.description
        seed = plan.seed
        self.steps = steps
        envs = plan.envs
        hidden = plan.hidden
        recipe = plan.configuration
        plays = plan.plays == .all ? nil : plan.plays
        memory = plan.memory == .trial ? nil : plan.memory
    }

    var hash: String { stableHash(self) }
}

/// A hex FNV-1a of a value's sorted-key JSON: stable across runs and machines.
func stableHash<T: Encodable>(_ value: T) -> String {
    FNV1a.hex64((try? StableJSON.string(value)) ?? "")
}

/// The record of one finished training run, stored beside its checkpoint.
public struct TrainedCell: Codable, Equatable, Sendable {
    public var key: String
    public var fun: String
    public var seed: UInt64
    public var steps: Int
    public var seconds: Double
    /// Mean task return per episode in each of `LearningCurveBins.count` equal slices of training.
    public var curve: [Double]
    /// Play ratio of the training rollouts in each slice.
    public var playCurve: [Double]
}

enum LearningCurveBins {
    static let count = 30
}

/// Trains one agent with the grid pipeline, reporting each update, and returns its checkpoint and binned
/// learning curve.
struct CellTrainer {
    let training: ExperimentConfiguration.Training

    /// What one arm's agent of `seed` trains: the arm's scenarios, the experiment's recipe and sizes, the arm's controls.
    func plan(scenarios: [Scenario], fun: FunSpec, seed: UInt64, noPlay: Bool = false, memory: MemorySpan = .trial) -> GridTraining.Plan {
        let recipe = GridRecipe(rawValue: training.recipe) ?? .gridworld
        var plan = GridTraining.Plan(scenarios: scenarios, fun: fun, seed: seed, envs: training.envs, threads: min(training.threads, training.envs),
                                     hidden: training.hidden, recipe: recipe, memory: memory, tool: ToolVersion.current)
        if noPlay { plan.plays = .none }
        return plan
    }

    func train(_ plan: GridTraining.Plan, steps: Int, onUpdate: (TrainingMetrics) -> Void)
        throws -> (checkpoint: Checkpoint, curve: [Double], playCurve: [Double], seconds: Double, funTape: FunTape?) {
        let run = try GridTraining(plan)
        var curve = LearningCurve()
        let clock = SystemClock()
        try run.train(steps: steps) { update in
            try curve.append(update)
            onUpdate(update.metrics)
            return true
        }
        let (task, play) = curve.binned(LearningCurveBins.count, over: steps)
        return (run.run.checkpoint, task, play, clock.seconds(since: .zero), run.funTape)
    }
}

/// One arm's agent of one seed: how it trains (its plan, and the key whose hash names its files) and where its
/// files go. The experiment's loop and its concurrent training both go through it, so an agent is the same either way.
struct CellJob {
    let label: String
    let plan: GridTraining.Plan
    let steps: Int
    let trainer: CellTrainer
    let hash: String
    /// File name of its record, checkpoint and (a partner's) fun tape, without the extension.
    let stem: String
    let checkpointPath: String
    let tapePath: String
    /// A yoked agent's partner's fun tape, which it replays; nil otherwise.
    let partnerTape: String?

    /// Seed k's agent of `setting`, with `spec` as its fun; `partner` is seed k's agent of the arm a yoked one replays.
    /// With `recordsFun` (an arm that is some yoked arm's partner) it records the fun each row receives.
    init(setting: ExperimentConfiguration.FunSetting, seedIndex k: Int, spec: FunSpec, partner: CellJob?, trainer: CellTrainer,
         configuration c: ExperimentConfiguration, cells: String, recordsFun: Bool) {
        // A yoked agent trains from its own seed: from its partner's it would start from the same weights, sample
        // the same actions, so receive exactly the fun its own play would have earned, and copy its partner.
        let seed = c.trainingSeed(k)
        let trainingSeed = setting.yokedTo == nil ? UInt64(seed) : ExperimentConfiguration.yokedTrainingSeed(seed)
        var plan = trainer.plan(scenarios: c.scenarios(of: setting), fun: spec, seed: trainingSeed, noPlay: setting.noPlay, memory: setting.memory)
        plan.recordsFun = recordsFun
        var key = TrainingKey(plan, steps: c.training.steps)
        key.dynamics = setting.trainDynamics?.key
        // Pairing: seed k's yoked agent replays the fun of the partner arm's seed-k agent, row by row and step by step.
        key.yokedTo = partner?.hash
        label = c.firstSeed == 1 ? "\(setting.name) seed \(k)/\(c.seeds)" : "\(setting.name) seed \(seed) (\(k)/\(c.seeds))"
        self.plan = plan
        steps = c.training.steps
        self.trainer = trainer
        hash = key.hash
        stem = "train-\(fileSafe(setting.name))-s\(seed)-\(hash)"
        checkpointPath = cells + "/" + stem + ".pgck"
        tapePath = cells + "/" + stem + ".fun"
        partnerTape = partner?.tapePath
    }

    /// Its record and checkpoint when it has been trained, else nil. The checkpoint (~1 MB) may be missing once
    /// nothing needs the agent: under --analyse-only, or when its evaluation is recorded (`evaluated`), so a results
    /// folder shared without checkpoints is reused, not retrained. A partner of a yoked arm is finished only with its
    /// checkpoint and fun tape; one trained before it was needed is trained again (training is deterministic: the same agent).
    func finished(folder: ResultsFolder, analyseOnly: Bool, evaluated: Bool) -> (cell: TrainedCell, checkpoint: Checkpoint?)? {
        guard let cell = folder.record(TrainedCell.self, named: stem + ".json") else { return nil }
        if analyseOnly { return (cell, nil) }
        let checkpoint = try? Checkpoint.read(from: checkpointPath)
        if plan.recordsFun {
            guard checkpoint != nil, FileManager.default.fileExists(atPath: tapePath) else { return nil }
        } else if checkpoint == nil && !evaluated {
            return nil
        }
        return (cell, checkpoint)
    }

    /// Trains it, reporting each update, and saves its fun tape (a partner's), its checkpoint, then its record.
    func train(folder: ResultsFolder, onUpdate: (TrainingMetrics) -> Void) throws -> (cell: TrainedCell, checkpoint: Checkpoint) {
        var plan = plan
        if let partnerTape {
            do { plan.yoke = try FunTape.read(from: partnerTape) } catch { throw ExperimentError(error.message) }
        }
        let result = try trainer.train(plan, steps: steps, onUpdate: onUpdate)
        if plan.recordsFun, let tape = result.funTape {
            do { try tape.write(to: tapePath) } catch { throw ExperimentError(error.message) }
        }
        try result.checkpoint.write(to: checkpointPath)
        let record = TrainedCell(key: hash, fun: plan.fun.description, seed: plan.seed, steps: steps, seconds: result.seconds,
                                 curve: result.curve, playCurve: result.playCurve)
        try folder.save(record, named: stem + ".json")
        return (record, result.checkpoint)
    }
}

/// Mean task return per trial of a policy on fresh MDPs, batched: how the outer loop scores a candidate.
///
/// The policy sees its own fun (as in training) but only the task reward is counted.
func taskReturnPerTrial(policy: RecurrentPolicy, parameters: ContiguousArray<Float>, environment: GridMetaEnvironment,
                        trials: Int, seed: UInt64) -> Double {
    var rng = SplitMix64(seed: seed ^ 0x5C0E)
    let totals = MetaEvaluation.trialReturns(policy: policy, parameters: parameters, environment: environment, trials: trials,
                                             seed: seed, rng: &rng) { step, e in Double(step.taskReward[e]) }
    return Sample.mean(totals)
}
