import Foundation
import GridWorld
import Statistics

/// Running counts of how much, how and when an agent plays, and how it does at the task.
public struct PlayMetrics: Sendable {
    public private(set) var steps = 0
    /// Steps whose play half was not `none`.
    public private(set) var playSteps = 0
    /// Play steps whose play half did something (an event other than spinning or fumbling), each counted once.
    public private(set) var effectivePlaySteps = 0
    /// Steps that began with something to play with next to the agent, and the play steps among them.
    public private(set) var opportunitySteps = 0
    public private(set) var playOnOpportunity = 0
    /// Maximal runs of consecutive play steps.
    public private(set) var bouts = 0
    var inBout = false
    /// Play events by kind (index `EventKind.rawValue`).
    public private(set) var playEvents = [Int](repeating: 0, count: EventKind.allCases.count)
    /// Every finished episode's play events by kind, one row of `EventKind.allCases.count` after another, in the order
    /// of `taskReturnByTrial`'s entries: trying things shows as events (a rock sinking, a bell ringing) in a trial's
    /// first episode and not after, even where the play that solves the task is needed in every episode and so keeps
    /// the play ratio level.
    public private(set) var playEventRows: [Int] = []
    var episodePlayEvents = [Int](repeating: 0, count: EventKind.allCases.count)
    /// Play steps before and after the first success of their trial.
    public private(set) var playBeforeSuccess = 0
    public private(set) var playAfterSuccess = 0
    /// Play steps within 2 cells (Manhattan) of a goal, and farther.
    public private(set) var playNearGoal = 0
    public private(set) var playFarFromGoal = 0
    var succeededThisTrial = false

    public private(set) var episodes = 0
    public private(set) var successes = 0
    public private(set) var stepsToSuccess = 0
    public private(set) var taskReturnSum: Double = 0
    /// Fun return summed over episodes, per component.
    public private(set) var funReturnSums: [Double]
    /// Task return summed by the episode's index within its trial, and how many episodes had that index.
    public private(set) var returnByIndexSums: [Double] = []
    public private(set) var returnByIndexCounts: [Int] = []
    /// Steps and successes summed by the episode's index within its trial: whether an agent gets faster from
    /// one episode of the same MDP to the next (truncated episodes count their full length).
    public private(set) var lengthByIndexSums: [Int] = []
    public private(set) var successesByIndex: [Int] = []
    /// Play steps summed by the episode's index within its trial.
    public private(set) var playStepsByIndexSums: [Int] = []
    /// Effective play steps (play that changed the world) summed by the episode's index within its trial.
    public private(set) var effectivePlayStepsByIndexSums: [Int] = []
    var episodePlaySteps = 0
    var episodeEffectivePlaySteps = 0
    /// By `Mechanic.rawValue`: the step of its trial at which each hidden rule first showed its effect, summed
    /// over the trials where it did, and how many trials those were.
    public private(set) var discoveryStepSums = [Int](repeating: 0, count: Mechanic.allCases.count)
    public private(set) var discoveries = [Int](repeating: 0, count: Mechanic.allCases.count)
    /// Steps of the current trial so far, and the rules (bit `Mechanic.rawValue`) it has seen work.
    var trialSteps = 0
    var discoveredThisTrial: UInt8 = 0
    /// Play of the episodes of the current trial that have ended.
    var endedThisTrial = TrialPlay()
    public private(set) var trialReturns: [Double] = []
    /// The task return of every finished episode, a row per trial in order (the last row may be a trial still
    /// running): with a seed, trial k is the same MDP for every agent, so two agents compare trial by trial.
    public private(set) var taskReturnByTrial: [[Double]] = []
    /// Play steps and steps of every finished episode, rows as `taskReturnByTrial`'s: per-trial play, so that a
    /// statistic over episode indices (play first, exploit later) can have an interval over trials.
    public private(set) var playStepsByTrial: [[Int]] = []
    public private(set) var lengthByTrial: [[Int]] = []
    var currentTrialReturn: Double = 0
    var episodeTaskReturn: Double = 0

