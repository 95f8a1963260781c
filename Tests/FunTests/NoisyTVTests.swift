import Fun
import GridWorld
import Testing

@Suite struct NoisyTVTests {
    /// The agent stands still before a cell that shows a new random thing every step (a noisy TV), and each
    /// model scores every step; returns the rewards.
    static func watchTV<M: FunModel>(_ model: inout M, steps: Int, noisy: Bool = true) -> [Float] {
        let scenario = Rooms.open(side: 7, start: GridPoint(x: 3, y: 3))
        var world = Rooms.world(scenario)
        let screen = world.cell(at: GridPoint(x: 3, y: 1))
        let channels: [Thing] = [.rock, .ball, .key, .fruit, .bell, .block, .lever, .lamp]
        var noise = SplitMix64(seed: 42)
        var rng = SplitMix64(seed: 1)
        var rewards: [Float] = []
        for _ in 0..<steps {
            let before = world
            let t = world.step(ActionPair(.stay), rng: &rng)
            if noisy { world.state.cells[screen * 3 + 1] = channels[noise.below(channels.count)].rawValue }
            world.state.step = 0
            rewards.append(model.reward(FunInput(before: before, action: ActionPair(.stay), transition: t, after: world)))
        }
        return rewards
    }

    static func mean(_ xs: ArraySlice<Float>) -> Float { xs.reduce(0, +) / Float(xs.count) }

    static let features = FeatureSpace(width: 7, height: 7, viewSize: 7)

    @Test("RND's reward before a noisy TV decays toward zero while forward-model curiosity there stays high")
    func noisyTV() {
        var rnd = RandomNetworkDistillation(features: Self.features, seed: 3)
        var curiosity = Curiosity(features: Self.features, seed: 3)
        let r = Self.watchTV(&rnd, steps: 3000)
        let c = Self.watchTV(&curiosity, steps: 3000)
        let (rEarly, rLate) = (Self.mean(r[250..<500]), Self.mean(r[2750..<3000]))
        let (cEarly, cLate) = (Self.mean(c[250..<500]), Self.mean(c[2750..<3000]))
        // RND: the screen's few pictures become familiar.
        #expect(rLate < 0.1 * rEarly, "rnd \(rEarly) → \(rLate)")
        #expect(rLate < 0.02)
        // Curiosity: the next picture can never be predicted.
        #expect(cLate > 0.5 * cEarly, "curiosity \(cEarly) → \(cLate)")
        #expect(cLate > 0.2)
        #expect(cLate > 20 * rLate)
    }

    @Test("without the noise, curiosity's reward for standing still fades too")
    func quietTV() {
        var curiosity = Curiosity(features: Self.features, seed: 3)
        let c = Self.watchTV(&curiosity, steps: 3000, noisy: false)
        #expect(Self.mean(c[2750..<3000]) < 0.05, "\(Self.mean(c[2750..<3000]))")
    }
}
