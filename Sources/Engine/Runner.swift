import Agents
import Clocks
import Fun
import GridWorld
import Statistics

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
    public var successRate: Double
    public var taskReturnMean: Double
    public var trialReturnMean: Double
    public var returnByEpisodeIndex: [Double]
    /// Mean steps per episode by its index within the trial (a meta-learner's later episodes are shorter).
    public var lengthByEpisodeIndex: [Double]
    public var successByEpisodeIndex: [Double]
    /// Task return of each episode, a row per trial in order (the last may be unfinished): trial k of a seed is the
    /// same MDP whatever the agent does, so `playgrid compare` pairs two runs' trials by index.
    public var taskReturnByTrial: [[Double]]
    /// Task return of every episode of the run in order (`taskReturnByTrial`'s rows one after another): a learner's
    /// curve over the whole run, across trials, for minds that remember across them (`q`, `mfec`, `nec`).
    public var episodeTaskReturns: [Double]
    /// In a scenario whose MDPs recur (`trial: {pool: ...}`), the mean length of a trial's first episode where its
    /// MDP was met for the first time in the pool and where it was met before, each ± the 95% t-interval's
    /// half-width over trials (absent for other scenarios): an agent that recalls a world goes faster the second time.
    public var firstEpisodeLengthFirstMeeting: Sample.Estimate?
    public var firstEpisodeLengthRepeat: Sample.Estimate?
    public var funReturnMean: Double
    public var funReturnByModel: [String: Double]
    public var playRatio: Double
    /// Steps whose play half changed something (not spinning, not playing at nothing), over all steps.
    public var effectivePlayRatio: Double
    /// Play ratio by episode index within the trial: a learner that explores by play plays most in episode 0.
    public var playByEpisodeIndex: [Double]
    /// Effective play ratio by episode index within the trial: play that changed the world, not spinning or fumbling.
    public var effectivePlayByEpisodeIndex: [Double]
    /// Mean play steps in an episode, by its index within the trial: where the play that solves the task is needed in
    /// every episode (ring the bell that opens the door), trying things first shows as more plays in episode 0.
    public var playStepsByEpisodeIndex: [Double]
    /// Play steps and steps of every episode, rows as `taskReturnByTrial`'s (absent from reports written before them).
    public var playStepsByTrial: [[Int]]?
    public var lengthByTrial: [[Int]]?
    /// The play ratio of trials' first episodes over their last with its 95% interval over finished trials (the
    /// issue's "play first, exploit later" is ≥ 2); absent for one-episode trials or where an index never played.
    public var playFirstToLast: Sample.Interval?
    /// Play steps over the steps that began with something to play with next to the agent.
    public var playPerOpportunity: Double
    /// For each hidden rule the scenario declares, the mean step of a trial at which it first showed its effect;
    /// nil (JSON null) when it never did.
    public var discoveryStepByRule: [String: Double?]
    public var playBouts: Int
    public var playBoutLengthMean: Double
    public var playDiversity: Double
    public var playEvents: [String: Int]
    /// Mean count of each play event in an episode, by the episode's index within the trial (absent from reports
    /// written before it): a rock that sinks in episode 0 and is not pushed again was an experiment.
    public var playEventsByEpisodeIndex: [String: [Double]]?
    /// Each play event's count in every episode, a row per trial as `taskReturnByTrial`'s (absent from older reports):
    /// intervals over trials for the means above.
    public var playEventsByTrial: [String: [[Int]]]?
    public var playBeforeSuccess: Int
    public var playAfterSuccess: Int
    public var playNearGoal: Int
    public var playFarFromGoal: Int
    public var timeToTask: Double
    public var stepsPerSecond: Double

    /// `run --json` spells its keys in snake_case, as the Python tools that read it expect.
    enum CodingKeys: String, CodingKey {
        case scenario
        case agent
        case seed
        case fun
        case episodes
        case trials
        case steps
        case successRate = "success_rate"
        case taskReturnMean = "task_return_mean"
        case trialReturnMean = "trial_return_mean"
        case returnByEpisodeIndex = "return_by_episode_index"
        case lengthByEpisodeIndex = "length_by_episode_index"
        case successByEpisodeIndex = "success_by_episode_index"
        case taskReturnByTrial = "task_return_by_trial"
        case episodeTaskReturns = "episode_task_returns"
        case firstEpisodeLengthFirstMeeting = "first_episode_length_first_meeting"
        case firstEpisodeLengthRepeat = "first_episode_length_repeat"
        case funReturnMean = "fun_return_mean"
        case funReturnByModel = "fun_return_by_model"
        case playRatio = "play_ratio"
        case effectivePlayRatio = "effective_play_ratio"
        case playByEpisodeIndex = "play_by_episode_index"
        case effectivePlayByEpisodeIndex = "effective_play_by_episode_index"
        case playStepsByEpisodeIndex = "play_steps_by_episode_index"
        case playStepsByTrial = "play_steps_by_trial"
        case lengthByTrial = "length_by_trial"
        case playFirstToLast = "play_first_to_last"
        case playPerOpportunity = "play_per_opportunity"
        case discoveryStepByRule = "discovery_step_by_rule"
        case playBouts = "play_bouts"
        case playBoutLengthMean = "play_bout_length_mean"
        case playDiversity = "play_diversity"
        case playEvents = "play_events"
        case playEventsByEpisodeIndex = "play_events_by_episode_index"
        case playEventsByTrial = "play_events_by_trial"
        case playBeforeSuccess = "play_before_success"
        case playAfterSuccess = "play_after_success"
        case playNearGoal = "play_near_goal"
        case playFarFromGoal = "play_far_from_goal"
        case timeToTask = "time_to_task"
        case stepsPerSecond = "steps_per_second"
    }
}

