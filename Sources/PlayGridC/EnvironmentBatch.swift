import Foundation
import Fun
import GridWorld

/// N trial worlds of one scenario, each with its own fun models, stepped together into buffers their caller
/// owns: what the C ABI opens, and what a Gymnasium vector environment steps in one call.
///
/// Environment i started with seed s is exactly `playgrid run SCENARIO --seed s` (the same worlds, the same fun
/// models, seeded alike), so a run through the ABI and a run through the command line can be compared step for
/// step. Episodes end as Gymnasium's next-step autoreset wants: after a step that ended its episode, the next
/// step of that environment ignores its action and begins the next episode (or trial); `beginEpisode` does the
/// same at once, as a single environment's `reset()` does.
///
/// Steps allocate nothing, except when a new trial of a varying family draws a new MDP (its grid) and whatever a
/// fun model other than delight allocates itself. Not thread-safe: the ABI serialises calls on a batch with `lock`,
/// which is also why the hot state skips Swift's dynamic exclusivity checks.
final class EnvironmentBatch {
    let scenario: Scenario
    /// What the caller named the scenario (a shipped name or a path): tapes show it.
    let origin: String
    let funSpec: FunSpec
    let count: Int
    /// Fun components per environment, in the spec's order.
    let components: Int
    /// Bytes of one environment's image (the egocentric window, three bytes a cell).
    let imageSize: Int
    @exclusivity(unchecked) private(set) var environments: ContiguousArray<Environment>
    /// Weighted fun of each environment's last step, `count · components`.
    @exclusivity(unchecked) private(set) var lastFun: ContiguousArray<Float>
    /// Each fun component's weight.
    private let weights: ContiguousArray<Float>
    /// One environment's raw observation (`ObservationLayout`), split into the image and the body's buffers.
    @exclusivity(unchecked) private var observation: ContiguousArray<UInt8>
    @exclusivity(unchecked) var outputs = Outputs()
    /// Serialises the ABI's calls on this batch; set when the caller closed it (a tape may outlive its handle).
    let lock = NSLock()
    var isClosed = false

    /// Opens one environment per seed; environment i starts from `seeds[i]`.
    init(scenario: Scenario, origin: String, funSpec: FunSpec, seeds: [UInt64]) throws(ScenarioProblem) {
        self.scenario = scenario
        self.origin = origin
        self.funSpec = funSpec
        count = seeds.count
        components = funSpec.terms.count
        imageSize = scenario.viewSize * scenario.viewSize * 3
        // Whether a fun model reads the worlds of a step; delight reads only its events.
        let readsWorlds = funSpec.terms.contains { $0.model != "delight" }
        var environments = ContiguousArray<Environment>()
        environments.reserveCapacity(seeds.count)
        for seed in seeds {
            environments.append(try Environment(scenario: scenario, funSpec: funSpec, seed: seed, keepsWorlds: readsWorlds))
        }
        self.environments = environments
        lastFun = ContiguousArray(repeating: 0, count: seeds.count * funSpec.terms.count)
        weights = ContiguousArray(funSpec.terms.map(\.weight))
        observation = ContiguousArray(repeating: 0, count: ObservationLayout.size(viewSize: scenario.viewSize))
    }

    // MARK: Resetting

    /// Restarts environment i from `seed`: a new trial world and new fun models, as a new `playgrid run --seed`.
    func reset(_ i: Int, seed: UInt64) throws(ScenarioProblem) {
        let resets = environments[i].resets
        environments[i] = try Environment(scenario: scenario, funSpec: funSpec, seed: seed,
                                          keepsWorlds: environments[i].keepsWorlds)
        environments[i].resets = resets &+ 1
        writeStart(i)
    }

    /// Begins environment i's next episode (or trial) now, whether or not its episode had ended.
    func beginEpisode(_ i: Int) throws(ScenarioProblem) {
        try environments[i].beginEpisode()
        writeStart(i)
    }

    /// Fills environment i's outputs for the first observation of an episode: no reward, no events.
    private func writeStart(_ i: Int) {
        environments.withUnsafeMutableBufferPointer { environments in
            lastFun.withUnsafeMutableBufferPointer { lastFun in
                let fun = components == 0 ? nil : lastFun.baseAddress! + i &* components
                if let fun { fun.update(repeating: 0, count: components) }
                write(i, environments.baseAddress! + i, transition: Transition(), reward: 0, fun: fun)
            }
        }
    }

    // MARK: Stepping

