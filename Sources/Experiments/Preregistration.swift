import Foundation
import Records
import ScenarioFiles
import Statistics

/// What an experiment commits to before it sees data: one primary metric and one decision rule per hypothesis,
/// the significance level and the correction for testing several at once. `playgrid experiment` writes it into
/// the results folder (DESIGN.md, preregistration.json) before training, and refuses to change it once the folder
/// holds results, so a verdict cannot be tuned to the data after the fact.
public struct Preregistration: Sendable, Equatable, Codable {
    /// A per-seed figure of an agent, compared between two arms paired by seed.
    public enum Metric: String, Sendable, Equatable, Codable, CaseIterable {
        case taskReturn = "task_return"
        case success
        case playRatio = "play_ratio"
        /// Play steps whose play half changed the world (spinning and fumbling do not), over all steps.
        case effectivePlayRatio = "effective_play_ratio"
        /// Play steps that changed the world over play steps: how much of the play acts on the world.
        case playYield = "play_yield"
        case funPerStep = "fun_per_step"
        /// Second episode's task return minus the first's.
        case improvement
        /// Least-squares slope of task return against the dynamics settings' rates of change (over all of them).
        case changeSlope = "change_slope"
        /// Under rules that change within a trial: steps from a change until an episode's return is back to 90% of
        /// the level before it (`Recovery`); lower is faster.
        case recoverySteps = "recovery_steps"
        /// The same change's regret until then, in episodes' worth of the pre-change level (return lost / level).
        case recoveryRegret = "recovery_regret"

        /// Metrics that exist per episode index of a trial (`episode: N`).
        var hasEpisodes: Bool { self == .taskReturn || self == .playRatio || self == .effectivePlayRatio }
        /// Metrics measured only under dynamics whose rules change within a trial.
        var needsRuleChanges: Bool { self == .recoverySteps || self == .recoveryRegret }
        /// Metrics that are one number across every dynamics setting, not one per setting.
        var spansDynamics: Bool { self == .changeSlope }
    }

    /// Which way the treatment is predicted to differ from the control.
    public enum Direction: String, Sendable, Equatable, Codable, CaseIterable {
        case greater, less
    }

    public struct Hypothesis: Sendable, Equatable, Codable {
        public var name: String
        /// The claim in words, as the report states it.
        public var claim: String
        public var metric: Metric
        /// An episode index of the trial, 1-based (per-episode metrics only); nil for the whole trial.
        public var episode: Int?
        /// A dynamics setting's name; nil averages the metric over every setting.
        public var dynamics: String?
        /// Arms: a fun setting's name or a baseline's (`random`, `greedy`).
        public var treatment: String
        public var control: String
        public var direction: Direction
        /// The smallest difference, in the predicted direction, that counts as the effect.
        public var minimumEffect: Double

        enum CodingKeys: String, CodingKey {
            case name, claim, metric, episode, dynamics, treatment, control, direction
            case minimumEffect = "minimum_effect"
        }

        /// `play_ratio (episode 1, dynamics fast)`.
        public var metricDescription: String {
            var qualifiers: [String] = []
            if let episode { qualifiers.append("episode \(episode)") }
            if let dynamics { qualifiers.append("dynamics `\(dynamics)`") } else if metric.needsRuleChanges { qualifiers.append("mean over the dynamics whose rules change") } else if !metric.spansDynamics { qualifiers.append("mean over dynamics") }
            return "`\(metric.rawValue)`" + (qualifiers.isEmpty ? "" : " (" + qualifiers.joined(separator: ", ") + ")")
        }

        /// The part of a hypothesis a broken rule is reported at.
        enum Field { case arms, episode, dynamics, metric }

        /// The first rule of a design that this hypothesis (or an exploratory comparison) breaks, with the field at
        /// fault; nil when it keeps them all. `dynamics` names the design's settings, `changing` those whose rules
        /// change within a trial.
        func fault(dynamics: [String], changing: [String]) -> (at: Field, message: String)? {
            let m = "metric '\(metric.rawValue)'"
            if treatment == control { return (.arms, "compares '\(treatment)' with itself; name two different arms") }
            if episode != nil && !metric.hasEpisodes {
                return (.episode, "\(m) has no per-episode values; an episode needs task_return, play_ratio or effective_play_ratio")
            }
            if self.dynamics != nil && metric.spansDynamics { return (.dynamics, "\(m) is computed across every dynamics setting; name no dynamics") }
            if metric.needsRuleChanges {
                if let named = self.dynamics, !changing.contains(named) {
                    return (.dynamics, "\(m) is measured only where rules change; dynamics '\(named)' has neither redraw-rules-every nor redraw-rules-between-episodes")
                }
                if changing.isEmpty {
                    return (.metric, "\(m) is measured only where rules change, and no dynamics setting here redraws them (redraw-rules-every or redraw-rules-between-episodes)")
                }
            }
            if metric.spansDynamics && dynamics.count < 2 { return (.metric, "\(m) needs at least two dynamics settings to fit a slope") }
            return nil
        }

