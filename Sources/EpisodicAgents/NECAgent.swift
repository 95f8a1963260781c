import Agents
import GridWorld

/// Neural episodic control (Pritzel et al. 2017, `nec`): a learned embedding of the observation, and per action
/// a differentiable neural dictionary of (embedding, value) read as a kernel average over its p = 50 nearest keys.
///
/// Each step's N-step target (the rewards of the next `horizon` steps, then the discounted value of the greedy
/// pair where they end; none past the episode's end) is written to the dictionary of the action taken, as a
/// table would: a key already there moves its value by α = 0.1 toward the target, a new key is stored with it. The
/// same (features, action, target) goes to a replay buffer, from which every `trainEvery` steps a minibatch trains
/// the embedding by the squared error of the lookups, the gradient flowing through the kernel into the network
/// (the stored keys and values held fixed). It learns online while it runs and remembers across trials.
///
/// Task and fun are kept apart and ties broken as `MFECAgent` does: task values per task half, weighted fun per
/// pair (only when the run has fun), the least recently taken action first among equals (`ActionRecency`), then the
/// way it went, and a fun-free NEC never plays. Like MFEC it values an action it already took from the same
/// situation this episode at most γ × its best other (`ActionValues.valueRepeats`): its writes come `horizon` steps
/// late, so a shorter circle would otherwise repeat unchanged.
public struct NECAgent: Agent {
    public let name = "nec"
    public struct Settings: Hashable, Sendable {
        public var keySize = 32
        public var hiddenSize = 64
        /// p: the neighbours a lookup averages over.
        public var neighbours = 50
        /// δ of the kernel 1/(‖h − hᵢ‖² + δ).
        public var delta: Float = 1e-3
        /// Keys kept per dictionary before the one used longest ago is evicted.
        public var capacity = 100_000
        /// N of the N-step targets (at γ 0.99, in room-9's tuning seeds 101–130, 30 learnt fastest of 10, 20, 30, 50
        /// and 100; at γ 0.9, 10 and 30 alike).
        public var horizon = 30
        /// α of the tabular writes.
        public var writeRate: Float = 0.1
        /// γ of the task values: shorter-sighted than MFEC's 0.99, because a bootstrapped value feeds itself. A no-op
        /// (use, stay) tried beside the path to a goal is worth γ·V(s), as much as the move on, while the moves not yet
        /// seen to lead anywhere read 0; looping on it, its target is γᴺ times its own value, which at 0.99 kept it on top
        /// for whole episodes. In room-9 (tuning seeds 101–130) the median reached 0.8 × greedy at episode 7 with 0.9,
        /// 9 with 0.95 and 0.8, 14 with 0.99; since repeats are capped (`valueRepeats`) and ties keep going, both reach
        /// it at episode 1, but 0.99 levels off at 0.85–0.87 from episode 4 where 0.9 holds 0.88.
        public var discount: Float = 0.9
        public var funDiscount: Float = 0.95
        /// ε of ε-greedy.
        public var exploration = 0.05
        public var replayCapacity = 10_000
        public var batchSize = 32
        public var trainEvery = 4
        public var learningRate: Float = 1e-3
        public init() {}
    }
    public let settings: Settings
    public let learnsFun: Bool

    var encoder: SituationEncoder?
    var trainingRNG = SplitMix64(seed: 0)
    /// By `TaskAction.rawValue`; the fun ones by index in `actions`, empty without fun.
    public private(set) var taskDictionaries: [DifferentiableDictionary] = []
    public private(set) var funDictionaries: [DifferentiableDictionary] = []
    var actions: [ActionPair] = []
    var features = ObservedFeatures()
    var neighbours: Neighbours
    /// The squared distance from the last evaluated embedding to the nearest stored key, over the task dictionaries.
    var nearest: Float = .infinity
    var recency: ActionRecency
    var replay: Replay?
    var taskValues = ContiguousArray<Float>(repeating: 0, count: TaskAction.count)
    var funValues: ContiguousArray<Float> = []
    var pairValues: ContiguousArray<Float> = []
    var pairTaken: ContiguousArray<UInt64> = []
    var taskTaken = ContiguousArray<UInt64>(repeating: 0, count: TaskAction.count)
    /// The running episode (its keys are the embeddings acted on), and per step its features and the values (task,
    /// fun) of the greedy pair where it began: what an N-step target ending there adds.
    var episode: EpisodeRecord
    var episodeFeatures: ContiguousArray<Float> = []
    var episodeTaskBootstrap: ContiguousArray<Float> = []
    var episodeFunBootstrap: ContiguousArray<Float> = []
    /// Steps of the episode whose targets are written.
    var written = 0
    /// Minibatch scratch: features, and ∂L/∂key of each row.
    var batchFeatures: ContiguousArray<Float> = []
    var batchGradients: ContiguousArray<Float> = []
    var batchRows: ContiguousArray<Int32> = []