    public init(funComponents: Int) {
        funReturnSums = Array(repeating: 0, count: funComponents)
    }

    /// Records one step from the world `before` it to the world after it (`world`). O(1), no allocation.
    public mutating func record(action: ActionPair, transition: Transition, taskReward: Float, fun: [Float], before: World, world: World) {
        steps += 1
        trialSteps += 1
        episodeTaskReturn += Double(taskReward)
        // Loops walk arrays by index: a debug build allocates for each element an Array's iterator yields.
        for i in fun.indices { funReturnSums[i] += Double(fun[i]) }
        if before.playIsWithinReach {
            opportunitySteps += 1
            if action.play != .none { playOnOpportunity += 1 }
        }
        if action.play != .none {
            playSteps += 1
            episodePlaySteps += 1
            if transition.events.hasEffectivePlay {
                effectivePlaySteps += 1
                episodeEffectivePlaySteps += 1
            }
            if !inBout { bouts += 1 }
            inBout = true
            if succeededThisTrial { playAfterSuccess += 1 } else { playBeforeSuccess += 1 }
            if world.agentIsNear(.goal, within: 2) { playNearGoal += 1 } else { playFarFromGoal += 1 }
        } else {
            inBout = false
        }
        var rules: UInt8 = 0
        for kind in transition.events where kind.isPlay && kind != .fumbled {
            playEvents[Int(kind.rawValue)] += 1
            episodePlayEvents[Int(kind.rawValue)] += 1
            if let rule = kind.mechanic { rules |= 1 << rule.rawValue }
        }
        let found = rules & ~discoveredThisTrial
        if found != 0 {
            discoveredThisTrial |= found
            for rule in discoveries.indices where found & 1 << rule != 0 {
                discoveryStepSums[rule] += trialSteps
                discoveries[rule] += 1
            }
        }
        if transition.succeeded && transition.terminated {
            succeededThisTrial = true
        }
    }

    /// Closes an episode (its index within the trial, whether it succeeded, its length).
    public mutating func endEpisode(index: Int, succeeded: Bool, length: Int) {
        episodes += 1
        if succeeded {
            successes += 1
            stepsToSuccess += length
        }
        taskReturnSum += episodeTaskReturn
        currentTrialReturn += episodeTaskReturn
        while returnByIndexSums.count <= index {
            returnByIndexSums.append(0)
            returnByIndexCounts.append(0)
            lengthByIndexSums.append(0)
            successesByIndex.append(0)
            playStepsByIndexSums.append(0)
            effectivePlayStepsByIndexSums.append(0)
        }
        if index == 0 || taskReturnByTrial.isEmpty {
            taskReturnByTrial.append([])
            playStepsByTrial.append([])
            lengthByTrial.append([])
        }
        taskReturnByTrial[taskReturnByTrial.count - 1].append(episodeTaskReturn)
        playStepsByTrial[playStepsByTrial.count - 1].append(episodePlaySteps)
        lengthByTrial[lengthByTrial.count - 1].append(length)
        returnByIndexSums[index] += episodeTaskReturn
        returnByIndexCounts[index] += 1
        lengthByIndexSums[index] += length
        if succeeded { successesByIndex[index] += 1 }
        playStepsByIndexSums[index] += episodePlaySteps
        effectivePlayStepsByIndexSums[index] += episodeEffectivePlaySteps
        playEventRows.append(contentsOf: episodePlayEvents)
        for kind in episodePlayEvents.indices { episodePlayEvents[kind] = 0 }
        endedThisTrial.append(steps: length, playSteps: episodePlaySteps)
        episodePlaySteps = 0
        episodeEffectivePlaySteps = 0
        episodeTaskReturn = 0
        inBout = false
    }

    /// In a scenario whose MDPs recur (`Scenario.pool`), the length of each trial's first episode, where the MDP
    /// was met for the first time in its pool and where it was met before.
    public private(set) var firstEpisodeLengths: (firstMeeting: [Double], repeated: [Double]) = ([], [])