        /// The decision rule in words.
        public func rule(alpha: Double, correction: Correction) -> String {
            let sign = direction == .greater ? ">" : "<"
            let bound = direction == .greater ? "upper" : "lower"
            let m = CSV.number(minimumEffect, significantDigits: 4)
            return "supported if `\(treatment)` − `\(control)` \(sign) \(m) and the paired permutation p\(correction == .holm ? " (Holm-adjusted)" : "") < \(CSV.number(alpha, significantDigits: 3)); "
                + "not supported if the 95% bootstrap interval's \(bound) end is on the other side of \(m) and the seeds could have reached significance (2/2ⁿ\(correction == .holm ? " × hypotheses" : "") < α); else inconclusive"
        }
    }

    public enum Correction: String, Sendable, Equatable, Codable, CaseIterable {
        case holm, none
    }

    public var alpha: Double
    public var correction: Correction
    public var hypotheses: [Hypothesis]
    /// Analyses reported as exploratory: no verdict rests on them.
    public var exploratory: [String]

    static let keys = ["alpha", "correction", "hypotheses", "exploratory"]
    static let hypothesisKeys = ["claim", "metric", "episode", "dynamics", "treatment", "control", "direction", "minimum-effect"]

    /// Parses the `preregistration` section; arms and dynamics must name the configuration's own.
    /// `changing` names the dynamics settings whose rules change within a trial (where recovery is measured);
    /// `longestTrial` gives, for an arm, the most episodes a trial of its scenarios has, so that a hypothesis about an
    /// episode no trial reaches is refused when the file is read, not answered "n/a" after hours of training.
    static func parse(_ node: YAMLNode, arms: [String], dynamics: [String], changing: [String] = [],
                      longestTrial: (String) -> Int = { _ in .max }) throws(ScenarioFileError) -> Preregistration {
        var result = Preregistration(alpha: 0.05, correction: .holm, hypotheses: [], exploratory: [])
        var hypothesesNode: YAMLNode?
        for (key, _, value) in try node.mapping("the preregistration", allowed: keys) {
            switch key {
            case "alpha": result.alpha = try value.number("alpha (the significance level)", in: 1e-6...0.5)
            case "correction":
                result.correction = try value.name("correction", Correction.init(rawValue:), known: Correction.allCases.map(\.rawValue))
            case "hypotheses": hypothesesNode = value
            default:
                for item in try value.list("exploratory analyses (a list of descriptions)") {
                    result.exploratory.append(try item.string("a description of an exploratory analysis"))
                }
            }
        }
        guard let hypothesesNode else { throw node.error("missing 'hypotheses': expected at least one, e.g. H1: {metric: play_ratio, treatment: none, control: random, direction: greater}") }
        for (name, _, value) in try hypothesesNode.mapping("hypotheses (name: its metric, arms and direction)") {
            result.hypotheses.append(try hypothesis(name: name, value, arms: arms, dynamics: dynamics, changing: changing, longestTrial: longestTrial))
        }
        guard !result.hypotheses.isEmpty else { throw hypothesesNode.error("'hypotheses' is empty; name at least one") }
        return result
    }

