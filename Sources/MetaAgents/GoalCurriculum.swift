import Foundation
import GridWorld
import MetaRL
import NeuralCore

/// How a goal-conditioned run chooses each trial's goal cell (`playgrid train --goals`).
public enum GoalSampling: String, CaseIterable, Sendable {
    /// Every goal cell equally often: the baseline.
    case uniform
    /// Goals of intermediate difficulty (Held, Geng, Florensa & Abbeel 2017): see `GoalCurriculum`.
    case goid
}

/// The goal cells of a reach-goal scenario, as a goal-conditioned agent is trained and measured on them: every cell
/// free on the scenario's canvas except the agent's start, which goal tasks keep fixed (the canvas's `A`) so a goal's
/// difficulty is how far it lies from there. In a four-rooms family the inner walls' lines are left out too, because
/// their gaps move from layout to layout.
public struct GoalSpace: Hashable, Sendable {
    public let start: GridPoint
    /// The goal cells, row-major.
    public let cells: [GridPoint]
    /// Per goal, the goals one step away (up to four, -1 for none): where a proposal may wander to.
    let neighbours: [Int32]

    public init(scenario: Scenario) throws(ScenarioProblem) {
        guard scenario.task == .reachGoal else {
            throw ScenarioProblem("goals are cells to reach, but \(scenario.name)'s task is \(scenario.task.name); give a reach-goal scenario")
        }
        let map = scenario.map
        start = map.agentStart
        let (midX, midY) = (map.width / 2, map.height / 2)
        var cells: [GridPoint] = []
        for y in 0..<map.height {
            for x in 0..<map.width {
                let cell = map[x, y]
                guard cell.tile.isPassable, cell.thing == .none || cell.thing == .goal, GridPoint(x: x, y: y) != start else { continue }
                if scenario.distribution.layout == .fourRooms && (x == midX || y == midY) { continue }
                cells.append(GridPoint(x: x, y: y))
            }
        }
        guard !cells.isEmpty else { throw ScenarioProblem("\(scenario.name) has no free cell for a goal besides the start") }
        self.cells = cells
        var index: [GridPoint: Int32] = [:]
        for (i, c) in cells.enumerated() { index[c] = Int32(i) }
        neighbours = cells.flatMap { c in
            [GridPoint(x: c.x + 1, y: c.y), GridPoint(x: c.x - 1, y: c.y), GridPoint(x: c.x, y: c.y + 1), GridPoint(x: c.x, y: c.y - 1)]
                .map { index[$0] ?? -1 }
        }
    }

    public var count: Int { cells.count }

    /// The goals within `steps` moves of the start through goal cells (a start cell's own neighbours count as one).
    public func near(start steps: Int) -> [Int] {
        var distance = [Int](repeating: .max, count: count)
        var queue: [Int] = []
        for (i, c) in cells.enumerated() where abs(c.x - start.x) + abs(c.y - start.y) == 1 {
            distance[i] = 1
            queue.append(i)
        }
        var head = 0
        while head < queue.count {
            let g = queue[head]
            head += 1
            for k in 0..<4 {
                let n = Int(neighbours[g * 4 + k])
                if n >= 0 && distance[n] == .max {
                    distance[n] = distance[g] + 1
                    queue.append(n)
                }
            }
        }
        return distance.indices.filter { distance[$0] <= steps }
    }
}

/// How a goal stands by the agent's recent success on it.
public enum GoalLabel: Sendable, Equatable {
    /// Tried too little to tell.
    case unknown
    /// Success below Rmin.
    case tooHard
    /// Success in [Rmin, Rmax]: a goal of intermediate difficulty.
    case intermediate
    /// Success above Rmax.
    case tooEasy
}

/// What a finished trial told about its goal: episodes that reached it, of episodes played.
public struct GoalOutcome: Hashable, Sendable {
    public var goal: Int32
    public var successes: Int32
    public var episodes: Int32
    /// Where the trial ended, for an order that does not depend on how the batch was split: the step of the segment
    /// and the environment's row in the whole batch.
    public var step: Int32
    public var row: Int32

    public init(goal: Int32, successes: Int32, episodes: Int32, step: Int32 = 0, row: Int32 = 0) {
        self.goal = goal
        self.successes = successes
        self.episodes = episodes
        self.step = step
        self.row = row
    }
}

