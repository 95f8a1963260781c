import GridWorld
import Testing
import TestSupport

@Suite struct DynamicsTests {
    @Test("the goal moves every N steps within an episode, to a free cell")
    func goalMovesWithin() throws {
        var w = try world(try scenario("""
        #######
        #A....#
        #.....#
        #....G#
        #######
        """, extra: "dynamics: {goal-moves-every: 5}"))
        var rng = SplitMix64(seed: 2)
        var positions: Set<Int> = []
        for step in 1...50 {
            let t = w.step(ActionPair(.stay), rng: &rng)
            #expect(w.count(.goal) == 1)
            positions.insert(w.cells(holding: .goal)[0])
            #expect(t.events.contains(.goalMoved) == (step % 5 == 0))
        }
        #expect(positions.count > 3)
    }

    @Test("the goal moves between the episodes of a trial, not within a static one")
    func goalMovesBetween() throws {
        let s = try scenario("""
        #######
        #A....#
        #.....#
        #....G#
        #######
        """, extra: "dynamics: {goal-moves-between-episodes: true}\ntrial: {episodes: 8}")
        var env = try TrialWorld(scenario: s, seed: 1)
        var goals: [Int] = []
        for _ in 0..<8 {
            goals.append(env.world.cells(holding: .goal)[0])
            _ = env.step(ActionPair(.stay))
            #expect(env.world.cells(holding: .goal)[0] == goals.last!, "static within the episode")
            try env.beginNextEpisode()
        }
        #expect(Set(goals).count > 2)
    }

    @Test("drifting things wander; respawning fruit grows back where it was")
    func driftAndRespawn() throws {
        var w = try world(try scenario("""
        ########
        #A.f...#
        #....*.#
        #.....G#
        ########
        """, extra: "dynamics: {drift: {ball: 0.5}, respawn: {fruit: 3}}"))
        var rng = SplitMix64(seed: 8)
        let ballStart = w.cells(holding: .ball)[0]
        _ = w.act(.right)
        #expect(w.step(ActionPair(.use), rng: &rng).events.contains(.ate))
        #expect(w.count(.fruit) == 0)
        var regrown = false
        for _ in 0..<5 {
            let t = w.step(ActionPair(.stay), rng: &rng)
            regrown = regrown || t.events.contains(.thingRespawned)
        }
        #expect(regrown && w.count(.fruit) == 1)
        #expect(w.cells(holding: .ball)[0] != ballStart || w.count(.ball) == 1)
        var moved = false
        for _ in 0..<20 where !moved {
            moved = w.step(ActionPair(.stay), rng: &rng).events.contains(.thingDrifted)
        }
        #expect(moved)
    }

    @Test("scheduled doors open and close on time, never on the agent")
    func doorSchedule() throws {
        var w = try world(try scenario("""
        #######
        #A.d.G#
        #######
        """, extra: "dynamics: {doors: {open: 3, closed: 2}}"))
        var rng = SplitMix64(seed: 1)
        var openAt: [Bool] = []
        for _ in 1...10 {
            _ = w.step(ActionPair(.stay), rng: &rng)
            openAt.append(Aux.isOn(w[3, 1].aux))
        }
        #expect(openAt == [true, true, false, false, true, true, true, false, false, true])
    }
}
