import Statistics
import Testing

@Suite struct RecoveryTests {
    @Test("recovery after a change on a hand-made trial: steps until an episode's return is back to 90% of the level, normalised regret, censoring")
    func handMade() throws {
        // Five episodes: steps 0…9 return 1, 10…19 return 0.8, 20…39 nothing (timed out), 40…49 return 0.5, 50…57
        // return 0.9; then 4 steps of an unfinished episode.
        var r = [Double](repeating: 0, count: 62)
        r[9] = 1; r[19] = 0.8; r[49] = 0.5; r[57] = 0.9
        let ends = [9, 19, 39, 49, 57]
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

        // A change at step 25: level (1 + 0.8)/2 = 0.9; episodes 0 and 0.5 fall short of 0.81, 0.9 reaches it at step
        // 57: 33 steps; regret (0.9 − 0)/0.9 + (0.9 − 0.5)/0.9 + 0 = 1.444… episodes' worth.
        let c25 = try #require(Recovery.measure(rewards: r, episodeEnds: ends, changes: [25]).first)
        #expect(c25.step == 25 && close(c25.level, 0.9) && c25.steps == 33 && close(c25.regret, 1 + 0.4 / 0.9) && !c25.censored)
        // A change at step 45: level (1 + 0.8 + 0)/3 = 0.6; 0.5 < 0.54, then 0.9 recovers: 13 steps, regret 1/6 − 1/2.
        let c45 = try #require(Recovery.measure(rewards: r, episodeEnds: ends, changes: [45]).first)
        #expect(close(c45.level, 0.6) && c45.steps == 13 && close(c45.regret, 1.0 / 6 - 0.5))
        // A change in the unfinished last episode: never recovered, counted to the trial's end.
        let c58 = try #require(Recovery.measure(rewards: r, episodeEnds: ends, changes: [58]).first)
        #expect(c58.censored && c58.steps == 4 && c58.regret == 0 && close(c58.level, 0.64))
        // Not measured: a change before any episode ended, and one with nothing to recover (level 0).
        #expect(Recovery.measure(rewards: r, episodeEnds: ends, changes: [5]).isEmpty)
        #expect(Recovery.measure(rewards: [0, 0, 0, 1], episodeEnds: [1, 3], changes: [2]).isEmpty)
        // Changes are measured each on its own, later ones not cutting earlier ones.
        #expect(Recovery.measure(rewards: r, episodeEnds: ends, changes: [5, 25, 45, 58]).map(\.step) == [25, 45, 58])
    }
}
