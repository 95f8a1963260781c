import Checksum
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import NeuralCore
import Records

/// What identifies a trained agent: everything that changes its parameters. Its hash names the cached files.
struct TrainingKey: Codable, Equatable {
    var scenarios: [ScenarioID]
    var fun: String
    var seed: UInt64
    var steps: Int
    var envs: Int
    var hidden: Int
    var recipe: TrainerConfiguration
    /// Bumped when training or its record changes meaning, so stale caches are not reused.
    var version = 2  // 2: delight habituates within an episode

    init(scenarios: [Scenario], fun: FunSpec, seed: UInt64, steps: Int, training: ExperimentConfiguration.Training) {
        self.scenarios = scenarios.map(ScenarioID.init)
        self.fun = fun.description
        self.seed = seed
        self.steps = steps
        envs = training.envs
        hidden = training.hidden
        recipe = .gridworld(seed: seed, threads: training.threads)
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

/// Trains one agent, reporting each update, and returns its trainer and binned learning curve.
struct CellTrainer {
    let scenarios: [Scenario]
    let training: ExperimentConfiguration.Training

    func train(fun: FunSpec, seed: UInt64, steps: Int, onUpdate: (TrainingMetrics) -> Void)
        throws -> (trainer: Trainer<GridMetaEnvironment>, curve: [Double], playCurve: [Double], seconds: Double) {
        let environment = try GridMetaEnvironment(scenarios: scenarios, funSpec: fun, batchSize: training.envs)
        let policy = RecurrentPolicy(PolicyConfiguration(for: environment, hiddenSize: training.hidden))
        let trainer = try Trainer.gridworld(environment: environment, policy: policy,
                                            configuration: .gridworld(seed: seed, threads: min(training.threads, training.envs)))
        let bins = LearningCurveBins.count
        var sums = [Double](repeating: 0, count: bins), counts = sums, playSums = sums, playCounts = sums
        var playBase = (0, 0)
        let began = ContinuousClock.now
        try trainer.train(steps: steps) { m in
            let bin = min(bins - 1, (m.environmentSteps - 1) * bins / max(1, steps))
            if m.meanTaskReturn.isFinite {
                sums[bin] += m.meanTaskReturn * Double(m.episodes)
                counts[bin] += Double(m.episodes)
            }
            let env = trainer.environment
            playSums[bin] += Double(env.playSteps - playBase.0)
            playCounts[bin] += Double(env.steps - playBase.1)
            playBase = (env.playSteps, env.steps)
            onUpdate(m)
            return true
        }
        let curve = zip(sums, counts).map { $1 > 0 ? $0 / $1 : .nan }
        let playCurve = zip(playSums, playCounts).map { $1 > 0 ? $0 / $1 : .nan }
        return (trainer, curve, playCurve, (ContinuousClock.now - began).secondsValue)
    }
}

extension Duration {
    var secondsValue: Double {
        let (s, a) = components
        return Double(s) + Double(a) * 1e-18
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
    return totals.reduce(0, +) / Double(totals.count)
}
