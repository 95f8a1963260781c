/// How fast an agent's task reward comes back after its world changes: the ultimate hypothesis' metric.
///
/// Rewards in a gridworld come at an episode's end, so "return" is measured as reward over a window of `window`
/// steps. Before a change at step c, the level L is the reward of the `window` steps before it. After the change,
/// the return at k steps is the reward of the last `window` steps counting only steps since the change (earlier
/// steps count as nothing, so the old world's reward cannot carry the new one). The agent has recovered at the
/// first k whose return reaches `threshold` · L. `steps` is that k; `regret` is Σ over those k steps of
/// (L/window − rₜ), divided by L/window: the steps' worth of pre-change reward the change cost, "normalised by
/// that level". A change the agent never recovers from before the next change (or the series' end) counts the whole
/// interval, and is marked `censored`. Changes with no level to recover (L ≤ 0), or whose window before them is
/// cut by the series' start or an earlier change, are not measured.
public enum Recovery {
    public struct Change: Sendable, Equatable, Codable {
        /// The step index of the change in the series.
        public var step: Int
        /// Reward per step in the window before the change.
        public var level: Double
        public var steps: Int
        public var regret: Double
        /// Not recovered before the next change or the series' end.
        public var censored: Bool

        public init(step: Int, level: Double, steps: Int, regret: Double, censored: Bool) {
            self.step = step
            self.level = level
            self.steps = steps
            self.regret = regret
            self.censored = censored
        }
    }

    /// The recovery from each measurable change of one series. O(n + changes · window).
    /// - Parameters:
    ///   - rewards: task reward of each step of one trial, in order.
    ///   - changes: step indices (increasing) whose rules in effect differ from the step before's.
    public static func measure(rewards: [Double], changes: [Int], window: Int, threshold: Double = 0.9) -> [Change] {
        guard window > 0 else { return [] }
        var out: [Change] = []
        for (j, c) in changes.enumerated() where c >= window && c <= rewards.count {
            let previous = j > 0 ? changes[j - 1] : 0
            guard c - window >= previous else { continue }
            let before = rewards[(c - window)..<c].reduce(0, +)
            guard before > 0 else { continue }
            let end = j + 1 < changes.count ? min(changes[j + 1], rewards.count) : rewards.count
            guard end > c else { continue }
            var recoveredAt: Int?
            var since = 0.0
            for k in 1...(end - c) {
                since += rewards[c + k - 1]
                if k > window { since -= rewards[c + k - 1 - window] }
                if since >= threshold * before - 1e-12 { recoveredAt = k; break }
            }
            let k = recoveredAt ?? (end - c)
            let level = before / Double(window)
            let earned = rewards[c..<(c + k)].reduce(0, +)
            out.append(Change(step: c, level: level, steps: k, regret: Double(k) - earned / level, censored: recoveredAt == nil))
        }
        return out
    }
}
