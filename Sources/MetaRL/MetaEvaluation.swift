import NeuralCore
import Statistics

/// Mean and spread of total reward (task + fun) per trial.
public struct TrialStatistics: Sendable, Equatable, Codable {
    public var trials: Int
    public var mean: Double
    public var standardError: Double
}

/// Held-out evaluation of a meta-trained policy: fresh MDPs from a seed the trainer never used.
public enum MetaEvaluation {
    /// Plays `trials` complete trials with the policy sampling its actions and returns the mean total reward.
    ///
    /// Trials are counted in the order they end (step, then environment index), so the figure is deterministic.
    public static func evaluate<E: MetaEnvironment>(policy: RecurrentPolicy, parameters: ContiguousArray<Float>,
                                                    environment: E, trials: Int, seed: UInt64) -> TrialStatistics {
        var rng = SplitMix64(seed: seed ^ 0xE7A1)
        return statistics(trialReturns(policy: policy, parameters: parameters, environment: environment, trials: trials,
                                       seed: seed, rng: &rng) { step, e in Double(step.taskReward[e] + step.funReward[e]) })
    }

    /// The return of each of `trials` complete trials on fresh MDPs from `seed`, counting `reward` of each step,
    /// with the policy sampling from `rng`. Trials are listed in the order they end.
    public static func trialReturns<E: MetaEnvironment>(
        policy: RecurrentPolicy, parameters: ContiguousArray<Float>, environment: E, trials: Int, seed: UInt64,
        rng: inout SplitMix64, reward: (MetaStep, Int) -> Double
    ) -> [Double] {
        var env = environment
        var runner = PolicyRunner(policy: policy, batchSize: env.batchSize)
        var step = env.makeStep()
        env.reset(seed: seed, into: &step)
        var running = [Double](repeating: 0, count: env.batchSize)
        var totals = TrialSample(trials: trials, lanes: env.batchSize)
        while !totals.isComplete {
            runner.act(on: step, parameters: parameters, rng: &rng)
            runner.taskActions.withUnsafeBufferPointer { t in runner.playActions.withUnsafeBufferPointer { p in
                env.step(task: t, play: p, into: &step)
            } }
            runner.observe(step)
            for e in 0..<env.batchSize {
                running[e] += reward(step, e)
                if step.trialDone[e] {
                    totals.finish(lane: e, value: running[e])
                    running[e] = 0
                }
            }
        }
        return totals.values
    }

    /// The same measurement for a policy that picks uniformly random actions (the baseline to beat).
    public static func evaluateRandom<E: MetaEnvironment>(environment: E, trials: Int, seed: UInt64) -> TrialStatistics {
        var env = environment
        var step = env.makeStep()
        env.reset(seed: seed, into: &step)
        var rng = SplitMix64(seed: seed ^ 0xBA5E)
        var tasks = ContiguousArray<Int32>(repeating: 0, count: env.batchSize), plays = tasks
        var running = [Double](repeating: 0, count: env.batchSize)
        var totals = TrialSample(trials: trials, lanes: env.batchSize)
        while !totals.isComplete {
            for e in 0..<env.batchSize {
                tasks[e] = Int32(rng.next() % UInt64(env.taskActionCount))
                plays[e] = Int32(rng.next() % UInt64(env.playActionCount))
            }
            tasks.withUnsafeBufferPointer { t in plays.withUnsafeBufferPointer { p in env.step(task: t, play: p, into: &step) } }
            for e in 0..<env.batchSize {
                running[e] += Double(step.taskReward[e] + step.funReward[e])
                if step.trialDone[e] {
                    totals.finish(lane: e, value: running[e])
                    running[e] = 0
                }
            }
        }
        return statistics(totals.values)
    }

    static func statistics(_ xs: [Double]) -> TrialStatistics {
        TrialStatistics(trials: xs.count, mean: Sample.mean(xs), standardError: Sample.standardError(xs))
    }
}

/// The trials a batched evaluation scores: each lane's first ⌈trials/lanes⌉ trials, taken round by round (every
/// lane's first trial, then every lane's second, …) up to `trials`. Taking whichever trials finish first instead
/// would favour short trials — in a family whose trials differ in length, the quick successes.
struct TrialSample {
    let trials: Int
    private let perLane: Int
    private var byLane: [[Double]]

    init(trials: Int, lanes: Int) {
        self.trials = trials
        perLane = (trials + lanes - 1) / max(lanes, 1)
        byLane = Array(repeating: [], count: lanes)
    }

    mutating func finish(lane: Int, value: Double) {
        if byLane[lane].count < perLane { byLane[lane].append(value) }
    }

    var isComplete: Bool { byLane.allSatisfy { $0.count >= perLane } }

    var values: [Double] {
        var out: [Double] = []
        for round in 0..<perLane {
            for lane in byLane.indices where out.count < trials && round < byLane[lane].count { out.append(byLane[lane][round]) }
        }
        return out
    }
}
