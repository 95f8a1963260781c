import GridWorld
import MetaAgents
import MetaRL
import Statistics

/// How many of the MDPs an experiment evaluates on were also trained on: "held-out" measured, not assumed.
///
/// An MDP is identified by a fingerprint of its trial's first world — the layout with every thing and the goal, the
/// agent's start and facing — and the hidden rules drawn for it. Training MDPs are drawn again exactly as training
/// drew them (the trainer's reset seed, each row's trial world, trial after trial; no agent needed, since which MDP a
/// trial plays does not depend on what the agent does), for the first `trialsPerRow` trials of every row of every
/// training seed: a sample of what training met, stated in the report. A procedural family gives ~0; a family of one
/// MDP (playroom) gives 1.
public struct MDPOverlap: Codable, Equatable, Sendable {
    public var scenario: String
    /// Evaluation trials fingerprinted (every trial of every seed, as evaluation plays them).
    public var evaluationTrials: Int
    /// Training trials fingerprinted (the sample), and how many distinct MDPs they were.
    public var trainingTrials: Int
    public var trainingDistinct: Int
    /// Evaluation trials whose MDP is among the sampled training MDPs, and their share.
    public var shared: Int
    public var share: Double

    enum CodingKeys: String, CodingKey {
        case scenario, shared, share
        case evaluationTrials = "evaluation_trials"
        case trainingTrials = "training_trials"
        case trainingDistinct = "training_distinct"
    }

    /// Training trials fingerprinted per row and training seed.
    public static let trialsPerRow = 64

    /// A 64-bit fingerprint of the MDP `world` begins: layout, things, goal, start, and the drawn rules. O(cells).
    public static func fingerprint(_ world: World) -> UInt64 {
        StateHash.finish(StateHash.mix(world.stateKey(includingFacing: true), world.state.mechanics.draw.packed))
    }

    /// The fingerprints of the first `trials` trials a trial world of `seed` plays.
    static func trialFingerprints(_ scenario: Scenario, seed: UInt64, trials: Int) throws(ScenarioProblem) -> [UInt64] {
        var world = try TrialWorld(scenario: scenario, seed: seed)
        var out: [UInt64] = []
        out.reserveCapacity(trials)
        for _ in 0..<trials {
            out.append(fingerprint(world.world))
            for _ in 0..<scenario.episodesPerTrial { try world.beginNextEpisode() }
        }
        return out
    }

    /// The overlap for each of `scenarios` (an arm's training and evaluation scenarios): training seeds
    /// `firstSeed`…`firstSeed + seeds − 1`, `envs` rows each (row i plays scenario i mod count), against evaluation
    /// seed base `base` (seed indices 1…`seeds`).
    static func measure(scenarios: [Scenario], seeds: Int, firstSeed: Int = 1, envs: Int, evaluationBase: UInt64, evaluationTrials: Int,
                        trialsPerRow: Int = trialsPerRow) throws(ScenarioProblem) -> [MDPOverlap] {
        var training = [Set<UInt64>](repeating: [], count: scenarios.count)
        var counted = [Int](repeating: 0, count: scenarios.count)
        for k in 1...max(1, seeds) {
            let reset = Trainer<GridMetaEnvironment>.startSeeds(seed: UInt64(firstSeed + k - 1), updateCount: 0).reset
            for (row, seed) in GridMetaEnvironment.rowSeeds(reset: reset, batchSize: envs).enumerated() {
                let s = row % scenarios.count
                training[s].formUnion(try trialFingerprints(scenarios[s], seed: seed, trials: trialsPerRow))
                counted[s] += trialsPerRow
            }
        }
        return try scenarios.enumerated().map { (s, scenario) throws(ScenarioProblem) in
            var total = 0, shared = 0
            for k in 1...max(1, seeds) {
                let seed = Evaluator.seed(base: evaluationBase, seedIndex: k, scenario: s)
                for f in try trialFingerprints(scenario, seed: seed, trials: evaluationTrials) {
                    total += 1
                    if training[s].contains(f) { shared += 1 }
                }
            }
            return MDPOverlap(scenario: scenario.name, evaluationTrials: total, trainingTrials: counted[s],
                              trainingDistinct: training[s].count, shared: shared,
                              share: total == 0 ? .nan : Double(shared) / Double(total))
        }
    }

    /// How varied a family is: `trials` trials drawn from seed `seed`, how many distinct MDPs they were, and the
    /// share of as many fresh trials (from seed `seed` + 1) whose MDP was among them — the chance that a "held-out"
    /// trial was met by an agent that saw those. `scenarios show` prints it.
    public static func variety(_ scenario: Scenario, seed: UInt64, trials: Int) throws(ScenarioProblem) -> (distinct: Int, metAgain: Double) {
        let seen = Set(try trialFingerprints(scenario, seed: seed, trials: trials))
        let fresh = try trialFingerprints(scenario, seed: seed &+ 1, trials: trials)
        return (seen.count, Double(fresh.lazy.filter { seen.contains($0) }.count) / Double(max(1, trials)))
    }
}