    /// Records the first episode of a trial of a recurring MDP (`repeatTrial`: met before in its pool).
    public mutating func recordFirstEpisode(length: Int, repeatTrial: Bool) {
        if repeatTrial { firstEpisodeLengths.repeated.append(Double(length)) } else { firstEpisodeLengths.firstMeeting.append(Double(length)) }
    }

    public mutating func endTrial() {
        trialReturns.append(currentTrialReturn)
        currentTrialReturn = 0
        succeededThisTrial = false
        trialSteps = 0
        discoveredThisTrial = 0
        endedThisTrial.removeAll()
    }

    /// Play of each episode of the current trial so far, the running one last (the HUD's "play by episode"); the
    /// ended trial's until the next one begins. Counted as episodes end, so steps cost nothing more.
    public var trialPlay: TrialPlay {
        var play = endedThisTrial
        let running = trialSteps - play.steps.reduce(0, +)
        if running > 0 { play.append(steps: running, playSteps: episodePlaySteps) }
        return play
    }

    public var playRatio: Double { steps == 0 ? 0 : Double(playSteps) / Double(steps) }
    /// Effective play steps over all steps: play that changed something, not spinning or playing at nothing.
    public var effectivePlayRatio: Double { steps == 0 ? 0 : Double(effectivePlaySteps) / Double(steps) }
    /// Play steps over steps that began with something to play with within reach (NaN when nothing ever was).
    public var playPerOpportunity: Double { opportunitySteps == 0 ? .nan : Double(playOnOpportunity) / Double(opportunitySteps) }
    /// Play ratio of the episodes by their index within the trial (finished episodes only).
    public var playByEpisodeIndex: [Double] {
        zip(playStepsByIndexSums, lengthByIndexSums).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }
    /// The play ratio of trials' first episodes over that of their last, over the trials with all `episodesPerTrial`
    /// episodes finished, with its 95% interval over those trials (`Sample.rateRatio`): ≥ 2 is "play first, exploit
    /// later". Nil for one-episode trials, and where either episode index never played.
    public func playFirstToLast(episodesPerTrial: Int) -> Sample.Interval? {
        guard episodesPerTrial > 1 else { return nil }
        let finished = zip(playStepsByTrial, lengthByTrial).filter { $0.0.count == episodesPerTrial }
        let last = episodesPerTrial - 1
        return Sample.rateRatio(finished.map { Double($0.0[0]) }, per: finished.map { Double($0.1[0]) },
                                over: finished.map { Double($0.0[last]) }, per: finished.map { Double($0.1[last]) })
    }
    /// Effective play ratio (play steps that changed the world over all steps) of the episodes by their index within
    /// the trial (finished episodes only): H1's primary metric is its first entry.
    public var effectivePlayByEpisodeIndex: [Double] {
        zip(effectivePlayStepsByIndexSums, lengthByIndexSums).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }
    /// Mean play steps of the episodes by their index within the trial (finished episodes only).
    public var playStepsByEpisodeIndex: [Double] {
        zip(playStepsByIndexSums, returnByIndexCounts).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }
    /// Mean step of its trial (counted from 1 across the trial's episodes) at which each hidden rule first showed its
    /// effect, over the trials where it did; nil for a rule that never did. By `Mechanic.rawValue`.
    public var discoveryStepByRule: [Double?] {
        zip(discoveryStepSums, discoveries).map { $1 == 0 ? nil : Double($0) / Double($1) }
    }
    public var successRate: Double { episodes == 0 ? 0 : Double(successes) / Double(episodes) }
    public var taskReturnMean: Double { episodes == 0 ? 0 : taskReturnSum / Double(episodes) }
    public var meanBoutLength: Double { bouts == 0 ? 0 : Double(playSteps) / Double(bouts) }
    /// Mean return of the finished trials (NaN before one finishes).
    public var trialReturnMean: Double { Sample.mean(trialReturns) }
    public var returnByEpisodeIndex: [Double] {
        zip(returnByIndexSums, returnByIndexCounts).map { $1 == 0 ? 0 : $0 / Double($1) }
    }
    /// Mean episode length (steps) by episode index within the trial.
    public var lengthByEpisodeIndex: [Double] {
        zip(lengthByIndexSums, returnByIndexCounts).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }
    /// Success rate by episode index within the trial.
    public var successByEpisodeIndex: [Double] {
        zip(successesByIndex, returnByIndexCounts).map { $1 == 0 ? 0 : Double($0) / Double($1) }
    }
    /// Mean steps to success over the successful episodes (NaN when none succeeded: there is no time to report).
    public var timeToTask: Double { successes == 0 ? .nan : Double(stepsToSuccess) / Double(successes) }
    /// Entropy (nats) of the distribution of play events over their kinds: how varied the play is.
    public var playDiversity: Double {
        let total = Double(playEvents.reduce(0, +))
        guard total > 0 else { return 0 }
        // Subtracted from +0, so that one kind alone is 0, not the "-0.000" that negating a sum of zeros prints.
        return playEvents.filter { $0 > 0 }.map { Double($0) / total }.reduce(0) { $0 - $1 * log($1) }
    }
    /// For each play event kind that happened, its count in every finished episode, a row per trial as
    /// `taskReturnByTrial`'s.
    public var playEventsByTrial: [String: [[Int]]] {
        let kinds = EventKind.allCases.count
        var rows: [String: [[Int]]] = [:]
        for kind in EventKind.allCases where playEvents[Int(kind.rawValue)] > 0 {
            var first = 0
            rows[kind.name] = taskReturnByTrial.map { trial in
                defer { first += trial.count }
                return (first..<(first + trial.count)).map { playEventRows[$0 * kinds + Int(kind.rawValue)] }
            }
        }
        return rows
    }
    /// For each play event kind that happened, its mean count in an episode by the episode's index within the trial
    /// (finished episodes only).
    public var playEventsByEpisodeIndex: [String: [Double]] {
        playEventsByTrial.mapValues { trials in
            returnByIndexCounts.indices.map { i in
                let sum = trials.reduce(0) { $0 + ($1.count > i ? $1[i] : 0) }
                return returnByIndexCounts[i] == 0 ? 0 : Double(sum) / Double(returnByIndexCounts[i])
            }
        }
    }
    public var playEventCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for kind in EventKind.allCases where playEvents[Int(kind.rawValue)] > 0 { counts[kind.name] = playEvents[Int(kind.rawValue)] }
        return counts
    }
}