    /// `funWeight` is the fun spec's `optimismWeight` (0 when the run has no fun).
    public init(funWeight: Float, settings: Settings = Settings()) {
        self.settings = settings
        learnsFun = funWeight > 0
        neighbours = Neighbours(k: settings.neighbours)
        recency = ActionRecency(limit: settings.capacity * TaskAction.count)
        episode = EpisodeRecord(keySize: settings.keySize)
    }

    public mutating func beginTrial(_ world: World) {
        let list = world.rules.distinctActions
        if taskDictionaries.isEmpty || list != actions {
            actions = list
            let dictionary = DifferentiableDictionary(keySize: settings.keySize, capacity: settings.capacity, delta: settings.delta)
            taskDictionaries = Array(repeating: dictionary, count: TaskAction.count)
            funDictionaries = learnsFun ? Array(repeating: dictionary, count: list.count) : []
            funValues = ContiguousArray(repeating: 0, count: list.count)
            pairValues = ContiguousArray(repeating: 0, count: list.count)
            pairTaken = ContiguousArray(repeating: 0, count: list.count)
        }
        forgetEpisode(steps: world.rules.maxSteps)
    }

    public mutating func beginEpisode(_ world: World) { forgetEpisode(steps: world.rules.maxSteps) }

    /// Starts an empty episode record with room for `steps` steps.
    mutating func forgetEpisode(steps: Int) {
        episode.begin(at: recency.clock, steps: steps)
        episodeFeatures.removeAll(keepingCapacity: true)
        episodeTaskBootstrap.removeAll(keepingCapacity: true)
        episodeFunBootstrap.removeAll(keepingCapacity: true)
        episodeFeatures.reserveCapacity(steps * features.values.count)
        episodeTaskBootstrap.reserveCapacity(steps)
        episodeFunBootstrap.reserveCapacity(steps)
        written = 0
    }

    /// Values every pair at the embedding of the observation in `features` (just encoded); the embedding is the
    /// first row of `encoder.output`. O(dictionary size · keySize) per action.
    mutating func evaluate() {
        features.values.withUnsafeBufferPointer { encoder!.forward($0, rows: 1) }
        encoder!.output.withUnsafeBufferPointer { out in
            let h = UnsafeBufferPointer(rebasing: out[0..<settings.keySize])
            nearest = .infinity
            for t in 0..<TaskAction.count {
                taskValues[t] = taskDictionaries[t].value(at: h, neighbours: &neighbours) ?? 0
                if neighbours.found > 0 { nearest = min(nearest, neighbours.distances[0]) }
            }
            for (i, pair) in actions.enumerated() {
                funValues[i] = learnsFun ? funDictionaries[i].value(at: h, neighbours: &neighbours) ?? 0 : 0
                pairValues[i] = taskValues[Int(pair.task.rawValue)] + funValues[i]
            }
        }
    }

    /// The (task, fun) values of the pair of highest value, after `evaluate`.
    var greedyValues: (task: Float, fun: Float) {
        var best = 0
        for i in actions.indices where pairValues[i] > pairValues[best] { best = i }
        return (taskValues[Int(actions[best].task.rawValue)], funValues[best])
    }

