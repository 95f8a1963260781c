import Statistics

/// Two runs of the same scenario and seed compared trial by trial: with a seed, trial k draws the same MDP whatever
/// the agent does, so the task returns of one episode index pair up, and the paired t-test's interval on their
/// difference leaves out what a trial's draw gave both (an easy layout, a lucky rule).
public struct RunComparison: Codable, Equatable, Sendable {
    public var scenario: String
    public var seed: UInt64
    public var a: String
    public var b: String
    /// The episode of a trial compared, from 1 (as `playgrid compare --episode` counts and its table shows).
    public var episode: Int
    /// Trials that both runs finished.
    public var trials: Int
    /// Mean task return of that episode, in run a and run b.
    public var meanA: Double
    public var meanB: Double
    /// The mean of a − b over the pairs, and its 95% paired-t interval.
    public var difference: Double
    public var lower: Double
    public var upper: Double
    /// The paired t statistic, its degrees of freedom (pairs − 1) and the two-sided p.
    public var t: Double
    public var degreesOfFreedom: Double
    public var p: Double

    enum CodingKeys: String, CodingKey {
        case scenario, seed, a, b, episode, trials
        case meanA = "mean_a"
        case meanB = "mean_b"
        case difference, lower, upper, t
        case degreesOfFreedom = "degrees_of_freedom"
        case p
    }

    /// Pairs `a`'s and `b`'s finished trials by index and compares the task return of episode `episode` (from 0;
    /// nil: the last of a trial). Runs of different scenarios or seeds do not pair, and are refused.
    public init(_ a: RunReport, _ b: RunReport, episode: Int? = nil) throws(RunComparisonError) {
        guard a.scenario == b.scenario, a.seed == b.seed else {
            throw RunComparisonError("the runs do not pair: \(a.scenario) seed \(a.seed) against \(b.scenario) seed \(b.seed); compare runs of one scenario and seed")
        }
        // A run shorter than a trial knows fewer episode indices than a trial has, so its unfinished trial would
        // pass for a finished one: count whole trials first.
        guard a.trials >= 2 && b.trials >= 2 else {
            throw RunComparisonError("a paired comparison needs at least 2 whole trials in each run; \(a.agent) has \(a.trials), \(b.agent) \(b.trials): run both with --trials N")
        }
        let length = a.returnByEpisodeIndex.count
        // Trials of different lengths (the scenario file changed between the runs) would all be dropped as
        // unfinished, and the comparison refused as if the differences did not vary.
        guard b.returnByEpisodeIndex.count == length else {
            throw RunComparisonError("the runs' trials differ: \(a.agent)'s have \(length) episodes, \(b.agent)'s \(b.returnByEpisodeIndex.count); compare runs of one scenario file and seed")
        }
        let index = episode ?? length - 1
        guard index >= 0 && index < length else {
            throw RunComparisonError("episode \(index + 1) is not in a trial of \(a.scenario) (\(length) episodes)")
        }
        let finishedA = a.taskReturnByTrial.filter { $0.count == length }, finishedB = b.taskReturnByTrial.filter { $0.count == length }
        let trials = min(finishedA.count, finishedB.count)
        let returnsA = finishedA.prefix(trials).map { $0[index] }, returnsB = finishedB.prefix(trials).map { $0[index] }
        guard trials >= 2 else {
            throw RunComparisonError("the runs share \(trials) finished trial\(trials == 1 ? "" : "s"); a paired comparison needs at least 2: run both with --trials N")
        }
        guard let paired = Sample.paired(returnsA, returnsB) else {
            throw RunComparisonError("\(trials) finished trials whose differences do not vary: nothing to test; run more trials")
        }
        self.scenario = a.scenario
        self.seed = a.seed
        self.a = a.agent
        self.b = b.agent
        self.episode = index + 1
        self.trials = trials
        meanA = Sample.mean(returnsA)
        meanB = Sample.mean(returnsB)
        difference = paired.difference.mean
        lower = paired.difference.lower
        upper = paired.difference.upper
        t = paired.t
        degreesOfFreedom = paired.degreesOfFreedom
        p = paired.p
    }
}

/// Why two runs could not be compared.
public struct RunComparisonError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
