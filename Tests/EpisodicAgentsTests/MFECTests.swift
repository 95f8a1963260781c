import Agents
import Engine
import EpisodicAgents
import Fun
import GridWorld
import Measurements
import Testing
import TestSupport

@Suite struct MFECTests {
    /// A one-step world: every episode the agent stands in the same place, so it meets the same key.
    static func corridor() throws -> World {
        let s = try scenario("#####\n#A.G#\n#####")
        return World(scenario: s, level: try s.sample(seed: 1))
    }

    /// One episode of one step paying `task`, from `world`; returns the task half chosen.
    static func episode(_ agent: inout MFECAgent, _ world: World, task: Float, rng: inout SplitMix64) -> TaskAction {
        agent.beginEpisode(world)
        let d = agent.decide(world, rng: &rng)
        agent.observe(Transition(taskReward: task, terminated: true), reward: StepReward(task: task), world: world)
        return d.action.task
    }

    @Test("Q ← max(Q, R): a worse return leaves the best one remembered, a better one replaces it; returns are discounted per step")
    func maxUpdate() throws {
        let world = try Self.corridor()
        var agent = MFECAgent(funWeight: 0, exploration: 0)
        var rng = SplitMix64(seed: 3)
        agent.beginTrial(world)
        let first = Self.episode(&agent, world, task: 0.5, rng: &rng)
        let memory = { agent.taskMemories[Int(first.rawValue)] }
        #expect(memory().count == 1 && memory().values == [0.5])
        // The remembered pair is now the greedy one, and is taken again.
        #expect(Self.episode(&agent, world, task: 0.2, rng: &rng) == first)
        #expect(memory().values == [0.5])
        #expect(Self.episode(&agent, world, task: 0.9, rng: &rng) == first)
        #expect(memory().values == [0.9])
        // Two steps paying 0 then 1: the first step's key is worth γ·1.
        var fresh = MFECAgent(funWeight: 0, exploration: 0, discount: 0.5)
        fresh.beginTrial(world)
        let a = fresh.decide(world, rng: &rng).action.task
        fresh.observe(Transition(), reward: StepReward(task: 0), world: world)
        let b = fresh.decide(world, rng: &rng).action.task
        #expect(a != b)  // the one taken first is not taken again while others are as good
        fresh.observe(Transition(taskReward: 1, terminated: true), reward: StepReward(task: 1), world: world)
        #expect(fresh.taskMemories[Int(a.rawValue)].values == [0.5])
        #expect(fresh.taskMemories[Int(b.rawValue)].values == [1])
    }

    @Test("back where it acted this episode, the action it took then is worth at most γ × the best other, so it does not walk the same circle")
    func repeatsWithinAnEpisode() throws {
        let world = try Self.corridor()
        var agent = MFECAgent(funWeight: 0, exploration: 0, discount: 0.5)
        var rng = SplitMix64(seed: 3)
        agent.beginTrial(world)
        let best = Self.episode(&agent, world, task: 0.9, rng: &rng)
        agent.beginEpisode(world)
        let first = agent.decide(world, rng: &rng)
        #expect(first.action.task == best && first.memory?.taskValues[Int(best.rawValue)] == 0.9)
        agent.observe(Transition(), reward: StepReward(task: 0), world: world)
        // The same situation again: the other actions are worth 0, so the remembered one is worth 0.5 × 0.
        let again = agent.decide(world, rng: &rng)
        #expect(again.memory?.taskValues[Int(best.rawValue)] == 0)
        #expect(again.action.task != best)
        // A new episode starts with nothing taken: the remembered value counts again.
        agent.observe(Transition(terminated: true), reward: StepReward(task: 0), world: world)
        agent.beginEpisode(world)
        #expect(agent.decide(world, rng: &rng).action.task == best)
    }

    @Test("memorise writes Q ← max(Q, R) under the world's key, and a decision there reads it back as an exact match")
    func memorise() throws {
        let world = try Self.corridor()
        var agent = MFECAgent(funWeight: 0, exploration: 0)
        var rng = SplitMix64(seed: 3)
        let right = Int(TaskAction.right.rawValue)
        agent.memorise(world, taking: .right, value: 0.7, rng: &rng)
        agent.memorise(world, taking: .right, value: 0.3, rng: &rng)
        #expect(agent.taskMemories[right].values == [0.7])
        #expect(agent.taskMemories.enumerated().allSatisfy { $0.offset == right || $0.element.count == 0 })
        let d = agent.decide(world, rng: &rng)
        #expect(d.action.task == .right && d.memory?.taskValues[right] == 0.7 && d.memory?.nearest == 0)
    }

    @Test("the bench measurement fills MFEC's memories to the keys asked and times decisions on both walks")
    func benchmark() throws {
        let r = try EpisodicBenchmark.run(try shipped("four-rooms"), stranger: try shipped("open-field"), storedKeys: 3000, seconds: 0.03)
        #expect(r.storedKeys >= 3000 && r.storedKeys < 3010)
        #expect(r.decisionsPerSecond > 0 && r.decisionsPerSecondAllScans > 0 && r.nearestIndexSpeedup > 0)
    }

    static func run(_ seed: UInt64, episodes: Int, fun: FunSpec = FunSpec(terms: [])) throws -> RunReport {
        try Runner.run(scenario: try shipped("room-9"), agent: MFECAgent(funWeight: fun.optimismWeight), fun: fun, seed: seed, length: .episodes(episodes))
    }

    @Test("the same seed gives the same run, another seed another; without fun it never plays")
    func determinism() throws {
        let a = try Self.run(4, episodes: 8), b = try Self.run(4, episodes: 8), c = try Self.run(5, episodes: 8)
        #expect(a.episodeTaskReturns == b.episodeTaskReturns && a.steps == b.steps)
        #expect(a.episodeTaskReturns != c.episodeTaskReturns || a.steps != c.steps)
        #expect(a.playRatio == 0 && c.playRatio == 0)
    }

    @Test("before any reward it keeps going the way it went among untried actions, so in room-9 it meets the goal in its first episode (seeds 1–10)")
    func firstEpisode() throws {
        for seed: UInt64 in 1...10 {
            let r = try Self.run(seed, episodes: 1)
            #expect(r.episodeTaskReturns[0] > 0, "seed \(seed)")
        }
    }

    @Test("in room-9 it finds the goal and then keeps a near-greedy return (seed 1, 10 episodes)")
    func learnsRoom() throws {
        let r = try Self.run(1, episodes: 10)
        #expect(r.episodeTaskReturns.count == 10)
        #expect(r.episodeTaskReturns.suffix(3).allSatisfy { $0 >= 0.7 })
    }
}
