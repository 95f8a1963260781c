import GridWorld

/// How the episodic agents turn the values of their action pairs into a choice.
enum ActionValues {
    /// The index of the highest of `values` (one per pair of `actions`): among equals a pair without play, then
    /// the one taken least recently (`lastTaken`, 0 for never), then the task action taken last (`keepGoing`),
    /// then one drawn uniformly. O(pairs).
    static func greedy(_ values: UnsafeBufferPointer<Float>, lastTaken: UnsafeBufferPointer<UInt64>? = nil, keepGoing: TaskAction? = nil,
                       actions: [ActionPair], rng: inout SplitMix64) -> Int {
        var best = -Float.infinity
        var bestPlays = true
        var bestTaken = UInt64.max
        var bestGoesOn = false
        var ties = 0
        var choice = 0
        for a in actions.indices {
            let v = values[a]
            let plays = actions[a].play != .none
            let taken = lastTaken?[a] ?? 0
            let goesOn = actions[a].task == keepGoing
            if v > best || (v == best && bestPlays && !plays) || (v == best && plays == bestPlays && taken < bestTaken)
                || (v == best && plays == bestPlays && taken == bestTaken && goesOn && !bestGoesOn) {
                (best, bestPlays, bestTaken, bestGoesOn, ties, choice) = (v, plays, taken, goesOn, 1, a)
            } else if v == best && plays == bestPlays && taken == bestTaken && goesOn == bestGoesOn {
                ties += 1
                if rng.below(ties) == 0 { choice = a }
            }
        }
        return choice
    }

    /// Back in a situation it already acted from this episode (a task half's `lastTaken` after `episodeStart`), an
    /// action taken from it then is worth at most γ × the best not yet taken: the episodic agents' values change only
    /// at the episode's end (NEC's `horizon` steps later), so taking it again would walk the same circle until the
    /// episode runs out (a k-NN estimate for a corner never visited held MFEC there, bumping left, then down, then
    /// left, after it had found the goal). `values` and `lastTaken` are by `TaskAction.rawValue`.
    static func valueRepeats(_ values: inout ContiguousArray<Float>, lastTaken: ContiguousArray<UInt64>, after episodeStart: UInt64, discount: Float) {
        var best = -Float.infinity, repeats = false
        for t in values.indices {
            if lastTaken[t] > episodeStart { repeats = true } else { best = max(best, values[t]) }
        }
        guard repeats && best.isFinite else { return }
        for t in values.indices where lastTaken[t] > episodeStart { values[t] = min(values[t], discount * best) }
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

/// When the agent last took each task half from each situation (a hash of what it saw), for the episodic agents'
/// tie-break: among equal values, the action taken least recently from here, never taken first.
///
/// Before any reward is seen an episodic memory values every action alike; a uniform tie-break is then a random
/// walk, which in room-9 meets the goal in one episode of 40. Least recently taken first makes it a rotor-router
/// walk, which covers a graph in O(edges × diameter) steps, but each new situation's first choice is still a draw
/// (room-9's first success came at episode 4.9 on average); keeping going the way it went among those
/// (`ActionValues.greedy`'s `keepGoing`) finds it in the first. At most `limit` entries are kept: past that, those
/// taken longest ago are forgotten (the only time it allocates once grown).
struct ActionRecency: Sendable {
    let limit: Int
    /// Actions taken so far.
    private(set) var clock: UInt64 = 0
    private var taken: [UInt64: UInt64] = [:]

    init(limit: Int) { self.limit = max(16, limit) }

    static func entry(_ situation: UInt64, _ task: TaskAction) -> UInt64 { StateHash.mix(situation, UInt64(task.rawValue)) }

    /// When `task` was last taken from `situation` (0: never).
    func lastTaken(_ situation: UInt64, _ task: TaskAction) -> UInt64 { taken[Self.entry(situation, task)] ?? 0 }

    mutating func take(_ situation: UInt64, _ task: TaskAction) {
        clock += 1
        taken[Self.entry(situation, task)] = clock
        if taken.count > limit {
            let keepAfter = clock - UInt64(limit / 2)
            taken = taken.filter { $0.value > keepAfter }
        }
    }
}
