import Fun
import GridWorld
import MetaAgents
@testable import MetaRL
import TestSupport
import Testing

@Suite struct GridRecipeTests {
    @Test("train picks the bandit recipe when every scenario is a lever bandit, and the gridworld recipe otherwise")
    func suitedRecipe() throws {
        let bandit = try shipped("lever-bandit"), garden = try shipped("rock-garden")
        #expect(GridRecipe.suited(to: [bandit]) == .bandit)
        #expect(GridRecipe.suited(to: [bandit, garden]) == .gridworld)
        #expect(GridRecipe.suited(to: [garden]) == .gridworld)
        #expect(GridRecipe.bandit.defaultSteps > GridRecipe.gridworld.defaultSteps)
    }

    @Test("the bandit recipe trains whole trials with PPO (8 passes, 32 environments) through a tanh trunk, on expected rewards, its learning rate and entropy bonus falling over the run, without play")
    func banditRecipe() throws {
        let c = GridRecipe.bandit.configuration(seed: 3, threads: 1, steps: 1_000_000)
        #expect(c.epochs > 1 && c.rolloutLength >= 100 && c.learningRateDecaySteps == 1_000_000 && c.learnsFromExpectedRewards)
        #expect(c.coefficients.entropy == 0.1 && c.entropyFallsWithLearningRate)
        #expect(abs(c.coefficients(atStep: 500_000).entropy - 0.05) < 1e-6)
        #expect(GridRecipe.bandit.defaultSteps == 12_000_000)
        // 8 passes over 32 environments: four times the optimisation per environment step of 4 passes over 64.
        #expect(c.epochs == 8 && GridRecipe.bandit.environments == 32)
        let bandit = try shipped("lever-bandit")
        #expect(GridTraining.Plan(scenarios: [bandit], fun: FunSpec(terms: []), seed: 3, recipe: .bandit).envs == 32)
        #expect(GridTraining.Plan(scenarios: [bandit], fun: FunSpec(terms: []), seed: 3, envs: 8, recipe: .bandit).envs == 8)
        #expect(GridTraining.Plan(scenarios: [bandit], fun: FunSpec(terms: []), seed: 3).envs == 64)
        for other in [GridRecipe.gridworld, .tinkering, .skills] {
            let o = other.configuration(seed: 3, threads: 1, steps: 1_000_000)
            #expect(o.learningRateDecaySteps == nil && !o.entropyFallsWithLearningRate && !o.learnsFromExpectedRewards && other.plays != .none)
        }
        let training = try GridTraining(.init(scenarios: [try shipped("lever-bandit")], fun: FunSpec(terms: []), seed: 3, envs: 4,
                                              threads: 1, hidden: 8, recipe: .bandit, steps: 1_000_000))
        #expect(training.trainer.policy.configuration.trunkSize == GridRecipe.bandit.trunkSize)
        #expect(training.trainer.policy.configuration.plays == .none)
        #expect(training.trainer.configuration.learningRateDecaySteps == 1_000_000)
    }

    @Test("the goals recipe is the gridworld recipe as PPO with a 0.01 entropy bonus and no play; the other recipes keep the trainer's defaults for the settings added with it")
    func goalsRecipe() throws {
        let goals = GridRecipe.goals.configuration(seed: 3, threads: 1)
        var expected = GridRecipe.gridworld.configuration(seed: 3, threads: 1)
        expected.coefficients.entropy = 0.01
        expected.epochs = 4
        expected.clipRange = 0.2
        #expect(goals == expected)
        #expect(goals.rolloutLength == 256 && goals.learningRate == 1e-3 && goals.normalizeAdvantages)
        #expect(GridRecipe.goals.plays == .none && GridRecipe.goals.hiddenSize == 128 && GridRecipe.goals.trunkSize == 0)
        #expect(GridRecipe.goals.defaultSteps == 2_000_000)
        let defaults = TrainerConfiguration()
        for recipe in GridRecipe.allCases {
            let c = recipe.configuration(seed: 3, threads: 1, steps: 1_000_000)
            #expect(c.adamBeta2 == defaults.adamBeta2 && c.adamEpsilon == defaults.adamEpsilon && c.maxGradientNorm == 0.5)
            #expect(c.backPropagationSpan == nil && c.advantageScaleFloor == nil && c.spikeGuard == nil)
        }
        let gridworld = GridRecipe.gridworld.configuration(seed: 3, threads: 1)
        #expect(gridworld.coefficients.entropy == 0.002 && gridworld.epochs == 1)
    }

    @Test("the bandit recipe learns from a pull's odds, not its draw, while the agent still sees what the lever paid")
    func learnsFromExpectedRewards() throws {
        /// At each pull that did not end the trial: the reward learned from, and the reward in the next step's input.
        func pulls(_ recipe: GridRecipe) throws -> (learned: [Float], seen: [Float]) {
            let training = try GridTraining(.init(scenarios: [try shipped("lever-bandit")], fun: FunSpec(terms: []), seed: 5,
                                                  envs: 4, threads: 1, hidden: 8, recipe: recipe, steps: 1_000_000))
            training.trainer.collectRollout()
            let w = training.trainer.workers[0], c = w.policy.configuration
            let rewardInput = c.observationSize + c.taskActionCount + c.playActionCount
            let pulls = (0..<((w.length - 1) * w.rows)).filter { w.inputs[($0 + w.rows) * c.inputSize + rewardInput + 2] == 1 && w.continues[$0] == 1 }
            return (pulls.map { w.rewards[$0] }, pulls.map { w.inputs[($0 + w.rows) * c.inputSize + rewardInput] })
        }
        let bandit = try pulls(.bandit), gridworld = try pulls(.gridworld)
        #expect(bandit.learned.count > 10 && gridworld.learned.count > 10)
        #expect(bandit.seen.allSatisfy { $0 == 0 || $0 == 1 } && gridworld.seen.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(bandit.learned.contains { $0 > 0.01 && $0 < 0.99 })
        #expect(gridworld.learned.allSatisfy { $0 == 0 || $0 == 1 })
    }
}