public enum Runner {
    /// Plays `length` episodes headless; `onStep` sees every frame (tapes hook in here). `clock` times the run
    /// for the report's rate; `funModels` replace the spec's own (see `Session.init`).
    public static func run(
        scenario: Scenario, agent: any Agent, fun: FunSpec, seed: UInt64, length: RunLength,
        clock: any MonotonicClock = SystemClock(), funModels: [any FunModel]? = nil, onStep: ((Frame) throws -> Void)? = nil
    ) throws -> RunReport {
        var session = try Session(scenario: scenario, agent: agent, funSpec: fun, seed: seed, funModels: funModels)
        let episodes: Int
        switch length {
        case .episodes(let n): episodes = n
        case .trials(let n): episodes = n * scenario.episodesPerTrial
        }
        let start = clock.now
        while session.metrics.episodes < episodes {
            try session.step()
            try onStep?(session.frame)
        }
        return report(session, seconds: clock.seconds(since: start))
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
            episodes: m.episodes, trials: trials, steps: m.steps, successRate: m.successRate,
            taskReturnMean: m.taskReturnMean,
            trialReturnMean: Sample.mean(trialReturns),
            returnByEpisodeIndex: m.returnByEpisodeIndex, lengthByEpisodeIndex: m.lengthByEpisodeIndex,
            successByEpisodeIndex: m.successByEpisodeIndex, taskReturnByTrial: m.taskReturnByTrial,
            episodeTaskReturns: Array(m.taskReturnByTrial.joined()),
            firstEpisodeLengthFirstMeeting: session.scenario.pool.map { _ in Sample.estimate(m.firstEpisodeLengths.firstMeeting) },
            firstEpisodeLengthRepeat: session.scenario.pool.map { _ in Sample.estimate(m.firstEpisodeLengths.repeated) },
            funReturnMean: m.funReturnSums.reduce(0, +) / Double(episodes), funReturnByModel: byModel,
            playRatio: m.playRatio, effectivePlayRatio: m.effectivePlayRatio, playByEpisodeIndex: m.playByEpisodeIndex,
            effectivePlayByEpisodeIndex: m.effectivePlayByEpisodeIndex,
            playStepsByEpisodeIndex: m.playStepsByEpisodeIndex, playStepsByTrial: m.playStepsByTrial,
            lengthByTrial: m.lengthByTrial, playFirstToLast: m.playFirstToLast(episodesPerTrial: session.scenario.episodesPerTrial),
            playPerOpportunity: m.playPerOpportunity,
            discoveryStepByRule: Dictionary(uniqueKeysWithValues: session.scenario.mechanics.declared.map {
                ($0.name, m.discoveryStepByRule[Int($0.rawValue)])
            }),
            playBouts: m.bouts, playBoutLengthMean: m.meanBoutLength,
            playDiversity: m.playDiversity, playEvents: m.playEventCounts,
            playEventsByEpisodeIndex: m.playEventsByEpisodeIndex, playEventsByTrial: m.playEventsByTrial,
            playBeforeSuccess: m.playBeforeSuccess, playAfterSuccess: m.playAfterSuccess,
            playNearGoal: m.playNearGoal, playFarFromGoal: m.playFarFromGoal,
            timeToTask: m.timeToTask, stepsPerSecond: seconds > 0 ? Double(m.steps) / seconds : 0
        )
    }
}