    /// Steps every environment with its ⟨task, play⟩ pair, `actions[2i]` and `actions[2i + 1]`, which the caller
    /// has checked are in range. An environment whose last step ended its episode begins the next one instead.
    ///
    /// Returns the first environment that could not draw its next MDP, with why; the others are stepped all the
    /// same, and that one tries again at its next step. O(count · (view² + fun)).
    func step(_ actions: UnsafePointer<Int64>) -> (index: Int, problem: ScenarioProblem)? {
        var failure: (Int, ScenarioProblem)?
        let components = components
        environments.withUnsafeMutableBufferPointer { environments in
            lastFun.withUnsafeMutableBufferPointer { lastFun in
                weights.withUnsafeBufferPointer { weights in
                    for i in 0..<count {
                        let environment = environments.baseAddress! + i
                        let fun = components == 0 ? nil : lastFun.baseAddress! + i &* components
                        if environment.pointee.episodeOver {
                            do throws(ScenarioProblem) {
                                try environment.pointee.beginEpisode()
                                if let fun { fun.update(repeating: 0, count: components) }
                                write(i, environment, transition: Transition(), reward: 0, fun: fun)
                            } catch {
                                if failure == nil { failure = (i, error) }
                            }
                            continue
                        }
                        let action = ActionPair(TaskAction(rawValue: UInt8(truncatingIfNeeded: actions[2 &* i])) ?? .stay,
                                                PlayAction(rawValue: UInt8(truncatingIfNeeded: actions[2 &* i &+ 1])) ?? .none)
                        let (transition, reward) = environment.pointee.step(action, weights: weights, fun: fun)
                        write(i, environment, transition: transition, reward: reward, fun: fun)
                    }
                }
            }
        }
        return failure
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

        mutating func bind(_ buffer: OutputBuffer, _ data: UnsafeMutableRawPointer?) {
            switch buffer {
            case .image: image = data?.assumingMemoryBound(to: UInt8.self)
            case .carrying: carrying = data?.assumingMemoryBound(to: UInt8.self)
            case .position: position = data?.assumingMemoryBound(to: Int64.self)
            case .direction: direction = data?.assumingMemoryBound(to: Int64.self)
            case .energy: energy = data?.assumingMemoryBound(to: Int64.self)
            case .reward: reward = data?.assumingMemoryBound(to: Float.self)
            case .taskReward: taskReward = data?.assumingMemoryBound(to: Float.self)
            case .fun: fun = data?.assumingMemoryBound(to: Float.self)
            case .terminated: terminated = data?.assumingMemoryBound(to: UInt8.self)
            case .truncated: truncated = data?.assumingMemoryBound(to: UInt8.self)
            case .succeeded: succeeded = data?.assumingMemoryBound(to: UInt8.self)
            case .events: events = data?.assumingMemoryBound(to: UInt64.self)
            case .trial: trial = data?.assumingMemoryBound(to: Int64.self)
            case .episode: episode = data?.assumingMemoryBound(to: Int64.self)
            case .step: step = data?.assumingMemoryBound(to: Int64.self)
            case .context: context = data?.assumingMemoryBound(to: Int64.self)
            }
        }
    }

    /// Writes environment i's observation and the outcome of its last step (or episode start) to the outputs;
    /// `fun` holds its weighted fun components (nil: zeros).
    private func write(_ i: Int, _ environment: UnsafePointer<Environment>, transition t: Transition, reward: Float,
                       fun: UnsafePointer<Float>?) {
        let o = outputs
        let cells = imageSize
        observation.withUnsafeMutableBufferPointer { raw in
            environment.pointee.trialWorld.world.observe(into: raw)
            if let image = o.image { (image + i &* cells).update(from: raw.baseAddress!, count: cells) }
            if let carrying = o.carrying {
                carrying[2 &* i] = raw[cells]
                carrying[2 &* i &+ 1] = raw[cells &+ 1]
            }
            o.direction?[i] = Int64(raw[cells &+ 2])
            o.energy?[i] = Int64(raw[cells &+ 3])
        }
        if let position = o.position {
            let at = environment.pointee.trialWorld.world.agentPosition
            position[2 &* i] = Int64(at.x)
            position[2 &* i &+ 1] = Int64(at.y)
        }
        o.reward?[i] = reward
        o.taskReward?[i] = t.taskReward
        if let out = o.fun, components > 0 {
            if let fun {
                (out + i &* components).update(from: fun, count: components)
            } else {
                (out + i &* components).update(repeating: 0, count: components)
            }
        }
        o.terminated?[i] = t.terminated ? 1 : 0
        o.truncated?[i] = t.truncated ? 1 : 0
        o.succeeded?[i] = t.succeeded ? 1 : 0
        o.events?[i] = t.events.bits
        o.trial?[i] = Int64(environment.pointee.trialWorld.trial)
        o.episode?[i] = Int64(environment.pointee.trialWorld.episode)
        o.step?[i] = Int64(environment.pointee.trialWorld.world.state.step)
        if let context = o.context { context[i] = environment.pointee.policyContext }
    }

    /// Writes every environment's current observation and counters to the outputs, with no reward and no events
    /// (after new buffers are bound).
    func writeAll() {
        environments.withUnsafeMutableBufferPointer { environments in
            for i in 0..<count { write(i, environments.baseAddress! + i, transition: Transition(), reward: 0, fun: nil) }
        }
    }
}