/// How much of each episode of one trial was play: what the HUD shows as "play by episode", live from the
/// session's metrics (episode by episode) or, in a replay, from the tape (step by step).
public struct TrialPlay: Hashable, Sendable {
    /// Steps, and play steps (play half not `none`), of each episode so far by its index in the trial.
    public private(set) var steps: [Int] = []
    public private(set) var playSteps: [Int] = []

    public init() {}

    /// Counts the next episode whole.
    public mutating func append(steps episodeSteps: Int, playSteps episodePlaySteps: Int) {
        steps.append(episodeSteps)
        playSteps.append(episodePlaySteps)
    }

    /// Counts one step of episode `episode` (its index within the trial).
    public mutating func add(episode: Int, played: Bool) {
        while steps.count <= episode {
            steps.append(0)
            playSteps.append(0)
        }
        steps[episode] += 1
        if played { playSteps[episode] += 1 }
    }

    /// Takes back the last step counted of episode `episode` (a replay stepping back).
    public mutating func remove(episode: Int, played: Bool) {
        guard episode < steps.count, steps[episode] > 0 else { return }
        steps[episode] -= 1
        if played { playSteps[episode] -= 1 }
        if steps[episode] == 0 && episode == steps.count - 1 {
            steps.removeLast()
            playSteps.removeLast()
        }
    }

    /// Starts the next trial's count.
    public mutating func removeAll() {
        steps.removeAll(keepingCapacity: true)
        playSteps.removeAll(keepingCapacity: true)
    }

    /// Share of play of each episode reached so far, the running one last.
    public var ratios: [Double] { zip(playSteps, steps).map { $1 == 0 ? 0 : Double($0) / Double($1) } }
}
