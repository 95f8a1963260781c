import Fun
import GridWorld
import Testing

@Suite struct ProgressTests {
    /// Three zones, each a stream of (stimulus → answer) examples for the zone's own expert: one whose rule
    /// the expert already knows, one with a fixed rule it has yet to learn, and one whose answers are noise.
    struct Zones {
        static let stimuli = 8, outputs = 4
        static let mastered = 0, learnable = 1, noise = 2
        var rules: [[Float]]
        var rng: SplitMix64

        init(seed: UInt64) {
            rng = SplitMix64(seed: seed)
            var r = rng
            rules = (0..<2).map { _ in (0..<(Self.stimuli * Self.outputs)).map { _ in Float(r.nextUnitDouble() * 2 - 1) } }
            rng = r
        }

        mutating func example(_ zone: Int) -> (stimulus: Int32, answer: [Float]) {
            let s = rng.below(Self.stimuli)
            if zone == Self.noise { return (Int32(s), (0..<Self.outputs).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }) }
            return (Int32(s), Array(rules[zone][(s * Self.outputs)..<((s + 1) * Self.outputs)]))
        }
    }

    static func feed(_ core: inout ProgressCore, _ zones: inout Zones, _ zone: Int) -> (error: Float, progress: Float) {
        let (s, answer) = zones.example(zone)
        return [s].withUnsafeBufferPointer { input in
            answer.withUnsafeBufferPointer { core.observe(region: zone, input: input, target: $0) }
        }
    }

    @Test("learning progress: the learner spends most of its time in the learnable zone until it has learned it, not in the mastered or the noise zone")
    func seeksLearnable() throws {
        var zones = Zones(seed: 5)
        var core = ProgressCore(regions: 3, inputs: Zones.stimuli, outputs: Zones.outputs, activeCount: 1, hidden: 16, rate: 0.05, seed: 9)
        for _ in 0..<3000 { _ = Self.feed(&core, &zones, Zones.mastered) }
        #expect(core.fast[Zones.mastered] < 1e-3)
        // The learner: go where progress is greatest (at random when no zone shows progress), ε = 0.1.
        var rng = SplitMix64(seed: 3)
        var before = [0, 0, 0], after = [0, 0, 0]
        var learnedAt: Int?
        for t in 1...3000 {
            let best = (0..<3).max { core.progress($0) < core.progress($1) }!
            var zone = core.progress(best) > 1e-3 ? best : rng.below(3)
            if rng.chance(0.1) { zone = rng.below(3) }
            if learnedAt == nil { before[zone] += 1 } else { after[zone] += 1 }
            _ = Self.feed(&core, &zones, zone)
            if learnedAt == nil && before[Zones.learnable] > 20 && core.fast[Zones.learnable] < 0.01 { learnedAt = t }
        }
        let learned = try #require(learnedAt)
        func share(_ counts: [Int], _ zone: Int) -> Double { Double(counts[zone]) / Double(counts.reduce(0, +)) }
        #expect(share(before, Zones.learnable) > 0.8, "before \(before), learned at \(learned)")
        #expect(share(before, Zones.noise) < 0.1)
        #expect(share(after, Zones.learnable) < 0.5, "after \(after)")
    }
}
