import Agents
import Fun
import GridWorld
import Session
import Testing

@Suite struct ScriptedAgentTests {
    @Test("greedy solves every task scenario and never plays", arguments: ["open-field", "rock-garden", "key-door", "four-rooms", "shifting-goal", "playroom"])
    func greedy(_ name: String) throws {
        let report = try Runner.run(scenario: try shipped(name), agent: TaskSolver(), fun: .standard, seed: 3, length: .episodes(60))
        #expect(report.success_rate >= 0.99)
        #expect(report.play_ratio == 0)
        #expect(report.episodes == 60)
    }

    @Test("player plays in rock-garden, sinks rocks, and still solves the task")
    func player() throws {
        let report = try Runner.run(scenario: try shipped("rock-garden"), agent: Player(), fun: .standard, seed: 3, length: .episodes(40))
        #expect(report.play_ratio > 0)
        #expect(report.success_rate >= 0.9)
        #expect((report.play_events["rock-sank"] ?? 0) > 0)
        #expect(report.fun_return_by_model["delight"]! > 0)
    }

    @Test("random does worse than greedy; greedy's bandit strategy beats random pulls")
    func baselines() throws {
        let random = try Runner.run(scenario: try shipped("open-field"), agent: RandomAgent(), fun: .standard, seed: 3, length: .episodes(40))
        #expect(random.success_rate < 0.9)
        let bandit = try shipped("lever-bandit")
        let greedy = try Runner.run(scenario: bandit, agent: TaskSolver(), fun: .standard, seed: 3, length: .trials(200))
        let coin = try Runner.run(scenario: bandit, agent: RandomAgent(), fun: .standard, seed: 3, length: .trials(200))
        #expect(greedy.trial_return_mean > coin.trial_return_mean)
        #expect(greedy.return_by_episode_index.count == 10)
    }

    @Test("a run counts trials and reports return by episode index")
    func report() throws {
        let r = try Runner.run(scenario: try shipped("shifting-goal"), agent: TaskSolver(), fun: .standard, seed: 1, length: .trials(3))
        #expect(r.episodes == 12 && r.trials == 3)
        #expect(r.return_by_episode_index.count == 4)
        #expect(abs(r.trial_return_mean - r.task_return_mean * 4) < 1e-9)
        // Whole trials: the mean lengths by index add up to the steps taken, the successes to the success rate.
        #expect(r.length_by_episode_index.count == 4 && r.success_by_episode_index.count == 4)
        #expect(abs(r.length_by_episode_index.reduce(0, +) * 3 - Double(r.steps)) < 1e-9)
        #expect(abs(r.success_by_episode_index.reduce(0, +) / 4 - r.success_rate) < 1e-9)
    }
}