/// The generator of goals: a categorical distribution over the goal cells, fit by gradient steps on its cross-entropy
/// to a target set of goals (maximum likelihood), so it proposes what the target holds in proportion.
///
/// The paper's generator is a GAN because its goal spaces are continuous; here the goal space is a finite set of
/// cells, where a categorical distribution is the exact model a GAN approximates, fits in microseconds and cannot
/// collapse to a mode. The GAN's other gift, proposing goals near but not in the labelled set, is given by
/// `GoalCurriculum.propose`'s wander to neighbouring cells.
public struct GoalGenerator: Hashable, Sendable {
    public private(set) var logits: ContiguousArray<Float>
    /// Step size of the gradient steps (the loss's curvature in the logits is at most 1, so steps of 1 are stable),
    /// and the pull of each logit back to 0, so goals long out of the target can come back once it moves near them.
    /// The gradient on a target goal is its share of the target less its probability, about 1/|target|: at a rate
    /// of 0.5 and 5 steps a segment the generator took a million steps to follow a target of 50 goals, and
    /// proposed nearly uniformly meanwhile.
    public var rate: Float = 1
    public var weightDecay: Float = 0.001
    var probabilities: ContiguousArray<Float>

    public init(goals: Int) {
        logits = ContiguousArray(repeating: 0, count: goals)
        probabilities = ContiguousArray(repeating: 1 / Float(goals), count: goals)
    }

    /// The generator with these logits (as a checkpoint saved them).
    public init(logits: [Float]) {
        self.logits = ContiguousArray(logits)
        probabilities = self.logits
        refresh()
    }

    /// p(goal). O(1).
    public func probability(_ goal: Int) -> Float { probabilities[goal] }

    /// Mean −log p(g) over the goals of `target`. O(target).
    public func loss(target: [Int]) -> Float {
        guard !target.isEmpty else { return 0 }
        return -target.reduce(0) { $0 + log(max(probabilities[$1], 1e-30)) } / Float(target.count)
    }

    /// `steps` gradient steps on `loss(target:)` (plus weight decay); returns the loss after them. O(steps · goals).
    @discardableResult
    public mutating func fit(target: [Int], steps: Int) -> Float {
        guard !target.isEmpty else { return 0 }
        let share = 1 / Float(target.count)
        for _ in 0..<steps {
            // ∂loss/∂logit_j = p_j − q_j, q the target's empirical distribution.
            for j in logits.indices { logits[j] -= rate * (probabilities[j] + weightDecay * logits[j]) }
            for g in target { logits[g] += rate * share }
            refresh()
        }
        return loss(target: target)
    }

    mutating func refresh() {
        probabilities.withUnsafeMutableBufferPointer { p in
            logits.withUnsafeBufferPointer { _ = p.update(fromContentsOf: $0) }
            Categorical.softmax(p)
        }
    }

    /// A goal drawn from the distribution. O(goals).
    public func sample(rng: inout SplitMix64) -> Int {
        var u = rng.nextUnitFloat()
        for j in probabilities.indices {
            u -= probabilities[j]
            if u < 0 { return j }
        }
        return probabilities.count - 1
    }
}

/// The goal curriculum of a goal-conditioned run (Held, Geng, Florensa & Abbeel 2017, "Automatic Goal Generation
/// for Reinforcement Learning Agents"): each goal is labelled by the agent's recent success on it, the generator is
/// fit to the goals of intermediate difficulty (GOID: success in [Rmin, Rmax] = [0.1, 0.9]), and each trial's goal
/// is a replayed old GOID goal (a third of the time, so mastered goals are not forgotten) or the generator's
/// proposal, which wanders to a neighbouring cell half the time so the frontier moves outward.
///
/// With `uniform` sampling it keeps the same labels (for the progress line) but draws every goal alike.
/// Frozen while a rollout segment runs, so the parts of a split batch propose alike; `record` learns between
/// segments from the segment's outcomes in an order that does not depend on the split.
public struct GoalCurriculum: Hashable, Sendable {
    public let sampling: GoalSampling
    public let space: GoalSpace
    /// Rmin and Rmax.
    public static let intermediate: ClosedRange<Float> = 0.1...0.9
    /// Episodes (decayed) a goal needs before it is labelled.
    public static let minimumEpisodes: Float = 4
    /// Weight kept by a goal's older outcomes at each new trial of it: success is recent (about five trials).
    public static let decay: Float = 0.8
    /// Share of trials given a replayed goal (the paper's one third).
    public static let replayShare = 1.0 / 3.0
    /// Chance that a proposal wanders on to a neighbouring cell, at each step of the wander.
    public static let wander = 0.5
    /// Gradient steps of the generator per segment (O(goals) each), and before the first.
    public static let fitSteps = 50
    public static let initialFitSteps = 200
    /// How far from the start the first goals lie (the paper starts from states a random walk reaches).
    public static let startSteps = 3

    /// Decayed successes and episodes per goal.
    public private(set) var successes: ContiguousArray<Float>
    public private(set) var episodes: ContiguousArray<Float>
    /// Goals ever labelled intermediate, in the order first labelled.
    public private(set) var replay: [Int32] = []
    var replayed: ContiguousArray<Bool>
    public private(set) var generator: GoalGenerator
    /// Trials recorded.
    public private(set) var trials = 0
    /// Of them, those whose goal was of intermediate difficulty when they ended (before counting them): how much of
    /// the training the curriculum spends where the paper says learning happens. Counted since this value was made
    /// (a checkpoint does not keep it), so read it as a difference between two moments.
    public private(set) var trialsOnIntermediate = 0

