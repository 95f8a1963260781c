import Fun
import GridWorld
import TestSupport
import Testing

/// The fun models a training step asks for a reward allocate nothing per step: their features, predictors and
/// scratch are flat buffers kept between steps. Novelty and state entropy are left out (their count tables double
/// now and then, as they say), and empowerment too (it steps copies of the world, as it says).
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct RewardAllocationTests {
    @Test("a fun model's reward for a step allocates nothing", arguments: ["delight", "curiosity", "rnd", "progress", "skill"])
    func rewardAllocatesNothing(_ model: String) throws {
        for name in ["rock-garden", "tinker-lab"] {
            let scenario = try shipped(name)
            var fun = try #require(FunCatalog.entries.first { $0.name == model }).make(scenario, 5)
            var env = try TrialWorld(scenario: scenario, seed: 3)
            var rng = SplitMix64(seed: 6)
            var allocations = 0
            for step in 0..<11_000 {
                let action = ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!, PlayAction(rawValue: UInt8(rng.below(7)))!)
                let before = env.world
                let t = env.step(action)
                let input = FunInput(before: before, action: action, transition: t, after: env.world)
                var reward: Float = 0
                let count = HeapAllocations.count { reward = fun.reward(input) }
                #expect(reward.isFinite)
                if step >= 1000 { allocations += count }
                if t.isLast {
                    fun.beginNextEpisode(newTrial: try env.beginNextEpisode())
                    fun.startEpisode()
                }
            }
            #expect(allocations == 0, "\(name)")
        }
    }
}
