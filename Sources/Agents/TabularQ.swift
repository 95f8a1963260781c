import GridWorld

/// A table of action values indexed by 64-bit state keys, learned by one-step Q-learning.
///
/// Unseen states start at `initialValue` for every action; set it above any return the task can pay and
/// the greedy policy explores systematically ("optimism in the face of uncertainty", Sutton & Barto §2.6).
/// Values live in one flat `ContiguousArray<Float>`, a row per state. O(actions) per lookup or update;
/// allocates only when the table grows.
public struct TabularQ: Sendable, Codable {
    public let actionCount: Int
    public var initialValue: Float
    var index = KeyIndex()
    var values: ContiguousArray<Float> = []

    public init(actionCount: Int, initialValue: Float) {
        self.actionCount = max(1, actionCount)
        self.initialValue = initialValue
    }

    /// The row of a state, adding an optimistic one when it is new.
    mutating func row(_ key: UInt64) -> Int {
        let (n, inserted) = index.insert(key)
        if inserted { values.append(contentsOf: repeatElement(initialValue, count: actionCount)) }
        return n * actionCount
    }

    /// max over actions of Q(s, ·).
    public func maxValue(_ key: UInt64) -> Float {
        guard let n = index.number(of: key) else { return initialValue }
        var best = -Float.infinity
        for a in 0..<actionCount { best = max(best, values[n * actionCount + a]) }
        return best
    }

    /// The greedy action, ties broken uniformly at random; with probability `exploration` a uniform action.
    public mutating func choose(_ key: UInt64, exploration: Double, rng: inout SplitMix64) -> Int {
        if exploration > 0 && rng.chance(exploration) { return rng.below(actionCount) }
        let base = row(key)
        var best = -Float.infinity
        var ties = 0
        var choice = 0
        for a in 0..<actionCount {
            let v = values[base + a]
            if v > best {
                best = v
                ties = 1
                choice = a
            } else if v == best {
                ties += 1
                if rng.below(ties) == 0 { choice = a }
            }
        }
        return choice
    }

    /// Q(s, a) += α·(r + γ·max Q(s′, ·) − Q(s, a)); `next` nil means s′ is terminal.
    public mutating func update(_ key: UInt64, _ action: Int, reward: Float, next: UInt64?, rate: Float, discount: Float) {
        learn(at: row(key) + action, target: reward + (next.map { discount * maxValue($0) } ?? 0), rate: rate)
    }

    /// values[i] += α·(target − values[i]), `i` being `row(s) + a`: for learners that form the target themselves.
    mutating func learn(at i: Int, target: Float, rate: Float) {
        values[i] += rate * (target - values[i])
    }
}
