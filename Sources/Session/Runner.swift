import Agents
import Dispatch
import Fun
import GridWorld

/// How many episodes a headless run plays.
public enum RunLength: Hashable, Sendable {
    case episodes(Int)
    /// Whole trials of `episodesPerTrial` episodes each.
    case trials(Int)
}

/// The summary of a headless run, as `playgrid run --json` prints it.
public struct RunReport: Codable, Hashable, Sendable {
    public var scenario: String
    public var agent: String
    public var seed: UInt64
    public var fun: String
    public var episodes: Int
    public var trials: Int
    public var steps: Int
    public var success_rate: Double
    public var task_return_mean: Double
    public var trial_return_mean: Double
    public var return_by_episode_index: [Double]
    /// Mean steps per episode by its index within the trial (a meta-learner's later episodes are shorter).
    public var length_by_episode_index: [Double]
    public var success_by_episode_index: [Double]
    public var fun_return_mean: Double
    public var fun_return_by_model: [String: Double]
    public var play_ratio: Double
    public var play_bouts: Int
    public var play_bout_length_mean: Double
    public var play_diversity: Double
    public var play_events: [String: Int]
    public var play_before_success: Int
    public var play_after_success: Int
    public var play_near_goal: Int
    public var play_far_from_goal: Int
    public var time_to_task: Double
    public var steps_per_second: Double
}

public enum Runner {
    /// Plays `length` episodes headless; `onStep` sees every frame (tapes hook in here).
    public static func run(
        scenario: Scenario, agent: any Agent, fun: FunSpec, seed: UInt64, length: RunLength,
        onStep: ((Frame) throws -> Void)? = nil
    ) throws -> RunReport {
        var session = try Session(scenario: scenario, agent: agent, funSpec: fun, seed: seed)
        let episodes: Int
        switch length {
        case .episodes(let n): episodes = n
        case .trials(let n): episodes = n * scenario.episodesPerTrial
        }
        let start = DispatchTime.now().uptimeNanoseconds
        while session.metrics.episodes < episodes {
            try session.step()
            try onStep?(session.frame)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return report(session, seconds: seconds)
    }

    static func report(_ session: Session, seconds: Double) -> RunReport {
        let m = session.metrics
        let episodes = max(1, m.episodes)
        var byModel: [String: Double] = [:]
        for (term, sum) in zip(session.funSpec.terms, m.funReturnSums) { byModel[term.model] = sum / Double(episodes) }
        let trials = m.trialReturns.count + (session.trialOver ? 1 : 0)
        var trialReturns = m.trialReturns
        if session.trialOver { trialReturns.append(m.currentTrialReturn) }
        return RunReport(
            scenario: session.scenario.name, agent: session.agent.name, seed: session.seed, fun: session.funSpec.description,
            episodes: m.episodes, trials: trials, steps: m.steps, success_rate: m.successRate,
            task_return_mean: m.taskReturnMean,
            trial_return_mean: trialReturns.isEmpty ? 0 : trialReturns.reduce(0, +) / Double(trialReturns.count),
            return_by_episode_index: m.returnByEpisodeIndex, length_by_episode_index: m.lengthByEpisodeIndex,
            success_by_episode_index: m.successByEpisodeIndex,
            fun_return_mean: m.funReturnSums.reduce(0, +) / Double(episodes), fun_return_by_model: byModel,
            play_ratio: m.playRatio, play_bouts: m.bouts, play_bout_length_mean: m.meanBoutLength,
            play_diversity: m.playDiversity, play_events: m.playEventCounts,
            play_before_success: m.playBeforeSuccess, play_after_success: m.playAfterSuccess,
            play_near_goal: m.playNearGoal, play_far_from_goal: m.playFarFromGoal,
            time_to_task: m.timeToTask, steps_per_second: seconds > 0 ? Double(m.steps) / seconds : 0
        )
    }
}
