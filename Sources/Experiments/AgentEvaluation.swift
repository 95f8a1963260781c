import Agents
import Engine
import Fun
import GridWorld
import Statistics

/// How one agent did on one evaluation scenario under one dynamics setting: what the averages over scenarios hide
/// (an arm can solve one family every time and another never).
public struct ScenarioResult: Codable, Equatable, Sendable {
    public var scenario: String
    /// Task return per episode.
    public var taskReturn: Double
    /// Fraction of episodes that reached the task.
    public var success: Double
    public var playRatio: Double
    /// Play that changed the world, over all steps.
    public var effectivePlayRatio: Double
    /// Task return and play ratio by episode index within a trial, over every index this scenario's trials have.
    public var returnByEpisode: [Double]
    public var playByEpisode: [Double]
}

/// How one agent did under one dynamics setting, averaged over the evaluation scenarios (each weighs the same).
public struct DynamicsResult: Codable, Equatable, Sendable {
    public var dynamics: String
    public var rate: Double
    /// Task return per episode.
    public var taskReturn: Double
    /// Fraction of episodes that reached the task.
    public var success: Double
    /// Fraction of steps whose play half was not none.
    public var playRatio: Double
    /// The agent's own weighted fun per step (0 for agents without fun).
    public var funPerStep: Double
    /// Task return by episode index within a trial (index 0 is the first episode of a fresh MDP), over the indices
    /// every evaluation scenario has, so each index averages the same scenarios.
    public var returnByEpisode: [Double]
    /// Play ratio by episode index, over the same indices.
    public var playByEpisode: [Double]
    /// Effective play ratio (play that changed the world, over all steps) by episode index, over the same indices.
    public var effectivePlayByEpisode: [Double]
    /// Second episode's task return minus the first's: what the agent's memory gained from one episode.
    public var improvement: Double
    /// Play events by kind, summed over scenarios.
    public var playEvents: [String: Int]
    public var steps: Int
    public var playSteps: Int
    /// Play steps whose play half changed something (not spinning, not playing at nothing).
    public var effectivePlaySteps: Int
    /// Under rules that change (`Recovery`): mean steps, and mean normalised regret, until an episode's return is back to
    /// 90% of its level before a change, over the changes measured (NaN without any).
    public var recoverySteps: Double
    public var recoveryRegret: Double
    /// Changes measured, and those not recovered from before the next change (counted as the whole interval).
    public var recoveryChanges: Int
    public var recoveryCensored: Int
    /// The same run scenario by scenario, in the order the arm evaluates them (nil in records written before these
    /// were kept: re-evaluate to get them).
    public var byScenario: [ScenarioResult]?
}

/// Every dynamics setting's result for one agent.
public struct AgentEvaluation: Codable, Equatable, Sendable {
    public var key: String
    public var results: [DynamicsResult]
}

/// Evaluates an agent in `Runner.run` sessions on held-out MDPs, under each dynamics setting.
struct Evaluator {
    let scenarios: [Scenario]
    let dynamics: [ExperimentConfiguration.DynamicsSetting]
    let trials: Int

    /// The held-out seed of seed index `k`'s runs on scenario `s`: the same MDPs for every fun setting and
    /// dynamics setting (common random numbers), disjoint from the training seed streams.
    static func seed(base: UInt64, seedIndex k: Int, scenario s: Int) -> UInt64 {
        base &+ UInt64(k) &* 1000 &+ UInt64(s)
    }

    /// A yoked control's partner: its agent and fun, run first on each MDP to record the fun it receives.
    struct Partner {
        var fun: FunSpec
        var makeAgent: () -> any Agent
    }

    /// The spec a yoked agent runs with: one term, the partner's recorded fun (`YokedFun`) at weight 1.
    static let yokedSpec = FunSpec(terms: [FunSpec.Term(model: "yoked", weight: 1)])

    func evaluate(key: String, base: UInt64, seedIndex k: Int, fun: FunSpec, partner: Partner? = nil, makeAgent: () -> any Agent,
                  onRun: (String) -> Void) throws -> AgentEvaluation {
        var results: [DynamicsResult] = []
        for d in dynamics {
            var reports: [RunReport] = []
            var recovery = RecoveryTracker()
            for (s, scenario) in scenarios.enumerated() {
                onRun("\(d.name) on \(scenario.name)")
                let seed = Self.seed(base: base, seedIndex: k, scenario: s)
                var models: [any FunModel]?
                if let partner {
                    var stream: [Float] = []
                    _ = try Runner.run(scenario: d.apply(to: scenario), agent: partner.makeAgent(), fun: partner.fun, seed: seed,
                                       length: .trials(trials)) { stream.append($0.reward?.funTotal ?? 0) }
                    models = [YokedFun(stream: stream)]
                }
                let onStep: ((Frame) -> Void)? = d.changesRules ? { recovery.record($0) } : nil
                reports.append(try Runner.run(scenario: d.apply(to: scenario), agent: makeAgent(), fun: fun, seed: seed,
                                              length: .trials(trials), funModels: models, onStep: onStep))
                recovery.finishTrial()
            }
            results.append(Self.combine(reports, setting: d, recovery: recovery.changes))
        }
        return AgentEvaluation(key: key, results: results)
    }

