import Statistics
import Testing

@Suite struct RecoveryTests {
    @Test("recovery after a change on a hand-made series: steps to 90% of the level, normalised regret, censoring")
    func handMade() throws {
        // Window 4. Before the change at step 8 the agent earns 1 every other step: level 2 per window (0.5 a step).
        // After it, nothing for 3 steps, then 1 at steps 11 and 13: the window since the change first holds 2 ≥ 0.9·2
        // at k = 6 (steps 8…13, the last 4 of them). Regret: 6 steps × 0.5 expected − 2 earned = 1, over 0.5 = 2 steps.
        var r = [Double](repeating: 0, count: 16)
        for t in [1, 3, 5, 7, 11, 13] { r[t] = 1 }
        let changes = Recovery.measure(rewards: r, changes: [8], window: 4)
        #expect(changes == [Recovery.Change(step: 8, level: 0.5, steps: 6, regret: 2, censored: false)])
        // A second change at step 12 cuts the first's interval (4 steps, never back to 1.8 in them): censored at 4,
        // regret 4 − 1/0.5 = 2. The second's window before it (8…11) starts at the first change, so it is measured:
        // level 0.25, 1 earned at step 13, k = 2, regret 2 − 1/0.25 = −2 (it earned more than its level).
        let two = Recovery.measure(rewards: r, changes: [8, 12], window: 4)
        #expect(two == [Recovery.Change(step: 8, level: 0.5, steps: 4, regret: 2, censored: true),
                        Recovery.Change(step: 12, level: 0.25, steps: 2, regret: -2, censored: false)])
        // Not measured: a change too early for a full window, one with nothing before it to recover, one whose window
        // would reach back over an earlier change.
        #expect(Recovery.measure(rewards: r, changes: [3], window: 4).isEmpty)
        #expect(Recovery.measure(rewards: [0, 0, 0, 0, 1, 1], changes: [4], window: 4).isEmpty)
        #expect(Recovery.measure(rewards: r, changes: [8, 10], window: 4).count == 1)
    }
}
