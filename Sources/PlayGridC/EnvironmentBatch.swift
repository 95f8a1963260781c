import Foundation
import Fun
import GridWorld

/// N trial worlds of one scenario, each with its own fun models, stepped together into buffers their caller
/// owns: what the C ABI opens, and what a Gymnasium vector environment steps in one call.
///
/// Environment i started with seed s is exactly `playgrid run SCENARIO --seed s` (the same worlds, the same fun
/// models, seeded alike), so a run through the ABI and a run through the command line can be compared step for
/// step. Episodes end as Gymnasium's next-step autoreset wants: after a step that ended its episode, the next
/// step of that environment ignores its action and begins the next episode (or trial); `beginEpisodes` does the
/// same at once, as a single environment's `reset()` does.
///
/// Steps allocate nothing, except when a new trial of a varying family draws a new MDP (its grid) and whatever a
/// fun model other than delight allocates itself. Not thread-safe: the ABI serialises calls on a batch with `lock`.
final class EnvironmentBatch {
    let scenario: Scenario
    /// What the caller named the scenario (a shipped name or a path): tapes show it.
    let origin: String
    let funSpec: FunSpec
    let count: Int
    /// Fun components per environment, in the spec's order.
    let components: Int
    let viewSize: Int
    /// Bytes of one environment's image (the egocentric window, three bytes a cell).
    let imageSize: Int
    private(set) var worlds: [TrialWorld]
    private var fun: [[any FunModel]]
    /// Each fun component's weight, by component.
    private let weights: ContiguousArray<Float>
    /// The seed each environment was last reset with (its tape's seed).
    private(set) var seeds: [UInt64]
    /// The environment's last step ended its episode: its next step begins the next one instead.
    private var episodeOver: [Bool]
    /// Steps each environment has taken since its last reset with a seed, and how many such resets it has had
    /// (a tape checks that it records every step of one run).
    private(set) var stepsTaken: [Int]
    private(set) var resets: [Int]
    /// What the last step of each environment was, for tapes to record.
    private(set) var lastActions: [ActionPair]
    private(set) var lastTransitions: [Transition]
    /// Weighted fun of each environment's last step, `count · components`.
    private(set) var lastFun: ContiguousArray<Float>
    /// Whether a fun model reads the world before the step; delight reads only the step's events, so a batch
    /// with delight alone keeps no copy.
    private let funReadsBefore: Bool
    /// Each environment's world before its step, for those fun models: copied into in place, so that stepping
    /// does not copy the grid it shares (a copy-on-write allocation every step).
    private var before: [World]
    /// One environment's raw observation (`ObservationLayout`), split into the image and the body's buffers.
    private var observation: ContiguousArray<UInt8>
    var outputs = Outputs()
    /// Serialises the ABI's calls on this batch; set when the caller closed it (a tape may outlive its handle).
    let lock = NSLock()
    var isClosed = false

    /// Opens `count` environments; environment i starts from `seeds[i]`.
    init(scenario: Scenario, origin: String, funSpec: FunSpec, seeds: [UInt64]) throws(ScenarioProblem) {
        self.scenario = scenario
        self.origin = origin
        self.funSpec = funSpec
        count = seeds.count
        components = funSpec.terms.count
        viewSize = scenario.viewSize
        imageSize = scenario.viewSize * scenario.viewSize * 3
        var worlds: [TrialWorld] = []
        worlds.reserveCapacity(seeds.count)
        for seed in seeds { worlds.append(try TrialWorld(scenario: scenario, seed: seed)) }
        self.worlds = worlds
        fun = seeds.map { funSpec.makeModels(for: scenario, seed: $0) }
        weights = ContiguousArray(funSpec.terms.map(\.weight))
        self.seeds = seeds
        episodeOver = Array(repeating: false, count: seeds.count)
        stepsTaken = Array(repeating: 0, count: seeds.count)
        resets = Array(repeating: 0, count: seeds.count)
        lastActions = Array(repeating: ActionPair(.stay), count: seeds.count)
        lastTransitions = Array(repeating: Transition(), count: seeds.count)
        lastFun = ContiguousArray(repeating: 0, count: seeds.count * funSpec.terms.count)
        funReadsBefore = funSpec.terms.contains { $0.model != "delight" }
        before = funReadsBefore ? worlds.map(\.world) : []
        observation = ContiguousArray(repeating: 0, count: ObservationLayout.size(viewSize: scenario.viewSize))
        for i in 0..<count { startFun(i, newTrial: true, fresh: true) }
    }

