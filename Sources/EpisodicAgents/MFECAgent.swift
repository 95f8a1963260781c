import Agents
import GridWorld

/// Model-free episodic control (Blundell et al. 2016, `mfec`): it remembers the best return that followed each
/// situation and action, and acts on those memories.
///
/// A situation's key is a fixed Gaussian random projection (`keySize`, 64 by default) of the observation's
/// features. Each action keeps an `EpisodicMemory` of (key, value); at the end of an episode every step's
/// discounted Monte-Carlo return R is written as Q ← max(Q, R), so the best outcome ever seen from there is kept.
/// A key not in memory is valued at the mean of its k (11 by default) nearest stored keys. Memories evict the
/// key used longest ago at `capacity` (100k by default). ε-greedy; it learns online while it runs, and remembers
/// across trials (as `q` does).
///
/// Among equal values it takes the action it took least recently from that situation (`ActionRecency`), and among
/// those it keeps going the way it went (`ActionValues.greedy`). Back in a situation it already acted from this
/// episode, it values the action it took then at most γ × its best other (`ActionValues.valueRepeats`): its values
/// change only at the episode's end, so taking it again would walk the same circle.
///
/// Task and fun are kept apart as `QAgent` keeps them: the task return is remembered per task half (play does
/// nothing for the task by the simulator's definition, so a play step is worth what standing still is) and the
/// weighted fun return per whole pair, discounted at γ_F; a pair is worth their sum, equal values go to a pair
/// without play, and a run without fun keeps no fun memories and explores only pairs without play — a fun-free
/// MFEC never plays.
public struct MFECAgent: Agent {
    public let name = "mfec"
    public let keySize: Int
    /// Keys kept per memory before the one used longest ago is evicted.
    public let capacity: Int
    /// ε of ε-greedy.
    public var exploration: Double
    /// γ of the task returns.
    public var discount: Float
    /// γ of the fun returns.
    public var funDiscount: Float
    /// Whether the run pays fun (the fun spec's optimism weight is above 0).
    public let learnsFun: Bool

    var projection: RandomProjection?
    /// By `TaskAction.rawValue`.
    public private(set) var taskMemories: [EpisodicMemory] = []
    /// By index in `actions`; empty without fun.
    public private(set) var funMemories: [EpisodicMemory] = []
    var actions: [ActionPair] = []
    var features = ObservedFeatures()
    var neighbours: Neighbours
    /// This step's key, and the value and last-taken time of each task half (by `TaskAction.rawValue`) and pair.
    var key: ContiguousArray<Float>
    var taskValues = ContiguousArray<Float>(repeating: 0, count: TaskAction.count)
    var taskTaken = ContiguousArray<UInt64>(repeating: 0, count: TaskAction.count)
    var pairValues: ContiguousArray<Float> = []
    var pairTaken: ContiguousArray<UInt64> = []
    var recency: ActionRecency
    var episode: EpisodeRecord

    /// `funWeight` is the fun spec's `optimismWeight` (0 when the run has no fun).
    public init(funWeight: Float, keySize: Int = 64, neighbours: Int = 11, capacity: Int = 100_000,
                exploration: Double = 0.05, discount: Float = 0.99, funDiscount: Float = 0.95) {
        self.keySize = keySize
        self.capacity = capacity
        self.exploration = exploration
        self.discount = discount
        self.funDiscount = funDiscount
        learnsFun = funWeight > 0
        key = ContiguousArray(repeating: 0, count: keySize)
        self.neighbours = Neighbours(k: neighbours)
        recency = ActionRecency(limit: capacity * TaskAction.count)
        episode = EpisodeRecord(keySize: keySize)
    }

    /// k of the k-nearest-neighbour estimate for keys not in memory.
    public var k: Int { neighbours.k }

    public mutating func beginTrial(_ world: World) {
        let list = world.rules.distinctActions
        if taskMemories.isEmpty || list != actions {
            actions = list
            taskMemories = Array(repeating: EpisodicMemory(keySize: keySize, capacity: capacity), count: TaskAction.count)
            funMemories = learnsFun ? Array(repeating: EpisodicMemory(keySize: keySize, capacity: capacity), count: list.count) : []
            pairValues = ContiguousArray(repeating: 0, count: list.count)
            pairTaken = ContiguousArray(repeating: 0, count: list.count)
        }
        startEpisode(steps: world.rules.maxSteps)
    }

    public mutating func beginEpisode(_ world: World) { startEpisode(steps: world.rules.maxSteps) }

    mutating func startEpisode(steps: Int) {
        episode.begin(at: recency.clock, steps: steps)
    }

