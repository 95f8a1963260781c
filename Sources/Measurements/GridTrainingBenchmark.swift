import Fun
import GridWorld
import MetaAgents
import MetaRL

/// Meta-training throughput on a real gridworld: the rate at which `playgrid train` learns on this machine.
public enum GridTrainingBenchmark {
    /// Environment steps per second of A2C training (rollout and update) on `scenario` with delight, per thread count.
    public static func run(_ scenario: Scenario, threads: [Int] = [1, 2], seconds: Double = 1.5) throws -> [Int: Double] {
        var rates: [Int: Double] = [:]
        for count in threads {
            let env = try GridMetaEnvironment(scenarios: [scenario], funSpec: .standard, batchSize: 64)
            let trainer = try Trainer(environment: env, policy: RecurrentPolicy(PolicyConfiguration(for: env)),
                                      configuration: .gridworld(seed: 1, threads: count))
            try trainer.step()
            let watch = Stopwatch()
            let start = trainer.environmentSteps
            repeat { try trainer.step() } while watch.seconds < seconds
            rates[count] = Double(trainer.environmentSteps - start) / watch.seconds
        }
        return rates
    }
}