    // MARK: Resetting

    /// Restarts environment i from `seed`: a new trial world and new fun models, as a new `playgrid run --seed`.
    func reset(_ i: Int, seed: UInt64) throws(ScenarioProblem) {
        worlds[i] = try TrialWorld(scenario: scenario, seed: seed)
        fun[i] = funSpec.makeModels(for: scenario, seed: seed)
        seeds[i] = seed
        stepsTaken[i] = 0
        resets[i] &+= 1
        episodeOver[i] = false
        if funReadsBefore { before[i] = worlds[i].world }
        startFun(i, newTrial: true, fresh: true)
        writeStart(i)
    }

    /// Begins environment i's next episode (or trial) now, whether or not its episode had ended.
    func beginEpisode(_ i: Int) throws(ScenarioProblem) {
        episodeOver[i] = false
        let newTrial = try worlds[i].beginNextEpisode()
        startFun(i, newTrial: newTrial, fresh: false)
        writeStart(i)
    }

    /// Tells environment i's fun models that an episode (and maybe a trial) begins, in the order `Session` does.
    private func startFun(_ i: Int, newTrial: Bool, fresh: Bool) {
        for m in fun[i].indices {
            if fresh || (newTrial && fun[i][m].scope != .lifetime) { fun[i][m].beginTrial() }
            if fresh || fun[i][m].scope == .episode { fun[i][m].beginEpisode() }
            fun[i][m].startEpisode()
        }
    }

    /// Fills environment i's outputs for the first observation of an episode: no reward, no events.
    private func writeStart(_ i: Int) {
        for c in 0..<components { lastFun[i &* components &+ c] = 0 }
        write(i, transition: Transition(), reward: 0)
    }

    // MARK: Stepping

    /// Steps every environment with its ⟨task, play⟩ pair, `actions[2i]` and `actions[2i + 1]`, which the caller
    /// has checked are in range. An environment whose last step ended its episode begins the next one instead.
    ///
    /// Returns the first environment that could not draw its next MDP, with why; the others are stepped all the
    /// same, and that one tries again at its next step. O(count · (view² + fun)).
    func step(_ actions: UnsafePointer<Int64>) -> (index: Int, problem: ScenarioProblem)? {
        var failure: (Int, ScenarioProblem)?
        for i in 0..<count {
            if episodeOver[i] {
                do {
                    try beginEpisode(i)
                } catch {
                    if failure == nil { failure = (i, error) }
                }
                continue
            }
            let action = ActionPair(TaskAction(rawValue: UInt8(truncatingIfNeeded: actions[2 &* i])) ?? .stay,
                                    PlayAction(rawValue: UInt8(truncatingIfNeeded: actions[2 &* i &+ 1])) ?? .none)
            if funReadsBefore { keepBefore(i) }
            let transition = worlds[i].step(action)
            var reward = transition.taskReward
            if components > 0 {
                let after = worlds[i].world
                let input = FunInput(before: funReadsBefore ? before[i] : after, action: action, transition: transition,
                                     after: after)
                let base = i &* components
                for m in 0..<components {
                    let value = weights[m] * fun[i][m].reward(input)
                    lastFun[base &+ m] = value
                    reward += value
                }
            }
            lastActions[i] = action
            lastTransitions[i] = transition
            stepsTaken[i] &+= 1
            episodeOver[i] = transition.isLast
            write(i, transition: transition, reward: reward)
        }
        return failure
    }

