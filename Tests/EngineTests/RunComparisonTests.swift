import Agents
import Engine
import Fun
import GridWorld
import Statistics
import Testing
import TestSupport

@Suite struct RunComparisonTests {
    @Test("runs of one seed pair trial by trial: the greedy solver beats the random agent on the same MDPs, and each trial's returns are reported")
    func greedyAgainstRandom() throws {
        let s = try shipped("bridge-builder")
        let greedy = try Runner.run(scenario: s, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(12))
        let random = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(12))
        #expect(greedy.taskReturnByTrial.count == 12 && greedy.taskReturnByTrial.allSatisfy { $0.count == s.episodesPerTrial })
        #expect(abs(greedy.taskReturnByTrial.joined().reduce(0, +) / 48 - greedy.taskReturnMean) < 1e-9)
        let c = try RunComparison(greedy, random)
        #expect(c.episode == 4 && c.trials == 12 && c.a == "greedy" && c.b == "random")
        let lasts = greedy.taskReturnByTrial.map { $0[3] }, randoms = random.taskReturnByTrial.map { $0[3] }
        #expect(c.meanA == Sample.mean(lasts) && c.difference == Sample.paired(lasts, randoms)?.difference.mean)
        #expect(c.lower > 0 && c.upper > c.difference && c.p < 0.001)
        let first = try RunComparison(greedy, random, episode: 0)
        #expect(first.episode == 1 && first.meanA == Sample.mean(greedy.taskReturnByTrial.map { $0[0] }))
        // Every episode's return in order, across trials, for learners whose curve runs over the whole run.
        #expect(greedy.episodeTaskReturns == Array(greedy.taskReturnByTrial.joined()) && greedy.episodeTaskReturns.count == 48)
    }

    @Test("runs of different seeds or scenarios, or an episode a trial does not have, are refused with one line")
    func refused() throws {
        let s = try shipped("bridge-builder")
        let a = try Runner.run(scenario: s, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(3))
        let b = try Runner.run(scenario: s, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 12, length: .trials(3))
        let other = try #require(#expect(throws: RunComparisonError.self) { try RunComparison(a, b) })
        #expect(other.message.contains("do not pair") && !other.message.contains("\n"))
        let beyond = try #require(#expect(throws: RunComparisonError.self) { try RunComparison(a, a, episode: 4) })
        #expect(beyond.message == "episode 5 is not in a trial of bridge-builder (4 episodes)")
        #expect(throws: RunComparisonError.self) { try RunComparison(a, a) }
    }

    @Test("runs with fewer than two whole trials are refused for what they lack, not compared on a part of a trial")
    func tooFewTrials() throws {
        let s = try shipped("bridge-builder")
        func run(_ agent: any Agent, _ length: RunLength) throws -> RunReport {
            try Runner.run(scenario: s, agent: agent, fun: FunSpec(terms: []), seed: 11, length: length)
        }
        let partial = try #require(#expect(throws: RunComparisonError.self) {
            try RunComparison(try run(GreedyAgent(), .episodes(2)), try run(RandomAgent(), .episodes(2)))
        })
        #expect(partial.message == "a paired comparison needs at least 2 whole trials in each run; greedy has 0, random 0: run both with --trials N")
        let one = try #require(#expect(throws: RunComparisonError.self) {
            try RunComparison(try run(GreedyAgent(), .trials(3)), try run(RandomAgent(), .trials(1)))
        })
        #expect(one.message.contains("greedy has 3, random 1"))
    }

    @Test("runs whose trials differ in length (the scenario changed between them) are refused for that, not as differences that do not vary")
    func differentTrialLengths() throws {
        let s = try shipped("bridge-builder")
        var longer = s
        longer.episodesPerTrial = s.episodesPerTrial + 1
        let a = try Runner.run(scenario: s, agent: GreedyAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(3))
        let b = try Runner.run(scenario: longer, agent: RandomAgent(), fun: FunSpec(terms: []), seed: 11, length: .trials(3))
        let error = try #require(#expect(throws: RunComparisonError.self) { try RunComparison(a, b) })
        #expect(error.message == "the runs' trials differ: greedy's have 4 episodes, random's 5; compare runs of one scenario file and seed")
    }
}
