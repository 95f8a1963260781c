import Agents
import Engine
import Experiments
import Fun
import Statistics
import Testing
import TestSupport

@Suite struct RunCurvesTests {
    static func run(_ agent: any Agent) throws -> RunReport {
        try Runner.run(scenario: try shipped("tinker-lab"), agent: agent, fun: FunSpec(terms: []), seed: 11, length: .trials(12))
    }

    @Test("a run's curves are its figures by episode index, with 95% intervals over trials where it keeps every trial")
    func curves() throws {
        let random = try Self.run(RandomAgent()), greedy = try Self.run(GreedyAgent())
        let returns = try RunCurves(runs: [("random", random), ("greedy", greedy)], metric: .taskReturn)
        #expect(returns.curves.map(\.name) == ["random", "greedy"])
        for (curve, report) in zip(returns.curves, [random, greedy]) {
            #expect(zip(curve.values, report.returnByEpisodeIndex).allSatisfy { abs($0 - $1) < 1e-12 })
            let fourth = Sample.estimate(report.taskReturnByTrial.map { $0[3] })
            #expect(curve.halfWidths?[3] == fourth.halfWidth)
        }
        let steps = try RunCurves(runs: [("random", random)], metric: .length)
        #expect(zip(steps.curves[0].values, random.lengthByEpisodeIndex).allSatisfy { abs($0 - $1) < 1e-12 })
        let play = try RunCurves(runs: [("random", random)], metric: .play)
        #expect(play.curves[0].values == random.playByEpisodeIndex && play.curves[0].halfWidths == nil)
        let pushed = try RunCurves(runs: [("random", random)], metric: .event("pushed"))
        let means = try #require(random.playEventsByEpisodeIndex?["pushed"])
        #expect(zip(pushed.curves[0].values, means).allSatisfy { abs($0 - $1) < 1e-12 } && means.contains { $0 > 0 })
        #expect(pushed.curves[0].halfWidths?.contains { $0 > 0 } == true, "an interval over trials")
        let sank = try RunCurves(runs: [("greedy", greedy)], metric: .event("rock-sank-in-water"))
        #expect(greedy.playEvents["rock-sank-in-water"] == nil && sank.curves[0].values == [0, 0, 0, 0],
                "the oracle never sinks a rock: zero at each index, not missing")
        let plot = returns.plot(title: "t")
        #expect(plot.series.map(\.points.count) == [4, 4] && plot.series[0].points[0].x == 1, "episodes counted from 1")
        let lines = returns.table.split(separator: "\n")
        #expect(lines.count == 3 && lines[0].hasPrefix("episode") && lines[1].hasPrefix("random") && lines[1].contains(" ± "))
    }

    @Test("metric names: the figures and the play events a run counts; anything else is not a metric")
    func metricNames() {
        #expect(RunCurves.Metric(name: "return") == .taskReturn && RunCurves.Metric(name: "play-steps") == .playSteps)
        #expect(RunCurves.Metric(name: "event:rock-sank-in-water") == .event("rock-sank-in-water"))
        for bad in ["returns", "event:", "event:moved", "event:fumbled", "event:rock-sank-in-wate"] { #expect(RunCurves.Metric(name: bad) == nil, "\(bad)") }
    }

    @Test("a report written before the per-trial rows or play events were kept is refused, naming the run")
    func olderReports() throws {
        var old = try Self.run(RandomAgent())
        old.lengthByTrial = nil
        old.playEventsByEpisodeIndex = nil
        old.playEventsByTrial = nil
        #expect(throws: RunCurvesError.self) { try RunCurves(runs: [("old", old)], metric: .length) }
        do {
            _ = try RunCurves(runs: [("old", old)], metric: .event("pushed"))
            Issue.record("an old report was drawn")
        } catch {
            #expect(error.description.hasPrefix("old: this run report has no play events by episode"))
        }
        #expect(try RunCurves(runs: [("old", old)], metric: .taskReturn).curves[0].values.count == 4, "its other figures still draw")
    }
}
