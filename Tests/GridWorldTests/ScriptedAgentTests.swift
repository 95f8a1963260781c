import Agents
import Engine
import Fun
import GridWorld
import Testing
import TestSupport

@Suite struct ScriptedAgentTests {
    @Test("greedy solves every task scenario and never plays", arguments: ["open-field", "rock-garden", "key-door", "key-door-key", "key-door-open", "four-rooms",
                                                                                  "shifting-goal", "playroom"])
    func greedy(_ name: String) throws {
        let report = try Runner.run(scenario: try shipped(name), agent: GreedyAgent(), fun: .standard, seed: 3, length: .episodes(60))
        #expect(report.successRate >= 0.99)
        #expect(report.playRatio == 0)
        #expect(report.episodes == 60)
    }

    @Test("player plays in rock-garden, sinks rocks, and still solves the task")
    func player() throws {
        let report = try Runner.run(scenario: try shipped("rock-garden"), agent: PlayerAgent(), fun: .standard, seed: 3, length: .episodes(40))
        #expect(report.playRatio > 0)
        #expect(report.successRate >= 0.9)
        #expect((report.playEvents["rock-sank"] ?? 0) > 0)
        #expect(report.funReturnByModel["delight"]! > 0)
    }

    @Test("random does worse than greedy; greedy's bandit strategy beats random pulls")
    func baselines() throws {
        let random = try Runner.run(scenario: try shipped("open-field"), agent: RandomAgent(), fun: .standard, seed: 3, length: .episodes(40))
        #expect(random.successRate < 0.9)
        let bandit = try shipped("lever-bandit")
        let greedy = try Runner.run(scenario: bandit, agent: GreedyAgent(), fun: .standard, seed: 3, length: .trials(200))
        let coin = try Runner.run(scenario: bandit, agent: RandomAgent(), fun: .standard, seed: 3, length: .trials(200))
        #expect(greedy.trialReturnMean > coin.trialReturnMean)
        #expect(greedy.returnByEpisodeIndex.count == 10)
    }

    @Test("a run counts trials and reports return by episode index")
    func report() throws {
        let r = try Runner.run(scenario: try shipped("shifting-goal"), agent: GreedyAgent(), fun: .standard, seed: 1, length: .trials(3))
        #expect(r.episodes == 12 && r.trials == 3)
        #expect(r.returnByEpisodeIndex.count == 4)
        #expect(abs(r.trialReturnMean - r.taskReturnMean * 4) < 1e-9)
        // Whole trials: the mean lengths by index add up to the steps taken, the successes to the success rate.
        #expect(r.lengthByEpisodeIndex.count == 4 && r.successByEpisodeIndex.count == 4)
        #expect(abs(r.lengthByEpisodeIndex.reduce(0, +) * 3 - Double(r.steps)) < 1e-9)
        #expect(abs(r.successByEpisodeIndex.reduce(0, +) / 4 - r.successRate) < 1e-9)
    }
}
