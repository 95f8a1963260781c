import GridWorld

/// How the episodic agents turn the values of their action pairs into a choice.
enum ActionValues {
    /// The index of the highest of `values` (one per pair of `actions`): among equals a pair without play, and
    /// among those one drawn uniformly (a memory that knows nothing yet values every pair alike, and must not
    /// walk into the same wall every time). O(pairs).
    static func greedy(_ values: UnsafeBufferPointer<Float>, lastTaken: UnsafeBufferPointer<UInt64>? = nil, actions: [ActionPair], rng: inout SplitMix64) -> Int {
        var best = -Float.infinity
        var bestPlays = true
        var bestTaken = UInt64.max
        var ties = 0
        var choice = 0
        for a in actions.indices {
            let v = values[a]
            let plays = actions[a].play != .none
            let taken = lastTaken?[a] ?? 0
            if v > best || (v == best && bestPlays && !plays) || (v == best && plays == bestPlays && taken < bestTaken) {
                (best, bestPlays, bestTaken, ties, choice) = (v, plays, taken, 1, a)
            } else if v == best && plays == bestPlays && taken == bestTaken {
                ties += 1
                if rng.below(ties) == 0 { choice = a }
            }
        }
        return choice
    }

    /// ε-greedy's exploratory draw: any pair when play can pay (the run has fun), else a pair without play, since
    /// by the simulator's definition play does nothing for the task (as `QAgent`'s task values assume): a fun-free
    /// learner then never plays, not even to explore.
    static func explore(actions: [ActionPair], play: Bool, rng: inout SplitMix64) -> Int {
        guard !play else { return rng.below(actions.count) }
        let n = actions.lazy.filter { $0.play == .none }.count
        var pick = rng.below(max(1, n))
        for a in actions.indices where actions[a].play == .none {
            if pick == 0 { return a }
            pick -= 1
        }
        return 0
    }
}
