import Testing
import NeuralCore
@testable import MetaRL

/// A reduced RL² check that runs in CI: a short meta-training run on the lever bandit must clearly beat random.
@Suite struct MetaLearningTests {
    @Test("RL² on the 5-lever, 10-pull bandit beats random play after a short meta-training run")
    func leverBanditBeatsRandom() throws {
        let outcome = try MetaLearningCheck.leverBandit(steps: MetaLearningTests.budget, batchSize: 64, hiddenSize: 32,
                                                        threads: 1, seed: 1, evaluationTrials: 1000)
        #expect(abs(outcome.random.mean - 5) < 0.25)
        print("lever-bandit check: trained \(outcome.trained.mean) ± \(outcome.trained.standardError), random \(outcome.random.mean), \(outcome.environmentSteps) steps in \(outcome.seconds) s")
        #expect(outcome.trained.mean > outcome.random.mean + 0.5,
                "trained \(outcome.trained.mean) ± \(outcome.trained.standardError) vs random \(outcome.random.mean)")
    }

    static let budget = 1_200_000
}
