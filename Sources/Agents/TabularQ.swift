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

    /// States seen so far.
    public var stateCount: Int { index.count }

    /// The row of a state, adding an optimistic one when it is new.
    mutating func row(_ key: UInt64) -> Int {
        let (n, inserted) = index.insert(key)
        if inserted { values.append(contentsOf: repeatElement(initialValue, count: actionCount)) }
        return n * actionCount
    }

    /// Q(s, a) (the initial value for an unseen state).
    public func value(_ key: UInt64, _ action: Int) -> Float {
        index.number(of: key).map { values[$0 * actionCount + action] } ?? initialValue
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
        let bootstrap = next.map { discount * maxValue($0) } ?? 0
        let i = row(key) + action
        values[i] += rate * (reward + bootstrap - values[i])
    }
}

/// Tabular Q-learning with optimistic initial values (`q`): learns online from the task reward plus the
/// weighted fun of every step (`StepReward.total`), over the world's exact state keys.
///
/// The state is a key of the world (`StateView`) folded with the policy context a fun model gives (DIAYN's
/// skill); actions are `World.Rules.distinctActions`. Memory lasts the whole run, across trials.
public struct QAgent: Agent {
    /// What the agent's table is indexed by.
    public enum StateView: Hashable, Sendable {
        /// `World.stateKey`: position, carried thing, grid hash — exact, but a new layout is all new states.
        case exact
        /// `World.observationKey`: the cells within `radius` of the agent (nil: its whole view) — places that
        /// look alike share values, so what is learned carries over to new places and layouts.
        case observation(radius: Int?)
    }
    public let name = "q"
    public var stateView: StateView
    /// α.
    public var learningRate: Float
    /// γ.
    public var discount: Float
    /// ε of ε-greedy (0: purely greedy on optimistic values).
    public var exploration: Double
    public private(set) var table: TabularQ?
    var actions: [ActionPair] = []
    var context: UInt64 = 0
    var last: (key: UInt64, action: Int)?

    /// The defaults are the settings under which it learns a scenario's delight within a couple of hundred
    /// episodes (rock-garden): a 3×3 view, mild optimism, long horizon, greedy.
    public init(stateView: StateView = .observation(radius: 1), optimism: Float = 0.1, learningRate: Float = 0.5,
                discount: Float = 0.99, exploration: Double = 0) {
        self.stateView = stateView
        self.learningRate = learningRate
        self.discount = discount
        self.exploration = exploration
        initialValue = optimism
    }

    let initialValue: Float

    public mutating func beginTrial(_ world: World) {
        let list = world.rules.distinctActions
        if table == nil || list != actions {
            actions = list
            table = TabularQ(actionCount: list.count, initialValue: initialValue)
        }
        last = nil
    }

    public mutating func beginEpisode(_ world: World) { last = nil }

    public mutating func condition(on context: Int) { self.context = UInt64(truncatingIfNeeded: context) &+ 1 }

    func key(_ world: World) -> UInt64 {
        let base: UInt64
        switch stateView {
        case .exact: base = world.stateKey()
        case .observation(let radius): base = world.observationKey(radius: radius)
        }
        return context == 0 ? base : StateHash.finish(StateHash.mix(base, context))
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        if table == nil { beginTrial(world) }
        let k = key(world)
        let a = table!.choose(k, exploration: exploration, rng: &rng)
        last = (k, a)
        return Decision(actions[a], value: table!.maxValue(k))
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        guard let (k, a) = last else { return }
        let next: UInt64? = transition.terminated ? nil : key(world)
        table!.update(k, a, reward: reward.total, next: next, rate: learningRate, discount: discount)
        last = nil
    }
}
