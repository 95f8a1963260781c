extension TrialWorld {
    /// Everything a trial world needs to carry on exactly from one point: tapes store it as a key frame.
    ///
    /// The rules are not stored: they are rebuilt from the scenario and `levelSeed`, which draw the same MDP.
    public struct Snapshot: Hashable, Sendable {
        public var state: WorldState
        /// The world's generator (dynamics, lever payouts).
        public var rng: SplitMix64
        /// The generator that draws each later trial's MDP seed.
        public var levelSeeds: SplitMix64
        /// The seed the current trial's MDP was drawn with.
        public var levelSeed: UInt64
        public var trial: Int

        public init(state: WorldState, rng: SplitMix64, levelSeeds: SplitMix64, levelSeed: UInt64, trial: Int) {
            self.state = state
            self.rng = rng
            self.levelSeeds = levelSeeds
            self.levelSeed = levelSeed
            self.trial = trial
        }

        public init(state: WorldState, generators: Generators, trial: Int) {
            self.init(state: state, rng: generators.rng, levelSeeds: generators.levelSeeds, levelSeed: generators.levelSeed,
                      trial: trial)
        }
    }

    /// The generators and the MDP's seed: with the world's state and the trial number, a `Snapshot`.
    ///
    /// Frames carry them (40 bytes, no references) so that a tape writer can key-frame a run from its frames
    /// instead of re-simulating it.
    public struct Generators: Hashable, Sendable {
        public var rng: SplitMix64
        public var levelSeeds: SplitMix64
        public var levelSeed: UInt64
    }

    public var generators: Generators { Generators(rng: rng, levelSeeds: levelSeeds, levelSeed: levelSeed) }

    /// The current point, to resume from later with `init(scenario:snapshot:sameMDP:)`. O(cells).
    public var snapshot: Snapshot { Snapshot(state: world.state, generators: generators, trial: trial) }

    /// Resumes a trial world from a snapshot of one with the same scenario.
    ///
    /// `sameMDP` may pass a world of the MDP drawn from `snapshot.levelSeed`, whose rules are then shared
    /// instead of drawing the MDP again (seeking a tape does this); when nil, or of another MDP, it is drawn here.
    public init(scenario: Scenario, snapshot: Snapshot, sameMDP: World? = nil) throws(ScenarioProblem) {
        self.scenario = scenario
        if var reused = sameMDP, reused.rules.level.seed == snapshot.levelSeed {
            reused.state = snapshot.state
            world = reused
        } else {
            world = World(scenario: scenario, level: try scenario.sample(seed: snapshot.levelSeed))
            world.state = snapshot.state
        }
        let level = world.rules.level
        rng = snapshot.rng
        levelSeeds = snapshot.levelSeeds
        levelSeed = snapshot.levelSeed
        trial = snapshot.trial
        isFixedFamily = TrialWorld.isFixed(scenario, level)
    }
}
