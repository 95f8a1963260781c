import GridWorld

/// Tabular Q-learning with optimistic initial values (`q`): learns online from the task reward and the
/// weighted fun of every step, over keys of the world's state.
///
/// The value of an action pair is split by reward stream (as in van Seijen et al.'s Hybrid Reward
/// Architecture, 2017): Q(s, ⟨t, p⟩) = T(s, t) + F(s, ⟨t, p⟩). T learns the task reward over the task half alone
/// (by the simulator's definition play does nothing for the task, so a play step is worth what standing still
/// is), F learns the weighted fun over the whole pair; both bootstrap at the pair that is greedy for the sum.
/// Each is optimistic in proportion to what its stream can pay (T at `optimism`, F at `optimism × funWeight`),
/// so a task-only learner explores every move but has no reason to play: its play comes from fun. Greedy ties
/// go to a pair without play. Fun has a shorter horizon than the task (γ_F 0.95 against 0.99, as RND's two
/// value heads, Burda et al. 2018): delight habituates within an episode, which the state cannot show, and at
/// γ 0.99 a bell that had stopped delighting kept its value for hundreds of steps (playroom: rung on 96% of
/// steps, goal reached in 0.2% of episodes; at 0.95, 34% play of many kinds and 50% success).
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
    /// γ of the task values.
    public var discount: Float
    /// γ of the fun values.
    public var funDiscount: Float
    /// ε of ε-greedy (0: purely greedy on optimistic values).
    public var exploration: Double
    /// T(s, task half), learned from the task reward.
    public private(set) var taskValues: TabularQ?
    /// F(s, pair), learned from the weighted fun.
    public private(set) var funValues: TabularQ?
    var actions: [ActionPair] = []
    var context: UInt64 = 0
    /// The last decision: where its state's rows start, and the pair chosen.
    var last: (rows: (task: Int, fun: Int), action: Int)?

    /// The defaults suit rock-garden's 200-episode delight check: a 3×3 view (places that look alike share
    /// values), mild optimism, a long task horizon and a short fun one, greedy. `funWeight` is how much fun a
    /// step can pay next to the task's reward: the fun spec's `optimismWeight`, 0 when the run has no fun.
    public init(stateView: StateView = .observation(radius: 1), optimism: Float = 0.1, funWeight: Float,
                learningRate: Float = 0.5, discount: Float = 0.99, funDiscount: Float = 0.95, exploration: Double = 0) {
        self.stateView = stateView
        self.learningRate = learningRate
        self.discount = discount
        self.funDiscount = funDiscount
        self.exploration = exploration
        taskOptimism = optimism
        funOptimism = optimism * max(0, funWeight)
    }

    let taskOptimism: Float
    let funOptimism: Float

    public mutating func beginTrial(_ world: World) {
        let list = world.rules.distinctActions
        if taskValues == nil || list != actions {
            actions = list
            taskValues = TabularQ(actionCount: TaskAction.count, initialValue: taskOptimism)
            funValues = TabularQ(actionCount: list.count, initialValue: funOptimism)
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

    /// Where state `key`'s values start in each table (adding optimistic rows when it is new).
    mutating func rows(_ key: UInt64) -> (task: Int, fun: Int) {
        (taskValues!.row(key), funValues!.row(key))
    }

    /// T(s, t) + F(s, ⟨t, p⟩) for the pair at `index` of `actions`, from `rows(s)`.
    func value(_ rows: (task: Int, fun: Int), _ index: Int) -> Float {
        taskValues!.values[rows.task + Int(actions[index].task.rawValue)] + funValues!.values[rows.fun + index]
    }

    /// The pair of highest value; among equals one without play, and among those the first unless
    /// `takeTie(n)` says to take the n-th equal one met instead.
    func greedy(_ rows: (task: Int, fun: Int), takeTie: (Int) -> Bool = { _ in false }) -> Int {
        var best = -Float.infinity
        var bestPlays = true
        var ties = 0
        var choice = 0
        for a in actions.indices {
            let v = value(rows, a)
            let plays = actions[a].play != .none
            if v > best || (v == best && bestPlays && !plays) {
                (best, bestPlays, ties, choice) = (v, plays, 1, a)
            } else if v == best && plays == bestPlays {
                ties += 1
                if takeTie(ties) { choice = a }
            }
        }
        return choice
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        if taskValues == nil { beginTrial(world) }
        let r = rows(key(world))
        let best = greedy(r) { rng.below($0) == 0 }
        let a = exploration > 0 && rng.chance(exploration) ? rng.below(actions.count) : best
        last = (r, a)
        return Decision(actions[a], value: value(r, best))
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        guard let (r, a) = last else { return }
        var taskNext: Float = 0, funNext: Float = 0
        if !transition.terminated {
            let next = rows(key(world))
            let b = greedy(next)
            taskNext = taskValues!.values[next.task + Int(actions[b].task.rawValue)]
            funNext = funValues!.values[next.fun + b]
        }
        taskValues!.learn(at: r.task + Int(actions[a].task.rawValue), target: reward.task + discount * taskNext,
                          rate: learningRate)
        funValues!.learn(at: r.fun + a, target: reward.funTotal + funDiscount * funNext, rate: learningRate)
        last = nil
    }
}
