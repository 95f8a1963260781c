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
}