    static func hypothesis(name: String, _ node: YAMLNode, arms: [String], dynamics: [String], changing: [String] = [],
                           longestTrial: (String) -> Int = { _ in .max }) throws(ScenarioFileError) -> Hypothesis {
        let entries = try node.mapping("hypothesis '\(name)'", allowed: hypothesisKeys)
        func value(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
        func required(_ key: String, _ what: String) throws(ScenarioFileError) -> YAMLNode {
            guard let v = value(key) else { throw node.error("hypothesis '\(name)' is missing '\(key)': expected \(what)") }
            return v
        }
        func arm(_ key: String) throws(ScenarioFileError) -> String {
            try required(key, "a fun setting or baseline").name("\(key) arm", { arms.contains($0) ? $0 : nil }, known: arms)
        }
        let metricNode = try required("metric", "one of \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        let metric = try metricNode.name("metric", Metric.init(rawValue:), known: Metric.allCases.map(\.rawValue))
        var h = Hypothesis(name: name, claim: try value("claim")?.string("the claim in words") ?? "", metric: metric, episode: nil,
                           dynamics: nil, treatment: try arm("treatment"), control: try arm("control"),
                           direction: try required("direction", "greater or less").name("direction", Direction.init(rawValue:),
                                                                                          known: Direction.allCases.map(\.rawValue)),
                           minimumEffect: try value("minimum-effect")?.number("minimum-effect", in: 0...1e9) ?? 0)
        if let episodeNode = value("episode") {
            let episode = try episodeNode.int("episode (1 is a trial's first)", in: 1...10_000)
            let reached = min(longestTrial(h.treatment), longestTrial(h.control))
            if episode > reached {
                throw episodeNode.error("hypothesis '\(name)': episode \(episode) is past every trial's end; the arms' scenarios have at most \(reached) episodes a trial")
            }
            h.episode = episode
        }
        if let dynamicsNode = value("dynamics") {
            h.dynamics = try dynamicsNode.name("dynamics setting", { dynamics.contains($0) ? $0 : nil }, known: dynamics)
        }
        if let fault = h.fault(dynamics: dynamics, changing: changing) {
            let at: YAMLNode? = switch fault.at {
            case .arms: node
            case .episode: value("episode")
            case .dynamics: value("dynamics")
            case .metric: metricNode
            }
            throw (at ?? node).error("hypothesis '\(name)': \(fault.message)")
        }
        return h
    }

    /// The canonical text stored beside the results: two preregistrations are the same commitment when it is equal.
    var canonicalJSON: String {
        String(decoding: (try? StableJSON.data(self, pretty: true)) ?? Data(), as: UTF8.self)
    }

    // MARK: Verdicts

    public enum Verdict: String, Sendable, Equatable, Codable {
        case supported
        case notSupported = "not supported"
        case inconclusive
    }

    /// One hypothesis tested: the paired effect with its interval, the p-values and the verdict by the rule.
    public struct Outcome: Sendable, Equatable, Codable {
        public var hypothesis: String
        public var pairs: Int
        /// Mean of treatment − control over seeds, with its 95% percentile-bootstrap interval.
        public var effect: Sample.Interval?
        public var p: Double
        public var adjustedP: Double
        public var verdict: Verdict

        enum CodingKeys: String, CodingKey {
            case hypothesis, pairs, effect, p, verdict
            case adjustedP = "adjusted_p"
        }
    }

    /// Whether n pairs could give a significant result at all: the smallest exact two-sided p is 2/2ⁿ (times the
    /// number of hypotheses under Holm, in the worst case). Below that, an interval from a few seeds is too
    /// coarse to call an effect absent.
    func canDecide(pairs n: Int) -> Bool {
        guard n > 0 else { return false }
        let smallest = 2 / Double(1 << min(n, 60)) * (correction == .holm ? Double(hypotheses.count) : 1)
        return smallest < alpha
    }

    /// Tests every hypothesis on per-seed values (pair k is seed k in both arms: the same held-out MDPs).
    /// `values(arm, hypothesis)` gives an arm's per-seed figures.
    public func decide(values: (String, Hypothesis) -> [Double]) -> [Outcome] {
        var raw: [(pairs: Int, effect: Sample.Interval?, p: Double)] = []
        for h in hypotheses {
            let t = values(h.treatment, h), c = values(h.control, h)
            let count = min(t.count, c.count)
            let (a, b) = (Array(t.prefix(count)), Array(c.prefix(count)))
            let pairs = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }.count
            let test = Sample.permutation(a, b)
            raw.append((pairs, Sample.pairedBootstrap(a, b), test?.p ?? .nan))
        }
        let adjusted = correction == .holm ? Sample.holm(raw.map(\.p)) : raw.map(\.p)
        return hypotheses.indices.map { i in
            let h = hypotheses[i], r = raw[i]
            let sign = h.direction == .greater ? 1.0 : -1.0
            var verdict = Verdict.inconclusive
            if let effect = r.effect {
                let predictedEnd = h.direction == .greater ? effect.upper : effect.lower
                if adjusted[i] < alpha && sign * effect.estimate > h.minimumEffect {
                    verdict = .supported
                } else if sign * predictedEnd < h.minimumEffect && canDecide(pairs: r.pairs) {
                    verdict = .notSupported
                }
            }
            return Outcome(hypothesis: h.name, pairs: r.pairs, effect: r.effect, p: r.p, adjustedP: adjusted[i], verdict: verdict)
        }
    }
}