    static func combine(_ reports: [RunReport], setting: ExperimentConfiguration.DynamicsSetting,
                        recovery: [Recovery.Change] = []) -> DynamicsResult {
        func mean(_ f: (RunReport) -> Double) -> Double { Sample.mean(reports.map(f)) }
        // Only the indices every scenario has: averaging index 3 over the scenarios that reach it would compare
        // different worlds at different indices.
        let shared = reports.map { min($0.returnByEpisodeIndex.count, $0.playByEpisodeIndex.count, $0.effectivePlayByEpisodeIndex.count) }.min() ?? 0
        let byEpisode = (0..<shared).map { i in Sample.mean(reports.map { $0.returnByEpisodeIndex[i] }) }
        let playByEpisode = (0..<shared).map { i in Sample.mean(reports.map { $0.playByEpisodeIndex[i] }) }
        let effectiveByEpisode = (0..<shared).map { i in Sample.mean(reports.map { $0.effectivePlayByEpisodeIndex[i] }) }
        let gains = reports.filter { $0.returnByEpisodeIndex.count > 1 }
            .map { $0.returnByEpisodeIndex[1] - $0.returnByEpisodeIndex[0] }
        var events: [String: Int] = [:]
        for r in reports { events.merge(r.playEvents, uniquingKeysWith: +) }
        return DynamicsResult(
            dynamics: setting.name, rate: setting.rate, taskReturn: mean(\.taskReturnMean), success: mean(\.successRate),
            playRatio: mean(\.playRatio),
            funPerStep: mean { $0.steps == 0 ? 0 : $0.funReturnMean * Double($0.episodes) / Double($0.steps) },
            returnByEpisode: byEpisode, playByEpisode: playByEpisode, effectivePlayByEpisode: effectiveByEpisode, improvement: Sample.mean(gains),
            playEvents: events, steps: reports.map(\.steps).reduce(0, +),
            playSteps: reports.map { Int(($0.playRatio * Double($0.steps)).rounded()) }.reduce(0, +),
            effectivePlaySteps: reports.map { Int(($0.effectivePlayRatio * Double($0.steps)).rounded()) }.reduce(0, +),
            recoverySteps: Sample.mean(recovery.map { Double($0.steps) }), recoveryRegret: Sample.mean(recovery.map(\.regret)),
            recoveryChanges: recovery.count, recoveryCensored: recovery.filter(\.censored).count,
            byScenario: reports.map { r in
                ScenarioResult(scenario: r.scenario, taskReturn: r.taskReturnMean, success: r.successRate, playRatio: r.playRatio,
                               effectivePlayRatio: r.effectivePlayRatio, returnByEpisode: r.returnByEpisodeIndex,
                               playByEpisode: r.playByEpisodeIndex)
            })
    }
}

/// Collects one run's task reward step by step, trial by trial, with its episodes' ends and the steps whose rules in
/// effect differ from the step before's (a redraw within an episode or between episodes), and measures the recovery
/// from each change.
struct RecoveryTracker {
    private(set) var changes: [Recovery.Change] = []
    var trial = -1
    var rules: MechanicDraw?
    var rewards: [Double] = []
    var episodeEnds: [Int] = []
    var changeSteps: [Int] = []

    /// O(1) amortised: the buffers keep their capacity from trial to trial.
    mutating func record(_ frame: Frame) {
        guard let reward = frame.reward else { return }
        if frame.trial != trial {
            finishTrial()
            trial = frame.trial
        }
        if let rules, rules != frame.rulesInEffect { changeSteps.append(rewards.count) }
        rules = frame.rulesInEffect
        rewards.append(Double(reward.task))
        if frame.transition?.isLast == true { episodeEnds.append(rewards.count - 1) }
    }

    /// Measures the trial collected so far and starts afresh (a new trial is a new MDP).
    mutating func finishTrial() {
        if !rewards.isEmpty { changes += Recovery.measure(rewards: rewards, episodeEnds: episodeEnds, changes: changeSteps) }
        rewards.removeAll(keepingCapacity: true)
        episodeEnds.removeAll(keepingCapacity: true)
        changeSteps.removeAll(keepingCapacity: true)
        rules = nil
        trial = -1
    }
}
