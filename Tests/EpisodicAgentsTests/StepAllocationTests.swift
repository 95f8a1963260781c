import Agents
import EpisodicAgents
import GridWorld
import TestSupport
import Testing

/// Learning agents take in a step without allocating: a step's reward goes into buffers kept between episodes.
/// (MFEC's `decide` is left out: the `Decision` it returns carries a fresh array of its task values.)
@Suite(.enabled(if: HeapAllocations.areCounted, "allocations are counted only with glibc"))
struct StepAllocationTests {
    /// The allocations of `observe` at the steps that did not end an episode, over 10,000 steps after 1000 of warm-up.
    func observeAllocations<A: Agent>(_ agent: A, _ name: String) throws -> Int {
        var agent = agent
        var env = try TrialWorld(scenario: try shipped(name), seed: 3)
        var rng = SplitMix64(seed: 6)
        agent.beginTrial(env.world)
        agent.beginEpisode(env.world)
        var allocations = 0
        for step in 0..<11_000 {
            let t = env.step(agent.decide(env.world, rng: &rng).action)
            let reward = StepReward(task: t.taskReward, fun: [0.1, 0.2])
            let world = env.world
            let count = HeapAllocations.count { agent.observe(t, reward: reward, world: world) }
            if step >= 1000 && !t.isLast { allocations += count }
            if t.isLast {
                if try env.beginNextEpisode() { agent.beginTrial(env.world) }
                agent.beginEpisode(env.world)
            }
        }
        return allocations
    }

    @Test("MFEC, NEC and Q-learning take in a step within an episode without allocating", arguments: ["rock-garden", "room-9"])
    func observeAllocatesNothing(_ name: String) throws {
        #expect(try observeAllocations(MFECAgent(funWeight: 1), name) == 0)
        #expect(try observeAllocations(NECAgent(funWeight: 1), name) == 0)
        #expect(try observeAllocations(QAgent(funWeight: 1), name) == 0)
    }
}
