/// A world that lives through trials: one MDP drawn per trial, `episodesPerTrial` episodes of it.
///
/// The hidden state of a meta-learning agent persists across the episodes of a trial; a new trial means a
/// new MDP. All randomness comes from the seed.
public struct TrialWorld: Sendable {
    public let scenario: Scenario
    public internal(set) var world: World
    /// Drives the world's random dynamics and lever payouts.
    public var rng: SplitMix64
    /// Draws the seed of each trial's MDP.
    var levelSeeds: SplitMix64
    /// The seed the current trial's MDP was drawn with (tapes key-frame it to rebuild the rules).
    public internal(set) var levelSeed: UInt64
    /// Trial number, from 0.
    public internal(set) var trial: Int
    /// Whether the family draws the same MDP every time, so a new trial can reuse the current rules.
    let isFixedFamily: Bool
    /// The current trial's MDP was met before in its pool (always false without `Scenario.pool`).
    public var isRepeatTrial: Bool { scenario.pool?.isRepeat(trial: trial, draws: levelSeeds) ?? false }
    /// The current trial is the first of a new pool (false without `Scenario.pool`).
    public var beginsPool: Bool { scenario.pool.map { trial % $0.trials == 0 } ?? false }

    public init(scenario: Scenario, seed: UInt64) throws(ScenarioProblem) {
        self.scenario = scenario
        var draws = SplitMix64(seed: seed)
        rng = SplitMix64(seed: seed).derived(1)
        levelSeed = scenario.pool.map { $0.levelSeed(trial: 0, draws: draws) } ?? draws.next()
        levelSeeds = draws
        let level = try scenario.sample(seed: levelSeed)
        world = World(scenario: scenario, level: level)
        trial = 0
        isFixedFamily = TrialWorld.isFixed(scenario, level)
    }

    /// A trial world whose first trial is `level` (drawn by the caller, as a goal curriculum does); `seed` drives
    /// its dynamics and the MDPs of any later trials.
    public init(scenario: Scenario, level: Level, seed: UInt64) {
        self.scenario = scenario
        levelSeeds = SplitMix64(seed: seed)
        rng = SplitMix64(seed: seed).derived(1)
        levelSeed = level.seed
        world = World(scenario: scenario, level: level)
        trial = 0
        isFixedFamily = TrialWorld.isFixed(scenario, level)
    }

    /// Whether every draw from the family gives this same MDP.
    static func isFixed(_ scenario: Scenario, _ level: Level) -> Bool {
        let d = scenario.distribution
        return d.layout == .fixed && !d.randomAgent && !d.randomGoal && d.scatter.isEmpty && d.picks.isEmpty && d.flips.isEmpty
            && !(d.randomLeverOdds && level.map.things.contains(.lever)) && scenario.mechanics.isEmpty
    }

    /// The episode number within the trial, from 0.
    public var episode: Int { world.state.episode }

    /// One step of the current episode.

    public mutating func step(_ action: ActionPair) -> Transition {
        world.step(action, rng: &rng)
    }

    /// Starts the next episode, or the first episode of a new trial after the last one. Returns whether a
    /// new trial began.
    @discardableResult
    public mutating func beginNextEpisode() throws(ScenarioProblem) -> Bool {
        let next = world.state.episode + 1
        if next < scenario.episodesPerTrial {
            world.resetEpisode(episode: next, rng: &rng)
            return false
        }
        trial += 1
        let seed = scenario.pool?.levelSeed(trial: trial, draws: levelSeeds) ?? levelSeeds.next()
        if isFixedFamily {
            world.resetEpisode(episode: 0, rng: &rng)
        } else {
            world = World(scenario: scenario, level: try scenario.sample(seed: seed))
            levelSeed = seed
        }
        return true
    }
}

/// N trial worlds stepped together, observations written to one flat buffer: the training interface.
///
/// After a step, an environment whose episode ended has already begun its next episode (or trial), and its
/// observation is the new episode's first. Allocates only when a new MDP is drawn.
public struct WorldBatch: Sendable {
    public private(set) var envs: [TrialWorld]
    public let observationSize: Int
    /// `count · observationSize` bytes, environment-major.
    public private(set) var observations: ContiguousArray<UInt8>
    public private(set) var transitions: ContiguousArray<Transition>
    /// Whether each environment's step ended its trial (the next observation belongs to a new MDP).
    public private(set) var trialEnded: ContiguousArray<Bool>

    public init(scenario: Scenario, count: Int, seed: UInt64) throws(ScenarioProblem) {
        var seeds = SplitMix64(seed: seed)
        var envs: [TrialWorld] = []
        envs.reserveCapacity(count)
        for _ in 0..<count { envs.append(try TrialWorld(scenario: scenario, seed: seeds.next())) }
        self.envs = envs
        observationSize = ObservationLayout.size(viewSize: scenario.viewSize)
        observations = ContiguousArray(repeating: 0, count: count * observationSize)
        transitions = ContiguousArray(repeating: Transition(), count: count)
        trialEnded = ContiguousArray(repeating: false, count: count)
        observeAll()
    }

    public var count: Int { envs.count }

    /// Steps every environment with its action and refreshes `observations`.
    public mutating func step(_ actions: UnsafeBufferPointer<ActionPair>) throws(ScenarioProblem) {
        precondition(actions.count >= envs.count, "one action per environment")
        for i in envs.indices {
            let t = envs[i].step(actions[i])
            transitions[i] = t
            trialEnded[i] = t.isLast ? try envs[i].beginNextEpisode() : false
        }
        observeAll()
    }

    private mutating func observeAll() {
        let size = observationSize
        observations.withUnsafeMutableBufferPointer { out in
            for i in envs.indices {
                envs[i].world.observe(into: UnsafeMutableBufferPointer(rebasing: out[(i * size)..<((i + 1) * size)]))
            }
        }
    }
}

extension TrialPool {
    // With a pool, the level seeds' generator is never advanced: every trial's MDP is a function of it and the trial
    // number, so a snapshot (which keeps both) resumes the pools exactly.

    /// The level seed of trial `trial`'s MDP: one of its pool's, chosen uniformly.
    public func levelSeed(trial: Int, draws: SplitMix64) -> UInt64 {
        var pool = draws.derived(0x9001_0000_0000 &+ UInt64(trial / trials))
        var seed = pool.next()
        for _ in 0..<choice(trial: trial, draws: draws) { seed = pool.next() }
        return seed
    }

    /// Which of its pool's MDPs trial `trial` plays.
    func choice(trial: Int, draws: SplitMix64) -> Int {
        var g = draws.derived(0x7001_0000_0000 &+ UInt64(trial))
        return g.below(size)
    }

    /// Whether trial `trial` plays an MDP an earlier trial of its pool played. O(trials).
    public func isRepeat(trial: Int, draws: SplitMix64) -> Bool {
        let c = choice(trial: trial, draws: draws)
        return (trial / trials * trials..<trial).contains { choice(trial: $0, draws: draws) == c }
    }
}