    public mutating func decide(_ world: World, rng: inout SplitMix64) -> Decision {
        if taskDictionaries.isEmpty { beginTrial(world) }
        features.encode(world)
        if encoder == nil {
            var draw = rng.split()
            encoder = SituationEncoder(inputSize: features.values.count, hiddenSize: settings.hiddenSize, outputSize: settings.keySize,
                                       learningRate: settings.learningRate, rng: &draw)
            trainingRNG = rng.split()
            replay = Replay(featureSize: features.values.count, capacity: settings.replayCapacity)
        }
        evaluate()
        let bootstrap = greedyValues
        let situation = features.values.withUnsafeBufferPointer { EpisodicMemory.hash($0) }
        for t in 0..<TaskAction.count { taskTaken[t] = recency.lastTaken(situation, TaskAction(rawValue: UInt8(t))!) }
        ActionValues.valueRepeats(&taskValues, lastTaken: taskTaken, after: episode.start, discount: settings.discount)
        for i in actions.indices {
            let t = Int(actions[i].task.rawValue)
            pairValues[i] = taskValues[t] + funValues[i]
            pairTaken[i] = taskTaken[t]
        }
        let best = pairValues.withUnsafeBufferPointer { v in
            pairTaken.withUnsafeBufferPointer {
                ActionValues.greedy(v, lastTaken: $0, keepGoing: episode.lastAction.map { actions[$0].task }, actions: actions, rng: &rng)
            }
        }
        let a = rng.chance(settings.exploration) ? ActionValues.explore(actions: actions, play: learnsFun, rng: &rng) : best
        recency.take(situation, actions[a].task)
        episodeFeatures.append(contentsOf: features.values)
        episode.decided(encoder!.output[0..<settings.keySize], action: a)
        episodeTaskBootstrap.append(bootstrap.task)
        episodeFunBootstrap.append(bootstrap.fun)
        // This step's start ends the N-step target of the step `horizon` before it.
        let now = episodeTaskBootstrap.count - 1
        if now - written >= settings.horizon {
            writeTarget(of: written, steps: now - written, bootstrap: (episodeTaskBootstrap[now], episodeFunBootstrap[now]))
        }
        if recency.clock % UInt64(settings.trainEvery) == 0 && replay!.count >= settings.batchSize { train() }
        let size = taskDictionaries.reduce(0) { $0 + $1.memory.count } + funDictionaries.reduce(0) { $0 + $1.memory.count }
        return Decision(actions[a], value: pairValues[best],
                        memory: Decision.Memory(taskValues: Array(taskValues), size: size,
                                                nearest: nearest.isFinite ? nearest.squareRoot() : nil))
    }

    public mutating func observe(_ transition: Transition, reward: StepReward, world: World) {
        guard episode.awaitsRewards else { return }
        episode.rewarded(reward)
        guard transition.isLast else { return }
        // Past the end nothing more is paid; an episode cut short by time bootstraps from where it stopped.
        var end: (task: Float, fun: Float) = (0, 0)
        if !transition.terminated {
            features.encode(world)
            evaluate()
            end = greedyValues
        }
        let steps = episode.count
        while written < steps { writeTarget(of: written, steps: steps - written, bootstrap: end) }
        forgetEpisode(steps: world.rules.maxSteps)
    }

    /// Writes step `i`'s target, from the rewards of `steps` steps and `bootstrap` where they end, to the
    /// dictionaries of its action and to the replay buffer. O(steps + dictionary write).
    mutating func writeTarget(of i: Int, steps: Int, bootstrap: (task: Float, fun: Float)) {
        var task = bootstrap.task, fun = bootstrap.fun
        for j in stride(from: i + steps - 1, through: i, by: -1) {
            task = episode.task[j] + settings.discount * task
            fun = episode.fun[j] + settings.funDiscount * fun
        }
        let a = Int(episode.actions[i]), time = episode.time(of: i)
        let featureSize = encoder!.inputSize
        episode.withKey(of: i) { h in
            taskDictionaries[Int(actions[a].task.rawValue)].write(h, target: task, rate: settings.writeRate, at: time)
            if learnsFun { funDictionaries[a].write(h, target: fun, rate: settings.writeRate, at: time) }
        }
        episodeFeatures.withUnsafeBufferPointer { f in
            replay!.append(UnsafeBufferPointer(rebasing: f[i * featureSize..<(i + 1) * featureSize]), action: Int32(a), task: task, fun: fun)
        }
        written = i + 1
    }

