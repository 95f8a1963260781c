import Agents
import Engine
import EpisodicAgents
import Fun
import GridWorld
import Plots
import Statistics

/// The episodic minds' check (issue #16): MFEC, NEC, tabular Q and the greedy solver run `episodes` episodes of
/// one scenario (room-9) per seed, exactly as `playgrid run SCENARIO --agent A --episodes N --seed S` runs them
/// (default fun), and the median task return of each episode over the seeds is compared with greedy's.
public enum EpisodicCurves {
    public static let agents = ["mfec", "nec", "q", "greedy"]

    /// Median task return by episode, per agent (in `agents` order), and the check's figures.
    public struct Report: Codable, Sendable {
        public var scenario: String
        public var seeds: [UInt64]
        public var medianByEpisode: [String: [Double]]
        /// The first episode (from 1) whose median is at least 0.8 × greedy's median return, per agent that has one.
        public var firstEpisodeAtFourFifthsOfGreedy: [String: Int]
        /// The last episode's median over greedy's, per agent.
        public var lastOverGreedy: [String: Double]

        enum CodingKeys: String, CodingKey {
            case scenario, seeds
            case medianByEpisode = "median_by_episode"
            case firstEpisodeAtFourFifthsOfGreedy = "first_episode_at_four_fifths_of_greedy"
            case lastOverGreedy = "last_over_greedy"
        }
    }

    static func agent(_ name: String, fun: FunSpec) -> any Agent {
        switch name {
        case "mfec": MFECAgent(funWeight: fun.optimismWeight)
        case "nec": NECAgent(funWeight: fun.optimismWeight)
        case "q": QAgent(funWeight: fun.optimismWeight)
        default: GreedyAgent()
        }
    }

    /// Runs every agent on every seed. O(agents · seeds · episodes · steps).
    public static func run(_ scenario: Scenario, seeds: [UInt64], episodes: Int, fun: FunSpec = .standard) throws -> Report {
        var medians: [String: [Double]] = [:]
        for name in agents {
            let curves = try seeds.map { seed in
                try Runner.run(scenario: scenario, agent: agent(name, fun: fun), fun: fun, seed: seed, length: .episodes(episodes)).episodeTaskReturns
            }
            medians[name] = (0..<episodes).map { e in Sample.median(curves.map { $0[e] }) }
        }
        let greedy = Sample.median(medians["greedy"] ?? [])
        var first: [String: Int] = [:], last: [String: Double] = [:]
        for (name, curve) in medians {
            first[name] = curve.firstIndex { $0 >= 0.8 * greedy }.map { $0 + 1 }
            last[name] = (curve.last ?? .nan) / greedy
        }
        return Report(scenario: scenario.name, seeds: seeds, medianByEpisode: medians, firstEpisodeAtFourFifthsOfGreedy: first,
                      lastOverGreedy: last)
    }

    /// The curves as one chart.
    public static func svg(_ report: Report) -> String {
        let seeds = report.seeds.map(String.init)
        let range = seeds.count > 1 ? "\(seeds.first!)–\(seeds.last!)" : seeds.joined()
        return LinePlot(title: "\(report.scenario): median task return by episode over seeds \(range)", xLabel: "episode",
                        yLabel: "task return (median over seeds)",
                        series: agents.map { name in
                            LinePlot.Series(name: name, points: (report.medianByEpisode[name] ?? []).enumerated().map { (x: Double($0.offset + 1), y: $0.element) })
                        }).svg
    }
}
