import GridWorld
import MetaRL
import NeuralCore

/// How much of a goal space a goal-conditioned agent has learned: the share of goal cells it reaches with success
/// ≥ 0.5, on held-out layouts (the measure of Held et al. 2017).
///
/// Each goal is tried once on each of `layouts` layouts drawn from `seed` (seeds no training run draws from), from
/// the fixed start, for one episode: success on a goal is the share of its layouts on which the first episode of a
/// trial reached it, so it counts what the agent does when told a goal, not what it learns by a second try. Every
/// (goal, layout) pair runs in one batch through the policy, which samples its actions as it does in training.
public struct GoalCoverage: Sendable {
    /// Success at which a goal counts as covered.
    public static let threshold = 0.5
    /// Layouts each goal is tried on, and the seed they are drawn from (held out: training draws from its run seed).
    public static let defaultLayouts = 4
    public static let defaultSeed: UInt64 = 424242

    public let scenario: Scenario
    public let space: GoalSpace
    public let layouts: Int
    public let seed: UInt64
    /// The starting world of every (goal, layout) pair, goal-major.
    let worlds: [World]

    public init(scenario: Scenario, space: GoalSpace, layouts: Int = defaultLayouts, seed: UInt64 = defaultSeed) throws(ScenarioProblem) {
        self.scenario = scenario
        self.space = space
        self.layouts = layouts
        self.seed = seed
        // The first layouts of the seed's stream with room for every goal (in four-rooms, the first `layouts`).
        var seeds = SplitMix64(seed: seed)
        var levels: [[Level]] = []
        var tries = 0
        while levels.count < layouts {
            tries += 1
            if tries > 64 * layouts { throw ScenarioProblem("\(scenario.name): too few layouts have room for every goal cell") }
            let s = seeds.next()
            var row: [Level] = []
            for goal in space.cells {
                guard let level = try scenario.sample(seed: s, start: space.start, goal: goal) else { break }
                row.append(level)
            }
            if row.count == space.count { levels.append(row) }
        }
        worlds = space.cells.indices.flatMap { g in (0..<layouts).map { l in World(scenario: scenario, level: levels[l][g]) } }
    }

    /// Per goal, its success; and the coverage. O(goals · layouts · max-steps · policy).
    public func measure(policy: RecurrentPolicy, parameters: ContiguousArray<Float>) -> (coverage: Double, success: [Double]) {
        let batch = worlds.count
        var worlds = self.worlds
        var runner = PolicyRunner(policy: policy, batchSize: batch)
        var step = MetaStep(batchSize: batch, observationSize: policy.configuration.observationSize)
        var bytes = [UInt8](repeating: 0, count: ObservationLayout.size(viewSize: scenario.viewSize))
        var done = [Bool](repeating: false, count: batch)
        var reached = [Bool](repeating: false, count: batch)
        var rng = SplitMix64(seed: seed).derived(0xC0FE)
        var dynamics = SplitMix64(seed: seed).derived(0xD7)
        let size = step.observationSize
        var running = batch
        while running > 0 {
            bytes.withUnsafeMutableBufferPointer { b in
                step.observations.withUnsafeMutableBufferPointer { o in
                    for e in 0..<batch where !done[e] {
                        GridFeatures.encode(worlds[e], skill: 0, of: 0, goals: true, bytes: b, into: o.rows(e, 1, width: size))
                        step.playAfforded[e] = UInt32(worlds[e].rules.playMask)
                    }
                }
            }
            runner.act(on: step, parameters: parameters, rng: &rng)
            for e in 0..<batch where !done[e] {
                let action = ActionPair(TaskAction(rawValue: UInt8(runner.taskActions[e])) ?? .stay,
                                        PlayAction(rawValue: UInt8(runner.playActions[e])) ?? .none)
                let t = worlds[e].step(action, rng: &dynamics)
                step.taskReward[e] = t.taskReward
                step.episodeDone[e] = t.isLast
                if t.isLast {
                    done[e] = true
                    reached[e] = t.succeeded
                    running -= 1
                }
            }
            runner.observe(step)
        }
        let success = space.cells.indices.map { g in
            Double((0..<layouts).filter { reached[g * layouts + $0] }.count) / Double(layouts)
        }
        return (Double(success.filter { $0 >= Self.threshold }.count) / Double(space.count), success)
    }
}
