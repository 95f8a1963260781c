import Foundation
import GridWorld
import Plots
import Statistics

/// What the agent comparisons (`skills meta-test`, `skills compare`) report per test scenario: each agent's return
/// by episode of a task, and one agent's total against each baseline, paired by seed.
public enum AgentComparison<Contender: Hashable & CaseIterable & Codable & Sendable> {
    /// Per-episode task returns of one agent on one test scenario: for each seed, the mean over tasks of episode k.
    public struct Curves: Codable, Sendable, Equatable {
        public var scenario: String
        public var agent: Contender
        /// `bySeed[s][k]`: seed s's mean return in episode k of a task.
        public var bySeed: [[Double]]

        enum CodingKeys: String, CodingKey {
            case scenario, agent
            case bySeed = "by_seed"
        }
        /// Per seed, the mean return summed over the N episodes of a task.
        public var totals: [Double] { bySeed.map { $0.reduce(0, +) } }
    }

    /// One agent's summed return over a task's episodes minus a baseline's, paired by seed (95% t-interval over
    /// seeds).
    public struct Difference: Codable, Sendable, Equatable {
        public var scenario: String
        public var baseline: Contender
        public var difference: Sample.Estimate
        public var p: Double?
    }

    /// Every agent's curves on `scenario`, in `Contender.allCases` order, and `treatment` against each of `baselines`.
    public static func compare(scenario: String, bySeed: [Contender: [[Double]]], treatment: Contender,
                               baselines: [Contender]) -> (curves: [Curves], differences: [Difference]) {
        let curves = Contender.allCases.map { Curves(scenario: scenario, agent: $0, bySeed: bySeed[$0] ?? []) }
        let total = { (agent: Contender) in (bySeed[agent] ?? []).map { $0.reduce(0, +) } }
        let differences = baselines.map { baseline in
            Difference(scenario: scenario, baseline: baseline, difference: Sample.estimate(zip(total(treatment), total(baseline)).map { $0 - $1 }),
                       p: Sample.paired(total(treatment), total(baseline))?.p)
        }
        return (curves, differences)
    }

    /// The held-out tasks every agent of training seed `seed` meets on `scenario`, so that all are scored on the same
    /// trials: `count` trial seeds drawn from `evaluationSeed` (alike for every training seed), each with an action seed
    /// of its own.
    public static func tasks(on scenario: Scenario, count: Int, evaluationSeed: UInt64, seed: UInt64) -> [(trialSeed: UInt64, actSeed: UInt64)] {
        var taskSeeds = SplitMix64(seed: evaluationSeed).derived(scenario.fingerprint)
        return (0..<count).map { task in
            let trialSeed = taskSeeds.next()
            var draws = SplitMix64(seed: trialSeed ^ seed).derived(UInt64(task))
            return (trialSeed, draws.next())
        }
    }

    /// The agents' curves as an SVG plot: return by episode of a new task, the mean over seeds with its 95% band, each
    /// series named by `label` and the last word of its scenario's name.
    public static func svg(_ curves: [Curves], title: String, label: (Contender) -> String) -> String {
        let series = curves.map { c in
            let n = c.bySeed.first?.count ?? 0
            let points = (0..<n).map { k in (x: Double(k + 1), y: Sample.mean(c.bySeed.map { $0[k] })) }
            let band = (0..<n).map { k in Sample.estimate(c.bySeed.map { $0[k] }).halfWidth }
            return LinePlot.Series(name: "\(label(c.agent)) · \(c.scenario.split(separator: "-").last ?? "")", points: points,
                                   band: band.map { $0.isFinite ? $0 : 0 })
        }
        var plot = LinePlot(title: title, xLabel: "episode of a new task", yLabel: "mean task return", series: series)
        plot.width = 760
        plot.height = 440
        return plot.svg
    }
}

extension AgentComparison where Contender: RawRepresentable, Contender.RawValue == String {
    /// The comparison's lines as the CLI prints them: per scenario and agent the summed return (mean over seeds ± 95%
    /// interval) and the mean return by episode, agent names padded to `nameWidth`; then `treatment` minus each baseline.
    public static func lines(curves: [Curves], differences: [Difference], nameWidth: Int, treatment: Contender) -> [String] {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines: [String] = []
        for c in curves {
            let perEpisode = (0..<(c.bySeed.first?.count ?? 0)).map { k in f(Sample.mean(c.bySeed.map { $0[k] })) }
            lines.append("  \(c.scenario)  \(c.agent.rawValue.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  \(Sample.estimate(c.totals).formatted())   by episode \(perEpisode.joined(separator: " "))")
        }
        for d in differences {
            lines.append("  \(d.scenario)  \(treatment.rawValue) − \(d.baseline.rawValue): \(d.difference.formatted())" + (d.p.map { String(format: "  (paired t, p = %.3g)", $0) } ?? ""))
        }
        return lines
    }
}
