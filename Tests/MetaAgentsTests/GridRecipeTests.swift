import Fun
import GridWorld
import MetaAgents
import MetaRL
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

    @Test("the bandit recipe trains whole trials with PPO through a tanh trunk, its learning rate falling over the run")
    func banditRecipe() throws {
        let c = GridRecipe.bandit.configuration(seed: 3, threads: 1, steps: 1_000_000)
        #expect(c.epochs > 1 && c.rolloutLength >= 100 && c.learningRateDecaySteps == 1_000_000)
        #expect(GridRecipe.gridworld.configuration(seed: 3, threads: 1, steps: 1_000_000).learningRateDecaySteps == nil)
        let training = try GridTraining(.init(scenarios: [try shipped("lever-bandit")], fun: FunSpec(terms: []), seed: 3, envs: 4,
                                              threads: 1, hidden: 8, recipe: .bandit, steps: 1_000_000))
        #expect(training.trainer.policy.configuration.trunkSize == GridRecipe.bandit.trunkSize)
        #expect(training.trainer.policy.configuration.plays == .afforded)
        #expect(training.trainer.configuration.learningRateDecaySteps == 1_000_000)
    }
}
