import Agents
import Engine
import Fun
import GridWorld
import Statistics

/// Fun scaled to a stated share of the task: an arm `{fun: novelty, share: 0.3}` trains with its spec's weights
/// times one factor, chosen so that the fun an untrained (uniformly random) agent collects per episode is `share`
/// of the maximal task return per episode. Measured, not analytic: the random agent runs `trials` trials of each of
/// the arm's scenarios on validation seeds; the maximal task return is analytic (success pays 1 − 0.9·t/T ≤ 1, a
/// lever pays 1 and ends the episode, a scenario without a task pays 0), averaged over the scenarios. A trained
/// agent's fun differs (novelty fades as it learns, delight grows as it seeks it): the share fixes the scale before
/// training, not the fun paid after.
public struct FunCalibration: Codable, Equatable, Sendable {
    public var arm: String
    /// The spec as written (relative weights), and as trained (each weight times `factor`).
    public var relative: String
    public var scaled: String
    public var share: Double
    /// The maximal task return per episode, averaged over the arm's scenarios.
    public var maximalTaskReturn: Double
    /// Weighted fun per episode of the random agent under the relative weights.
    public var randomFunPerEpisode: Double
    public var factor: Double
    public var trials: Int
    public var seeds: [UInt64]

    enum CodingKeys: String, CodingKey {
        case arm, relative, scaled, share, factor, trials, seeds
        case maximalTaskReturn = "maximal_task_return"
        case randomFunPerEpisode = "random_fun_per_episode"
    }

    /// Trials of each scenario the random agent plays to calibrate.
    public static let trials = 8

    /// The largest task return one episode of `scenario` can pay.
    static func maximalTaskReturn(_ scenario: Scenario) -> Double {
        if case .none = scenario.task { return 0 }
        return 1
    }

    /// Scales `spec` for `arm` on `scenarios`, calibrating on seed `seedBase + s` for scenario s.
    static func calibrate(arm: String, spec: FunSpec, share: Double, scenarios: [Scenario], seedBase: UInt64,
                          trials: Int = trials) throws -> (spec: FunSpec, calibration: FunCalibration) {
        var funs: [Double] = []
        var seeds: [UInt64] = []
        for (s, scenario) in scenarios.enumerated() {
            let seed = seedBase &+ UInt64(s)
            seeds.append(seed)
            funs.append(try Runner.run(scenario: scenario, agent: RandomAgent(), fun: spec, seed: seed, length: .trials(trials)).funReturnMean)
        }
        let fun = Sample.mean(funs)
        let maximal = Sample.mean(scenarios.map(maximalTaskReturn))
        guard maximal > 0 else {
            throw ExperimentError("arm '\(arm)': its scenarios have no task return to scale fun against (share needs a task)")
        }
        guard fun > 0 else {
            throw ExperimentError("arm '\(arm)': \(spec) paid a random agent no fun in \(trials) trials of each scenario, so it cannot be scaled to a share; give weights instead of share")
        }
        let factor = share * maximal / fun
        let scaled = FunSpec(terms: spec.terms.map { FunSpec.Term(model: $0.model, weight: Float(Double($0.weight) * factor)) })
        return (scaled, FunCalibration(arm: arm, relative: spec.description, scaled: scaled.description, share: share,
                                       maximalTaskReturn: maximal, randomFunPerEpisode: fun, factor: factor, trials: trials, seeds: seeds))
    }
}