    /// Copies environment i's world into `before[i]`, in place while the MDP stays the same. O(cells).
    private func keepBefore(_ i: Int) {
        let now = worlds[i].world
        guard before[i].rules === now.rules else {
            before[i] = now
            return
        }
        before[i].state.body = now.state.body
        before[i].state.step = now.state.step
        before[i].state.episode = now.state.episode
        before[i].state.collected = now.state.collected
        before[i].state.respawns.removeAll(keepingCapacity: true)
        before[i].state.respawns.append(contentsOf: now.state.respawns)
        before[i].state.cells.withUnsafeMutableBufferPointer { cells in
            now.state.cells.withUnsafeBufferPointer { _ = cells.update(fromContentsOf: $0) }
        }
    }

    // MARK: Outputs

    /// Caller-owned buffers the batch writes into after every reset and step; nil ones are skipped.
    struct Outputs {
        var image: UnsafeMutablePointer<UInt8>?
        var carrying: UnsafeMutablePointer<UInt8>?
        var position: UnsafeMutablePointer<Int64>?
        var direction: UnsafeMutablePointer<Int64>?
        var energy: UnsafeMutablePointer<Int64>?
        var reward: UnsafeMutablePointer<Float>?
        var taskReward: UnsafeMutablePointer<Float>?
        var fun: UnsafeMutablePointer<Float>?
        var terminated: UnsafeMutablePointer<UInt8>?
        var truncated: UnsafeMutablePointer<UInt8>?
        var succeeded: UnsafeMutablePointer<UInt8>?
        var events: UnsafeMutablePointer<UInt64>?
        var trial: UnsafeMutablePointer<Int64>?
        var episode: UnsafeMutablePointer<Int64>?
        var step: UnsafeMutablePointer<Int64>?
        var context: UnsafeMutablePointer<Int64>?
    }

    /// Writes environment i's observation and the outcome of its last step (or episode start) to the outputs.
    /// `fun`: copy the last step's fun components (else zeros).
    private func write(_ i: Int, transition t: Transition, reward: Float, fun withFun: Bool = true) {
        let o = outputs
        let world = worlds[i].world
        let cells = imageSize
        observation.withUnsafeMutableBufferPointer { raw in
            world.observe(into: raw)
            if let image = o.image { (image + i &* cells).update(from: raw.baseAddress!, count: cells) }
            if let carrying = o.carrying {
                carrying[2 &* i] = raw[cells]
                carrying[2 &* i &+ 1] = raw[cells &+ 1]
            }
            o.direction?[i] = Int64(raw[cells &+ 2])
            o.energy?[i] = Int64(raw[cells &+ 3])
        }
        if let position = o.position {
            let at = world.agentPosition
            position[2 &* i] = Int64(at.x)
            position[2 &* i &+ 1] = Int64(at.y)
        }
        o.reward?[i] = reward
        o.taskReward?[i] = t.taskReward
        if let out = o.fun, components > 0 {
            if withFun {
                lastFun.withUnsafeBufferPointer { (out + i &* components).update(from: $0.baseAddress! + i &* components, count: components) }
            } else {
                (out + i &* components).update(repeating: 0, count: components)
            }
        }
        o.terminated?[i] = t.terminated ? 1 : 0
        o.truncated?[i] = t.truncated ? 1 : 0
        o.succeeded?[i] = t.succeeded ? 1 : 0
        o.events?[i] = UInt64(t.events.rawValue)
        o.trial?[i] = Int64(worlds[i].trial)
        o.episode?[i] = Int64(worlds[i].episode)
        o.step?[i] = Int64(world.state.step)
        if let context = o.context {
            var value: Int64 = -1
            for m in fun[i].indices { if let c = fun[i][m].policyContext { value = Int64(c) } }
            context[i] = value
        }
    }

    /// Writes every environment's current observation and counters to the outputs, with no reward and no events
    /// (after new buffers are bound).
    func writeAll() {
        for i in 0..<count { write(i, transition: Transition(), reward: 0, fun: false) }
    }
}
