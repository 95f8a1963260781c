import Foundation
import Statistics

/// A paired comparison of two arms asked after the results are in: the preregistered verdicts' statistics (mean
/// difference over seeds with its 95% percentile-bootstrap interval, exact two-sided paired permutation p) on any
/// metric, over the evaluation mix or one scenario of it, but exploratory — no correction for the comparisons a
/// reader chooses to make, and no verdict.
public struct Comparison: Sendable, Equatable {
    /// What is compared, checked against the design by `ExperimentConfiguration.comparison`.
    public struct Question: Sendable, Equatable {
        /// The arms, metric, episode and dynamics (`claim` and `direction` unused).
        public var hypothesis: Preregistration.Hypothesis
        /// One evaluation scenario's name; nil for the whole mix.
        public var scenario: String?
        /// Its place in the evaluation list: an arm with its own scenarios is read at the same place (a fixed-rule twin).
        var scenarioIndex: Int?
    }

    public var question: Question
    /// Treatment − control, seed by seed (seed k at index k − 1; NaN where a figure does not exist).
    public var differences: [Double]
    /// Pairs, effect and unadjusted p, as a preregistered hypothesis reports them.
    public var outcome: Preregistration.Outcome

    /// One line for a terminal or a README: what was compared, the effect, p, and every seed's difference.
    public var summary: String {
        let h = question.hypothesis
        let effect = outcome.effect.map { "\(format($0.estimate)) [\(format($0.lower)), \(format($0.upper))]" } ?? "n/a"
        let seeds = differences.map { $0.isFinite ? String(format: "%+.3f", $0) : "-" }.joined(separator: " ")
        let scenario = question.scenario.map { " in \($0)" } ?? ""
        return "`\(h.treatment)` − `\(h.control)`, \(h.metricDescription)\(scenario): \(effect) over \(outcome.pairs) seed pairs "
            + "(95% bootstrap interval), paired permutation p = \(format(outcome.p)) (exploratory, unadjusted); by seed: \(seeds)"
    }
}

extension ExperimentConfiguration {
    /// The question of comparing `treatment` with `control` on `metric`, paired by seed, checked against this design
    /// so that a misspelt arm is refused before any training. `dynamics` nil averages over the settings (over those
    /// whose rules change, for recovery metrics); `episode` picks one episode index of a trial; `scenario` names one
    /// evaluation scenario (or an arm's own scenario at the same position).
    public func comparison(treatment: String, control: String, metric: Preregistration.Metric, dynamics: String? = nil,
                           episode: Int? = nil, scenario: String? = nil) throws(ExperimentError) -> Comparison.Question {
        let arms = fun.map(\.name) + evaluation.baselines
        for arm in [treatment, control] where !arms.contains(arm) {
            throw ExperimentError("no arm '\(arm)' in experiment \(name); its arms: \(arms.joined(separator: ", "))")
        }
        if let dynamics, !self.dynamics.contains(where: { $0.name == dynamics }) {
            throw ExperimentError("no dynamics '\(dynamics)' in experiment \(name); its dynamics: \(self.dynamics.map(\.name).joined(separator: ", "))")
        }
        if let episode, episode < 1 { throw ExperimentError("episode \(episode): episodes count from 1, a trial's first") }
        var question = Comparison.Question(
            hypothesis: Preregistration.Hypothesis(name: "\(treatment) - \(control)", claim: "", metric: metric, episode: episode, dynamics: dynamics,
                                                   treatment: treatment, control: control, direction: .greater, minimumEffect: 0))
        if let fault = question.hypothesis.fault(dynamics: self.dynamics.map(\.name), changing: self.dynamics.filter(\.changesRules).map(\.name)) {
            throw ExperimentError(fault.message)
        }
        if let scenario {
            let lists = [scenarios] + fun.compactMap(\.scenarios)
            guard let index = lists.lazy.compactMap({ $0.firstIndex { $0.name == scenario } }).first else {
                throw ExperimentError("no scenario '\(scenario)' in experiment \(name); its scenarios: \(scenarios.map(\.name).joined(separator: ", "))")
            }
            let perScenario: [Preregistration.Metric] = [.taskReturn, .success, .playRatio, .effectivePlayRatio, .improvement]
            guard perScenario.contains(metric), episode == nil || metric != .effectivePlayRatio else {
                throw ExperimentError("metric '\(metric.rawValue)'\(episode == nil ? "" : " by episode") is not kept scenario by scenario; there: task_return, success, play_ratio, effective_play_ratio, improvement, and task_return or play_ratio by episode")
            }
            question.scenario = scenarios[index].name
            question.scenarioIndex = index
        }
        // An episode past every trial's end has no value to compare: the comparison came out "n/a over 0 seed
        // pairs", as if the arms had been measured and found wanting.
        let lists = [scenarios] + fun.compactMap(\.scenarios)
        let compared = question.scenarioIndex.map { index in lists.compactMap { $0.count > index ? $0[index] : nil } } ?? lists.flatMap { $0 }
        if let episode, let longest = compared.map(\.episodesPerTrial).max(), episode > longest {
            throw ExperimentError("episode \(episode): a trial \(question.scenario.map { "of \($0)" } ?? "in experiment \(name)") has at most \(longest) episode\(longest == 1 ? "" : "s")")
        }
        return question
    }
}

extension ExperimentResults {
    /// Answers a question from `ExperimentConfiguration.comparison` on these results.
    public func compare(_ question: Comparison.Question) -> Comparison {
        let report = ExperimentReport(results: self)
        let h = question.hypothesis
        let values: (String, Preregistration.Hypothesis) -> [Double] = { arm, h in
            guard let index = question.scenarioIndex else { return report.perSeed(arm, h) }
            return report.group(arm)?.evaluations.map { e in
                let settings = h.dynamics.flatMap { name in e.results.firstIndex { $0.dynamics == name } }.map { [$0] } ?? Array(e.results.indices)
                return Sample.mean(settings.map { d in
                    guard let s = e.results[d].byScenario, s.count > index else { return .nan }
                    return Self.value(of: h, in: s[index])
                })
            } ?? []
        }
        let (treated, control) = (values(h.treatment, h), values(h.control, h))
        let once = Preregistration(alpha: 0.05, correction: .none, hypotheses: [h], exploratory: [])
        return Comparison(question: question, differences: zip(treated, control).map { $0.0 - $0.1 },
                          outcome: once.decide { arm, _ in arm == h.treatment ? treated : control }[0])
    }

    /// One scenario's value of a question's metric (NaN when it does not exist there).
    static func value(of h: Preregistration.Hypothesis, in s: ScenarioResult) -> Double {
        func at(_ series: [Double], _ k: Int) -> Double { series.count > k ? series[k] : .nan }
        if let episode = h.episode { return at(h.metric == .taskReturn ? s.returnByEpisode : s.playByEpisode, episode - 1) }
        switch h.metric {
        case .taskReturn: return s.taskReturn
        case .success: return s.success
        case .playRatio: return s.playRatio
        case .effectivePlayRatio: return s.effectivePlayRatio
        case .improvement: return at(s.returnByEpisode, 1) - at(s.returnByEpisode, 0)
        default: return .nan
        }
    }
}
