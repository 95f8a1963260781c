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
        var totals: [Double] = []
        while totals.count < trials {
            runner.act(on: step, parameters: parameters, rng: &rng)
            runner.taskActions.withUnsafeBufferPointer { t in runner.playActions.withUnsafeBufferPointer { p in
                env.step(task: t, play: p, into: &step)
            } }
            runner.observe(step)
            for e in 0..<env.batchSize {
                running[e] += reward(step, e)
                if step.trialDone[e] {
                    if totals.count < trials { totals.append(running[e]) }
                    running[e] = 0
                }
            }
        }
        return totals
    }

    /// The same measurement for a policy that picks uniformly random actions (the baseline to beat).
    public static func evaluateRandom<E: MetaEnvironment>(environment: E, trials: Int, seed: UInt64) -> TrialStatistics {
        var env = environment
        var step = env.makeStep()
        env.reset(seed: seed, into: &step)
        var rng = SplitMix64(seed: seed ^ 0xBA5E)
        var tasks = ContiguousArray<Int32>(repeating: 0, count: env.batchSize), plays = tasks
        var running = [Double](repeating: 0, count: env.batchSize)
        var totals: [Double] = []
        while totals.count < trials {
            for e in 0..<env.batchSize {
                tasks[e] = Int32(rng.next() % UInt64(env.taskActionCount))
                plays[e] = Int32(rng.next() % UInt64(env.playActionCount))
            }
            tasks.withUnsafeBufferPointer { t in plays.withUnsafeBufferPointer { p in env.step(task: t, play: p, into: &step) } }
            for e in 0..<env.batchSize {
                running[e] += Double(step.taskReward[e] + step.funReward[e])
                if step.trialDone[e] {
                    if totals.count < trials { totals.append(running[e]) }
                    running[e] = 0
                }
            }
        }
        return statistics(totals)
    }

    static func statistics(_ xs: [Double]) -> TrialStatistics {
        TrialStatistics(trials: xs.count, mean: Sample.mean(xs), standardError: Sample.standardError(xs))
    }
}
