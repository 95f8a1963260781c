import MetaRL
import NeuralCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Measures training and inference throughput on the shapes of the PyTorch peer (`torch_gru_a2c.py`):
/// batch 64, observation 147 fed straight to a GRU of 128, heads 7 and 6 plus value, 128-step segments with
/// BPTT over all of them, A2C n-step returns (GAE λ = 1), γ 0.99, clip 0.5, Adam 7e-4.
public enum TrainingBenchmark {
    public struct Options: Sendable, Equatable {
        public var batchSize = 64
        public var observationSize = 147
        public var hiddenSize = 128
        public var taskActions = 7
        public var playActions = 6
        public var rolloutLength = 128
        /// Wall time to measure each figure over (after warm-up), in three rounds of which the best counts.
        public var measureSeconds = 3.0
        public var threadCounts = [1, 2]
        public init() {}
    }

    public struct Run: Sendable, Equatable, Codable {
        public var threads: Int
        /// Environment steps per second of rollout plus update (the peer's `train_env_sps`), in the best round.
        public var trainEnvironmentStepsPerSecond: Double
        public var updates: Int
        public var rolloutMilliseconds: Double
        public var updateMilliseconds: Double
    }

    public struct Results: Sendable, Equatable, Codable {
        public var parameters: Int
        public var runs: [Run]
        /// Inference-only rollout steps per second (one thread, sampling both heads).
        public var inferenceEnvironmentStepsPerSecond: Double
        /// Peak resident set size of the process, MiB (getrusage).
        public var peakMemoryMiB: Double
    }

    /// Runs every measurement; takes about `measureSeconds × (thread counts + ½)` plus warm-up.
    public static func run(_ o: Options = Options()) throws -> Results {
        let env = SyntheticEnvironment(batchSize: o.batchSize, observationSize: o.observationSize,
                                       taskActionCount: o.taskActions, playActionCount: o.playActions)
        let policy = RecurrentPolicy(PolicyConfiguration(
            observationSize: o.observationSize, taskActionCount: o.taskActions, playActionCount: o.playActions,
            hiddenSize: o.hiddenSize, feedsPreviousTransition: false))
        var config = TrainerConfiguration()
        config.rolloutLength = o.rolloutLength
        config.gaeLambda = 1
        config.discount = 0.99
        config.learningRate = 7e-4
        config.maxGradientNorm = 0.5
        let trainers = try o.threadCounts.map { threads in
            config.threads = threads
            return try Trainer(environment: env, policy: policy, configuration: config)
        }
        let runs = try bestRounds(trainers, seconds: o.measureSeconds)
        var fresh = SplitMix64(seed: config.seed)
        let lastParameters = trainers.last?.parameters ?? policy.initialParameters(rng: &fresh)
        var runner = PolicyRunner(policy: policy, batchSize: o.batchSize)
        var environment = env
        var step = environment.makeStep()
        environment.reset(seed: 0, into: &step)
        var rng = SplitMix64(seed: 1)
        let watch = Stopwatch()
        var steps = 0
        while watch.seconds < o.measureSeconds / 2 {
            for _ in 0..<o.rolloutLength {
                runner.act(on: step, parameters: lastParameters, rng: &rng)
                runner.taskActions.withUnsafeBufferPointer { t in runner.playActions.withUnsafeBufferPointer { p in
                    environment.step(task: t, play: p, into: &step)
                } }
                runner.observe(step)
            }
            steps += o.rolloutLength * o.batchSize
        }
        let inference = Double(steps) / watch.seconds
        return Results(parameters: policy.parameterCount, runs: runs, inferenceEnvironmentStepsPerSecond: inference,
                       peakMemoryMiB: peakResidentMiB())
    }

    /// Trains each of `trainers` (after three warm-up updates) in turn for three short rounds, `seconds` in all
    /// for each, and reports each one's best round: on a shared machine a moment of load elsewhere then spoils a
    /// round rather than a figure, and the thread counts compared meet the same moments.
    static func bestRounds<E: MetaEnvironment>(_ trainers: [Trainer<E>], seconds: Double, rounds: Int = 3) throws -> [Run] {
        for trainer in trainers { for _ in 0..<3 { try trainer.step() } }
        var best: [Run?] = Array(repeating: nil, count: trainers.count)
        for _ in 0..<rounds {
            for (i, trainer) in trainers.enumerated() {
                var rollout = 0.0, update = 0.0, n = 0
                while rollout + update < seconds / Double(rounds) {
                    let m = try trainer.step()
                    rollout += m.rolloutSeconds
                    update += m.updateSeconds
                    n += 1
                }
                let run = Run(threads: trainer.configuration.threads,
                              trainEnvironmentStepsPerSecond: Double(n * trainer.batchSize * trainer.configuration.rolloutLength) / (rollout + update),
                              updates: n, rolloutMilliseconds: rollout / Double(n) * 1e3, updateMilliseconds: update / Double(n) * 1e3)
                if run.trainEnvironmentStepsPerSecond > best[i]?.trainEnvironmentStepsPerSecond ?? 0 { best[i] = run }
            }
        }
        return best.compactMap { $0 }
    }

    /// Peak resident set size of this process in MiB (Linux reports `ru_maxrss` in KiB, Darwin in bytes).
    public static func peakResidentMiB() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }
}
