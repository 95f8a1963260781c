import GridWorld
import ScenarioFiles
import Testing
import TestSupport

/// Trials that draw their MDPs from a recurring pool (`trial: {pool: ...}`), as recurring-rooms does.
@Suite struct TrialPoolTests {
    /// The level seed, repeat flag and pool start of each of `trials` trials, starting episodes without stepping.
    func trials(_ scenario: Scenario, seed: UInt64, count: Int) throws -> [(seed: UInt64, isRepeat: Bool, beginsPool: Bool)] {
        var world = try TrialWorld(scenario: scenario, seed: seed)
        var out: [(UInt64, Bool, Bool)] = []
        for _ in 0..<count {
            out.append((world.levelSeed, world.isRepeatTrial, world.beginsPool))
            for _ in 0..<scenario.episodesPerTrial { try world.beginNextEpisode() }
        }
        return out
    }

    @Test("recurring-rooms: each pool's 30 trials play at most 10 layouts, repeats are flagged, and the next pool is new")
    func pools() throws {
        let scenario = try ScenarioFile.load(path: Repository.path("scenarios") + "/recurring-rooms.yaml")
        #expect(scenario.pool == TrialPool(size: 10, trials: 30))
        let drawn = try trials(scenario, seed: 5, count: 90)
        var pools: [Set<UInt64>] = []
        for start in stride(from: 0, to: 90, by: 30) {
            var met = Set<UInt64>()
            for t in start..<(start + 30) {
                #expect(drawn[t].beginsPool == (t == start))
                #expect(drawn[t].isRepeat == met.contains(drawn[t].seed))
                met.insert(drawn[t].seed)
            }
            #expect(met.count <= 10 && met.count >= 5)
            pools.append(met)
        }
        #expect(pools[0].isDisjoint(with: pools[1]) && pools[1].isDisjoint(with: pools[2]))
        #expect(drawn.filter(\.isRepeat).count >= 45, "most trials of a pool of 10 over 30 trials meet a layout again")
        let again = try trials(scenario, seed: 5, count: 90)
        #expect(again.map(\.seed) == drawn.map(\.seed), "the same seed draws the same pools")
    }

    @Test("without a pool every trial draws a fresh MDP and none is a repeat")
    func noPool() throws {
        let scenario = try ScenarioFile.load(path: Repository.path("scenarios") + "/four-rooms.yaml")
        #expect(scenario.pool == nil)
        let drawn = try trials(scenario, seed: 5, count: 40)
        #expect(Set(drawn.map(\.seed)).count == 40)
        #expect(!drawn.contains { $0.isRepeat || $0.beginsPool })
    }
}