    /// Sets `key` to the projection of `world`'s observation, drawing the projection from `rng` the first time
    /// (so it is fixed for the run and set by its seed).
    mutating func project(_ world: World, rng: inout SplitMix64) {
        features.encode(world)
        if projection == nil {
            var draw = rng.split()
            projection = RandomProjection(inputSize: features.values.count, outputSize: keySize, rng: &draw)
        }
        features.values.withUnsafeBufferPointer { x in
            key.withUnsafeMutableBufferPointer { projection!.project(x, into: $0) }
        }
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        if taskMemories.isEmpty { beginTrial(world) }
        project(world, rng: &rng)
        let h = key.withUnsafeBufferPointer { EpisodicMemory.hash($0) }
        var nearest = Float.infinity
        key.withUnsafeBufferPointer { key in
            for task in TaskAction.allCases {
                let t = Int(task.rawValue)
                let read = taskMemories[t].read(key, neighbours: &neighbours)
                taskValues[t] = read?.value ?? 0
                nearest = min(nearest, read?.nearest ?? .infinity)
                taskTaken[t] = recency.lastTaken(h, task)
            }
            ActionValues.valueRepeats(&taskValues, lastTaken: taskTaken, after: episode.start, discount: discount)
            for (i, pair) in actions.enumerated() {
                let t = Int(pair.task.rawValue)
                pairValues[i] = taskValues[t] + (learnsFun ? funMemories[i].estimate(key, neighbours: &neighbours) ?? 0 : 0)
                pairTaken[i] = taskTaken[t]
            }
        }
        let best = pairValues.withUnsafeBufferPointer { v in
            pairTaken.withUnsafeBufferPointer { ActionValues.greedy(v, lastTaken: $0, keepGoing: episode.lastAction.map { actions[$0].task },
                                                     actions: actions, rng: &rng) }
        }
        let a = exploration > 0 && rng.chance(exploration) ? ActionValues.explore(actions: actions, play: learnsFun, rng: &rng) : best
        recency.take(h, actions[a].task)
        episode.decided(key, action: a)
        let size = taskMemories.reduce(0) { $0 + $1.count } + funMemories.reduce(0) { $0 + $1.count }
        return Decision(actions[a], value: pairValues[best],
                        memory: Decision.Memory(taskValues: Array(taskValues), size: size,
                                                nearest: nearest.isFinite ? nearest.squareRoot() : nil))
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        guard episode.awaitsRewards else { return }
        episode.rewarded(reward)
        if transition.isLast {
            learnEpisode()
            startEpisode(steps: episode.count)
        }
    }

    /// Writes every step's Monte-Carlo returns as Q ← max(Q, R), last step first, each used when it was taken.
    /// O(steps·keySize) expected.
    mutating func learnEpisode() {
        var task: Float = 0, fun: Float = 0
        for t in stride(from: episode.count - 1, through: 0, by: -1) {
            task = episode.task[t] + discount * task
            fun = episode.fun[t] + funDiscount * fun
            let a = Int(episode.actions[t]), time = episode.time(of: t)
            episode.withKey(of: t) { key in
                Self.remember(task, under: key, at: time, in: &taskMemories[Int(actions[a].task.rawValue)])
                if learnsFun { Self.remember(fun, under: key, at: time, in: &funMemories[a]) }
            }
        }
    }

    /// Remembers that taking `task` where `world` stands was worth `value` (Q ← max(Q, R)), as an episode's end
    /// would: for tools that fill a memory without playing episodes (the `bench` measurement at 100k keys).
    public mutating func memorise(_ world: World, taking task: TaskAction, value: Float, rng: inout SplitMix64) {
        if taskMemories.isEmpty { beginTrial(world) }
        project(world, rng: &rng)
        let time = recency.clock
        key.withUnsafeBufferPointer { Self.remember(value, under: $0, at: time, in: &taskMemories[Int(task.rawValue)]) }
    }

    /// The key `world`'s situation is remembered under, as `decide` makes it: for tools that read the memories
    /// directly (the `bench` comparison of the index with the scan).
    public mutating func key(of world: World, rng: inout SplitMix64) -> [Float] {
        if taskMemories.isEmpty { beginTrial(world) }
        project(world, rng: &rng)
        return Array(key)
    }

    /// Q ← max(Q, R) for a stored key, else a new memory of R.
    static func remember(_ value: Float, under key: UnsafeBufferPointer<Float>, at time: UInt64, in memory: inout EpisodicMemory) {
        let stored = memory.slot(of: key).map { memory.value(at: $0) } ?? -.infinity
        memory.write(key, value: max(stored, value), at: time)
    }
}
