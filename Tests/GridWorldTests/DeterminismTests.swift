import GridWorld
import Testing
import TestSupport

@Suite struct DeterminismTests {
    /// Every transition and the final state of a run of random actions.
    func trace(_ name: String, seed: UInt64, steps: Int = 3000) throws -> ([Transition], WorldState, Int) {
        var env = try TrialWorld(scenario: try shipped(name), seed: seed)
        var actions = SplitMix64(seed: 1234)
        var transitions: [Transition] = []
        for _ in 0..<steps {
            let t = env.step(ActionPair(TaskAction(rawValue: UInt8(actions.below(6)))!, PlayAction(rawValue: UInt8(actions.below(7)))!))
            transitions.append(t)
            if t.isLast { try env.beginNextEpisode() }
        }
        return (transitions, env.world.state, env.trial)
    }

    @Test("the same seed and actions give identical transition streams and states", arguments: Repository.legacyScenarioNames)
    func sameSeedSameRun(_ name: String) throws {
        let a = try trace(name, seed: 42)
        let b = try trace(name, seed: 42)
        #expect(a.0 == b.0)
        #expect(a.1 == b.1)
        #expect(a.2 == b.2)
    }

    @Test("different seeds give different MDPs where the family is random")
    func seedsMatter() throws {
        for name in ["four-rooms", "open-field", "lever-bandit", "key-door"] {
            let s = try shipped(name)
            let levels = try (0..<20).map { try s.sample(seed: UInt64($0)) }
            let distinct = Set(levels.map { "\($0.map.tiles)\($0.map.things)\($0.map.agentStart)\($0.leverOdds)" })
            #expect(distinct.count > 10, "\(name)")
        }
    }

    @Test("a batch steps each world exactly as it would step alone")
    func batchMatchesSingles() throws {
        let s = try shipped("shifting-goal")
        var batch = try WorldBatch(scenario: s, count: 4, seed: 9)
        var seeds = SplitMix64(seed: 9)
        var singles = try (0..<4).map { _ in try TrialWorld(scenario: s, seed: seeds.next()) }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let actions = (0..<4).map { _ in ActionPair(TaskAction(rawValue: UInt8(rng.below(6)))!) }
            try actions.withUnsafeBufferPointer { try batch.step($0) }
            for i in 0..<4 {
                let t = singles[i].step(actions[i])
                #expect(batch.transitions[i] == t)
                if t.isLast { try singles[i].beginNextEpisode() }
                let obs = singles[i].world.observation
                #expect(Array(batch.observations[(i * obs.count)..<((i + 1) * obs.count)]) == obs)
            }
        }
    }
}