    /// One Adam step on the embedding from a minibatch of the replay buffer: the squared error of each lookup
    /// against its target, its gradient through the kernel into the network. O(batch · (network + lookup)).
    mutating func train() {
        let rows = settings.batchSize, size = settings.keySize, featureSize = encoder!.inputSize
        if batchFeatures.count != rows * featureSize {
            batchFeatures = ContiguousArray(repeating: 0, count: rows * featureSize)
            batchGradients = ContiguousArray(repeating: 0, count: rows * size)
            batchRows = ContiguousArray(repeating: 0, count: rows)
        }
        batchFeatures.withUnsafeMutableBufferPointer { batch in
            for r in 0..<rows {
                let n = trainingRNG.below(replay!.count)
                batchRows[r] = Int32(n)
                replay!.copyFeatures(of: n, to: batch.baseAddress! + r * featureSize)
            }
        }
        batchFeatures.withUnsafeBufferPointer { encoder!.forward($0, rows: rows) }
        let scale = 2 / Float(rows)
        batchGradients.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] = 0 }
            encoder!.output.withUnsafeBufferPointer { out in
                for r in 0..<rows {
                    let (a, taskTarget, funTarget) = replay!.row(Int(batchRows[r]))
                    let h = UnsafeBufferPointer(rebasing: out[r * size..<(r + 1) * size])
                    let gradient = UnsafeMutableBufferPointer(rebasing: g[r * size..<(r + 1) * size])
                    let task = taskDictionaries[Int(actions[a].task.rawValue)]
                    if let q = task.value(at: h, neighbours: &neighbours) {
                        task.addGradient(at: h, neighbours: neighbours, value: q, scale: scale * (q - taskTarget), into: gradient)
                    }
                    if learnsFun, let q = funDictionaries[a].value(at: h, neighbours: &neighbours) {
                        funDictionaries[a].addGradient(at: h, neighbours: neighbours, value: q, scale: scale * (q - funTarget), into: gradient)
                    }
                }
            }
        }
        batchFeatures.withUnsafeBufferPointer { x in
            batchGradients.withUnsafeBufferPointer { encoder!.train(x, gradOutput: $0, rows: rows) }
        }
    }
}

/// NEC's replay buffer: the features, action and targets of the last `capacity` steps written, in a ring.
///
/// Rows live in chunks of `chunkRows`, so that a step written after the session was copied (the watch screen keeps
/// a thousand copies to step back through) duplicates one chunk rather than the whole buffer.
struct Replay: Sendable {
    static let chunkRows = 32
    struct Chunk: Sendable {
        var features: ContiguousArray<Float> = []
        var actions: ContiguousArray<Int32> = []
        var taskTargets: ContiguousArray<Float> = []
        var funTargets: ContiguousArray<Float> = []
    }
    let featureSize: Int
    let capacity: Int
    private var chunks: [Chunk] = []
    private(set) var count = 0
    private var next = 0

    init(featureSize: Int, capacity: Int) {
        self.featureSize = featureSize
        self.capacity = max(1, capacity)
    }

    /// Keeps one step, over the oldest once full. O(featureSize); allocates only while growing.
    mutating func append(_ x: UnsafeBufferPointer<Float>, action: Int32, task: Float, fun: Float) {
        let c = next / Self.chunkRows, r = next % Self.chunkRows
        if count < capacity {
            if r == 0 { chunks.append(Chunk()) }
            chunks[c].features.append(contentsOf: x)
            chunks[c].actions.append(action)
            chunks[c].taskTargets.append(task)
            chunks[c].funTargets.append(fun)
            count += 1
        } else {
            for i in 0..<featureSize { chunks[c].features[r * featureSize + i] = x[i] }
            chunks[c].actions[r] = action
            chunks[c].taskTargets[r] = task
            chunks[c].funTargets[r] = fun
        }
        next = (next + 1) % capacity
    }

    /// Row `n`'s action and targets.
    func row(_ n: Int) -> (action: Int, task: Float, fun: Float) {
        let chunk = chunks[n / Self.chunkRows], r = n % Self.chunkRows
        return (Int(chunk.actions[r]), chunk.taskTargets[r], chunk.funTargets[r])
    }

    /// Copies row `n`'s features to `out`.
    func copyFeatures(of n: Int, to out: UnsafeMutablePointer<Float>) {
        chunks[n / Self.chunkRows].features.withUnsafeBufferPointer {
            out.update(from: $0.baseAddress! + n % Self.chunkRows * featureSize, count: featureSize)
        }
    }
}