/// The output buffers of playgrid.h (`PG_BUFFER_*`, numbered in this order).
enum OutputBuffer: Int32, CaseIterable, CustomStringConvertible {
    case image, carrying, position, direction, energy, reward, taskReward, fun, terminated, truncated, succeeded, events
    case trial, episode, step, context

    /// Elements per environment, and bytes per element.
    func layout(_ batch: EnvironmentBatch) -> (elements: Int, size: Int) {
        switch self {
        case .image: (batch.imageSize, 1)
        case .carrying: (2, 1)
        case .position: (2, 8)
        case .direction, .energy, .events, .trial, .episode, .step, .context: (1, 8)
        case .reward, .taskReward: (1, 4)
        case .fun: (batch.components, 4)
        case .terminated, .truncated, .succeeded: (1, 1)
        }
    }

    var description: String {
        ["image", "carrying", "position", "direction", "energy", "reward", "task reward", "fun", "terminated",
         "truncated", "succeeded", "events", "trial", "episode", "step", "context"][Int(rawValue)]
    }
}

/// One environment of a batch: a trial world, its fun models, and what its last step was.
struct Environment {
    var trialWorld: TrialWorld
    /// The fun models, in the spec's order; empty when `delight` holds the only one.
    var fun: [any FunModel]
    /// Delight when it is the spec's only model (the default fun), held as itself: its step reads the events alone,
    /// with no `FunInput` written and no call through `any FunModel` (a tenth of a batch step's instructions).
    var delight: Delight?
    /// The seed it was last reset with (its tape's seed).
    let seed: UInt64
    /// What the fun models are shown each step, kept from step to step. Its worlds are copies refreshed in place,
    /// not shares of the trial world's grid: handing each step fresh copies costs a dozen reference counts, and a
    /// share would make the next step copy its grid (a copy-on-write allocation).
    var input: FunInput
    /// Whether a fun model reads the worlds before and after a step. Delight reads only the step's events, so
    /// with delight alone the worlds are not copied at all (a third of a step's cost).
    let keepsWorlds: Bool
    /// The last step ended its episode: the next step begins the next one instead.
    var episodeOver = false
    /// Steps taken since the last reset with a seed, and how many such resets there were (a tape checks that
    /// it records every step of one run).
    var stepsTaken = 0
    var resets = 0
    var lastAction = ActionPair(.stay)
    var lastTransition = Transition()
    /// What a fun model asks the policy to condition on this episode (DIAYN's skill), -1 for none.
    private(set) var policyContext: Int64 = -1

    /// A trial world and fun models seeded as `Session` seeds them, told that a trial and an episode begin.
    init(scenario: Scenario, funSpec: FunSpec, seed: UInt64, keepsWorlds: Bool) throws(ScenarioProblem) {
        trialWorld = try TrialWorld(scenario: scenario, seed: seed)
        fun = funSpec.makeModels(for: scenario, seed: seed)
        if fun.count == 1, let only = fun[0] as? Delight {
            delight = only
            fun = []
        }
        self.seed = seed
        self.keepsWorlds = keepsWorlds
        input = FunInput(before: trialWorld.world, action: ActionPair(.stay), transition: Transition(), after: trialWorld.world)
        for m in fun.indices { fun[m].beginFirstEpisode() }
        delight?.beginFirstEpisode()
        startEpisode()
    }

    /// Begins the next episode or trial, telling the fun models in the order `Session` does.
    mutating func beginEpisode() throws(ScenarioProblem) {
        episodeOver = false
        let newTrial = try trialWorld.beginNextEpisode()
        for m in fun.indices { fun[m].beginNextEpisode(newTrial: newTrial) }
        delight?.beginNextEpisode(newTrial: newTrial)
        startEpisode()
    }

    /// Lets every fun model start its episode, and notes what they ask the policy to condition on.
    private mutating func startEpisode() {
        policyContext = -1
        for m in fun.indices {
            fun[m].startEpisode()
            if let context = fun[m].policyContext { policyContext = Int64(context) }
        }
        delight?.startEpisode()
    }

    /// One step: the world's transition and the total reward; each weighted fun component goes to `funOut`.
    mutating func step(_ action: ActionPair, weights: UnsafeBufferPointer<Float>, fun funOut: UnsafeMutablePointer<Float>?)
        -> (Transition, Float) {
        if keepsWorlds { input.before.copyState(of: trialWorld.world) }
        let transition = trialWorld.step(action)
        var reward = transition.taskReward
        if let funOut {
            if let value = delight?.reward(transition.events) {
                funOut[0] = weights[0] * value
                reward += funOut[0]
            } else {
                if keepsWorlds { input.after.copyState(of: trialWorld.world) }
                input.action = action
                input.transition = transition
                for m in fun.indices {
                    let value = weights[m] * fun[m].reward(input)
                    funOut[m] = value
                    reward += value
                }
            }
        }
        lastAction = action
        lastTransition = transition
        stepsTaken &+= 1
        episodeOver = transition.isLast
        return (transition, reward)
    }
}
