/// How fast an agent's return comes back after its world's rules change: the ultimate hypothesis' metric.
///
/// A gridworld pays its task reward at an episode's end, so "return" is episode return. For a change at step c of a
/// trial (a step whose rules differ from the step before's, within an episode or at its start), the level L is the
/// mean return of the trial's episodes that ended before c. The agent has recovered at the end of the first episode
/// ending at or after c whose return is at least `threshold` · L. `steps` counts the steps from c to that end
/// (inclusive); `regret` is Σ (L − Gₑ)/L over the episodes ending from c up to and including that one: the
/// episodes' worth of pre-change return the change cost, "normalised by that level" (slightly negative when the
/// agent did better than before). A change the trial ends before recovering from counts the steps and episodes to
/// the trial's end and is marked `censored`. Changes with no episode before them, or a level L ≤ 0 (nothing to
/// recover), are not measured. Later changes do not cut an earlier one's count: the world keeps changing.
public enum Recovery {
    public struct Change: Sendable, Equatable, Codable {
        /// The step index of the change in the trial.
        public var step: Int
        /// Mean return of the episodes that ended before it.
        public var level: Double
        public var steps: Int
        public var regret: Double
        /// Not recovered before the trial's end.
        public var censored: Bool

        public init(step: Int, level: Double, steps: Int, regret: Double, censored: Bool) {
            self.step = step
            self.level = level
            self.steps = steps
            self.regret = regret
            self.censored = censored
        }
    }

    /// The recovery from each measurable change of one trial. O(steps + changes · episodes).
    /// - Parameters:
    ///   - rewards: task reward of each step of the trial, in order.
    ///   - episodeEnds: the index of each finished episode's last step, increasing.
    ///   - changes: step indices (increasing) whose rules in effect differ from the step before's.
    public static func measure(rewards: [Double], episodeEnds: [Int], changes: [Int], threshold: Double = 0.9) -> [Change] {
        var returns: [Double] = []
        var start = 0
        for end in episodeEnds {
            returns.append(rewards[start...end].reduce(0, +))
            start = end + 1
        }
        var out: [Change] = []
        for c in changes {
            let before = episodeEnds.indices.filter { episodeEnds[$0] < c }
            guard !before.isEmpty else { continue }
            let level = before.reduce(0) { $0 + returns[$1] } / Double(before.count)
            guard level > 0 else { continue }
            var regret = 0.0
            var recovered: Int?
            for e in episodeEnds.indices where episodeEnds[e] >= c {
                regret += (level - returns[e]) / level
                if returns[e] >= threshold * level - 1e-12 { recovered = e; break }
            }
            let steps = recovered.map { episodeEnds[$0] + 1 - c } ?? rewards.count - c
            out.append(Change(step: c, level: level, steps: steps, regret: regret, censored: recovered == nil))
        }
        return out
    }
}