    public init(sampling: GoalSampling, space: GoalSpace) {
        self.sampling = sampling
        self.space = space
        successes = ContiguousArray(repeating: 0, count: space.count)
        episodes = successes
        replayed = ContiguousArray(repeating: false, count: space.count)
        generator = GoalGenerator(goals: space.count)
        if sampling == .goid { generator.fit(target: space.near(start: Self.startSteps), steps: Self.initialFitSteps) }
    }

    /// The curriculum `state` describes, as a checkpoint saved it; refuses (one line) a state that does not fit `space`.
    public init(sampling: GoalSampling, space: GoalSpace, restoring state: GoalCurriculumState) throws(ScenarioProblem) {
        let n = space.count
        guard state.successes.count == n, state.episodes.count == n, state.generatorLogits.count == n,
              state.replay.allSatisfy({ $0 >= 0 && Int($0) < n }), state.trials >= 0,
              (state.successes + state.episodes + state.generatorLogits).allSatisfy(\.isFinite) else {
            throw ScenarioProblem("the saved goal curriculum does not fit this map's \(n) goal cells; train a new agent instead")
        }
        self.sampling = sampling
        self.space = space
        successes = ContiguousArray(state.successes)
        episodes = ContiguousArray(state.episodes)
        replay = state.replay
        replayed = ContiguousArray(repeating: false, count: n)
        for g in state.replay { replayed[Int(g)] = true }
        generator = GoalGenerator(logits: state.generatorLogits)
        trials = state.trials
    }

    /// What a checkpoint keeps of this curriculum.
    public var state: GoalCurriculumState {
        GoalCurriculumState(successes: Array(successes), episodes: Array(episodes), replay: replay,
                            generatorLogits: Array(generator.logits), trials: trials)
    }

    /// GOID's labelling of a goal with `successes` of `episodes` (decayed counts).
    public static func label(successes: Float, episodes: Float) -> GoalLabel {
        guard episodes >= minimumEpisodes else { return .unknown }
        let rate = successes / episodes
        return rate < intermediate.lowerBound ? .tooHard : rate > intermediate.upperBound ? .tooEasy : .intermediate
    }

    public func label(_ goal: Int) -> GoalLabel { Self.label(successes: successes[goal], episodes: episodes[goal]) }

    /// The goals labelled intermediate now.
    public var intermediateGoals: [Int] { space.cells.indices.filter { label($0) == .intermediate } }

    /// The goal of a new trial. O(goals).
    public func propose(rng: inout SplitMix64) -> Int {
        switch sampling {
        case .uniform:
            return rng.below(space.count)
        case .goid:
            if !replay.isEmpty && rng.chance(Self.replayShare) { return Int(replay[rng.below(replay.count)]) }
            var goal = generator.sample(rng: &rng)
            while rng.chance(Self.wander) {
                let n = Int(space.neighbours[goal * 4 + rng.below(4)])
                if n >= 0 { goal = n }
            }
            return goal
        }
    }

    /// Learns from finished trials: updates each goal's recent success (in the outcomes' step-then-row order), adds
    /// new GOID goals to the replay, and fits the generator to the GOID set — or, while there is none, to the untried
    /// or intermediate goals next to mastered ones, or failing those to the goals near the start.
    public mutating func record(_ outcomes: [GoalOutcome]) {
        for o in outcomes.sorted(by: { ($0.step, $0.row) < ($1.step, $1.row) }) {
            let g = Int(o.goal)
            if label(g) == .intermediate { trialsOnIntermediate += 1 }
            successes[g] = successes[g] * Self.decay + Float(o.successes)
            episodes[g] = episodes[g] * Self.decay + Float(o.episodes)
            trials += 1
            if !replayed[g] && label(g) == .intermediate {
                replayed[g] = true
                replay.append(o.goal)
            }
        }
        guard sampling == .goid, !outcomes.isEmpty else { return }
        generator.fit(target: target, steps: Self.fitSteps)
    }

    /// What the generator is fit to (see `record`).
    var target: [Int] {
        let goid = intermediateGoals
        if !goid.isEmpty { return goid }
        let frontier = space.cells.indices.filter { g in
            label(g) != .tooEasy && label(g) != .tooHard
                && (0..<4).contains { k in let n = Int(space.neighbours[g * 4 + k]); return n >= 0 && label(n) == .tooEasy }
        }
        return frontier.isEmpty ? space.near(start: Self.startSteps) : frontier
    }
}
