import Fun
import GridWorld
import MetaAgents
import MetaRL

/// Meta-training throughput on a real gridworld: the rate at which `playgrid train` learns on this machine.
public enum GridTrainingBenchmark {
    /// Environment steps per second of A2C training (rollout and update) on `scenario` with delight, per thread
    /// count, in the best of three rounds (see `TrainingBenchmark.bestRounds`).
    public static func run(_ scenario: Scenario, threads: [Int] = [1, 2], seconds: Double = 1.5) throws -> [Int: Double] {
        let trainers = try threads.map { count in
            let env = try GridMetaEnvironment(scenarios: [scenario], funSpec: .standard, batchSize: 64)
            return try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env)),
                               configuration: .gridworld(seed: 1, threads: count))
        }
        let runs = try TrainingBenchmark.bestRounds(trainers, seconds: seconds)
        return Dictionary(uniqueKeysWithValues: runs.map { ($0.threads, $0.trainEnvironmentStepsPerSecond) })
    }
}
