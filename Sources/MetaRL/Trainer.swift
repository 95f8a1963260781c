import Clocks
import Dispatch
import NeuralCore

/// Meta-trains a `RecurrentPolicy` over a `MetaEnvironment` family with A2C or PPO, GAE(λ) and truncated BPTT (RL²).
///
/// Each update steps the whole batch for `rolloutLength` steps (the batch split across `threads`, each thread
/// stepping its rows' environments and running their GRU and heads for the whole segment), computes advantages
/// where only a trial's end stops a return, lets the environment learn from the segment (`endSegment`), backpropagates through the whole segment
/// (or spans of `backPropagationSpan` steps), clips the global gradient
/// norm and takes one Adam step per epoch. The hidden state carries over from one segment to the next. The
/// learning reward is task + fun.
public final class Trainer<Environment: MetaEnvironment> {
    public let policy: RecurrentPolicy
    public let configuration: TrainerConfiguration
    /// The batch of environments as it stands, put together from the workers' parts on each read (O(batch)).
    public var environment: Environment {
        workers.count == 1 ? workers[0].environment : Environment(joining: workers.map(\.environment))
    }
    /// The model's flat parameters (the last good ones if training stopped on a non-finite value).
    public private(set) var parameters: ContiguousArray<Float>
    public private(set) var optimizer: Adam
    /// Updates completed.
    public private(set) var updateCount: Int
    /// Environment steps taken.
    public private(set) var environmentSteps: Int
    /// The spike guard's running average of gradient norms (nil before the first update, or without the guard).
    public private(set) var recentGradientNorm: Double?
    /// Environments stepped together.
    public let batchSize: Int
    /// Environment steps one update takes: the whole batch for one rollout.
    public var stepsPerUpdate: Int { configuration.rolloutLength * batchSize }
    /// What the metrics' rollout and update times are read from (the system's monotonic clock unless a test sets one).
    public var clock: any MonotonicClock = SystemClock()
    var gradients: ContiguousArray<Float>
    var transposedRecurrent: ContiguousArray<Float>
    let workers: [RolloutWorker<Environment>]

    /// Starts training from freshly initialised parameters.
    ///
    /// - Parameter policy: the model; `nil` builds one for the environment with a 128-unit GRU.
    public convenience init(environment: Environment, policy: RecurrentPolicy? = nil,
                            configuration: TrainerConfiguration = TrainerConfiguration()) throws(TrainingError) {
        let policy = policy ?? RecurrentPolicy(PolicyConfiguration(for: environment))
        var rng = SplitMix64(seed: configuration.seed)
        let parameters = policy.initialParameters(rng: &rng)
        try self.init(environment: environment, policy: policy, configuration: configuration,
                      parameters: parameters, optimizer: configuration.freshOptimizer(parameterCount: policy.parameterCount),
                      updateCount: 0, environmentSteps: 0)
    }

    /// Resumes training from saved state (see `Checkpoint`). Rollouts restart at fresh trials.
    public init(environment: Environment, policy: RecurrentPolicy, configuration: TrainerConfiguration,
                parameters: ContiguousArray<Float>, optimizer: Adam, updateCount: Int,
                environmentSteps: Int) throws(TrainingError) {
        try configuration.validate(batchSize: environment.batchSize)
        if let mismatch = policy.configuration.mismatch(environment) { throw .shapeMismatch(mismatch) }
        let c = policy.configuration
        if parameters.count != policy.parameterCount || optimizer.firstMoment.count != policy.parameterCount {
            throw .shapeMismatch("expected \(policy.parameterCount) parameters, got \(parameters.count)")
        }
        self.policy = policy
        self.configuration = configuration
        self.parameters = parameters
        self.optimizer = optimizer
        self.optimizer.learningRate = configuration.learningRate(atStep: environmentSteps)
        self.updateCount = updateCount
        self.environmentSteps = environmentSteps
        batchSize = environment.batchSize
        gradients = ContiguousArray(repeating: 0, count: policy.parameterCount)
        transposedRecurrent = ContiguousArray(repeating: 0, count: 3 * c.hiddenSize * c.hiddenSize)
        let threads = configuration.threads
        let seeds = Self.startSeeds(seed: configuration.seed, updateCount: updateCount)
        let workerSeed = seeds.workers
        var environment = environment
        var first = environment.makeStep()
        environment.reset(seed: seeds.reset, into: &first)
        let starts = (0...threads).map { [batchSize] in $0 * batchSize / threads }
        let parts = environment.split(sizes: (0..<threads).map { starts[$0 + 1] - starts[$0] })
        workers = (0..<threads).map { w in
            RolloutWorker(policy: policy, rowStart: starts[w], environment: parts[w],
                          step: first.rows(starts[w]..<starts[w + 1]), length: configuration.rolloutLength, seed: workerSeed)
        }
    }

    /// The seeds a trainer's rollouts start from after `updateCount` updates: its workers' (action sampling) and the
    /// environment's reset (which draws the batch's MDPs), so the MDPs a run trained on can be drawn again without it.
    public static func startSeeds(seed: UInt64, updateCount: Int) -> (workers: UInt64, reset: UInt64) {
        var rng = SplitMix64(seed: seed ^ 0xA11C_E5ED ^ UInt64(updateCount))
        let workers = rng.next()
        return (workers, rng.next())
    }

    /// Runs `body` on every worker, one per thread; worker i always gets the same rows, so results do not
    /// depend on scheduling.
    func parallel(_ body: @Sendable (RolloutWorker<Environment>) -> Void) {
        if workers.count == 1 { body(workers[0]); return }
        let ws = workers
        DispatchQueue.concurrentPerform(iterations: ws.count) { body(ws[$0]) }
    }

    /// Runs one rollout segment and one gradient update; returns what happened.
    ///
    /// Throws `TrainingError.nonFinite` (keeping the previous parameters and optimiser state) if the loss,
    /// the gradient or the updated parameters are not finite.
    @discardableResult
    public func step() throws(TrainingError) -> TrainingMetrics {
        let start = clock.now
        collectRollout()
        let rolloutEnd = clock.now
        var metrics = try optimize()
        let end = clock.now
        metrics.rolloutSeconds = (rolloutEnd - start) / .seconds(1)
        metrics.updateSeconds = (end - rolloutEnd) / .seconds(1)
        metrics.stepsPerSecond = Double(stepsPerUpdate) / max((end - start) / .seconds(1), 1e-9)
        return metrics
    }

    /// Steps the batch for one segment with the current parameters, each worker its own rows, recording what
    /// BPTT needs, then computes the bootstrap values and advantages.
    func collectRollout() {
        let params = parameters
        let configuration = configuration
        parallel { w in
            params.withUnsafeBufferPointer { w.rollout(parameters: $0, configuration: configuration) }
        }
        var parts = workers.map(\.environment)
        Environment.endSegment(&parts)
        for (w, part) in zip(workers, parts) { w.environment = part }
    }

    /// Gradient passes over the recorded segment (one for A2C, `epochs` for PPO) and the bookkeeping.
    func optimize() throws(TrainingError) -> TrainingMetrics {
        let length = configuration.rolloutLength
        var shift: Float = 0, scale: Float = 1
        var sum = 0.0, squares = 0.0
        for w in workers { let m = w.advantageMoments(); sum += m.sum; squares += m.squares }
        let n = Double(length * batchSize)
        let mean = sum / n
        let deviation = max(squares / n - mean * mean, 0).squareRoot()
        if configuration.normalizeAdvantages {
            shift = Float(mean)
            scale = Float(1 / (max(deviation, Double(configuration.advantageScaleFloor ?? 0)) + 1e-6))
        }
        let (advantageShift, advantageScale) = (shift, scale)
        let coefficients = configuration.coefficients(atStep: environmentSteps)
        let rowWeight = 1 / Float(length * batchSize)
        let update = updateCount + 1
        var metrics = TrainingMetrics()
        metrics.advantageStd = deviation
        let before = parameters
        let span = configuration.backPropagationSpan
        for epoch in 0..<configuration.epochs {
            let current = parameters
            if epoch > 0 {
                parallel { w in current.withUnsafeBufferPointer { w.reforward(parameters: $0) } }
            }
            current.withUnsafeBufferPointer { p in transposedRecurrent.withUnsafeMutableBufferPointer { wt in
                policy.gru?.transposeRecurrentWeight(parameters: p, into: wt)
            } }
            let wT = transposedRecurrent
            let clipRange: Float? = configuration.epochs > 1 ? configuration.clipRange : nil
            parallel { w in
                current.withUnsafeBufferPointer { p in wT.withUnsafeBufferPointer { t in
                    w.backward(parameters: p, transposedRecurrentWeight: t,
                               coefficients: coefficients, rowWeight: rowWeight,
                               advantageShift: advantageShift, advantageScale: advantageScale, clipRange: clipRange,
                               backPropagationSpan: span)
                } }
            }
            metrics.loss = ActorCriticLoss()
            gradients.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                for w in workers {
                    let wg = w.gradients
                    for i in 0..<g.count { g[i] += wg[i] }
                    metrics.loss.policy += w.loss.policy
                    metrics.loss.value += w.loss.value
                    metrics.loss.entropy += w.loss.entropy
                }
            }
            if !metrics.loss.total(coefficients).isFinite { throw .nonFinite(update: update, quantity: "the loss") }
            var bound = configuration.maxGradientNorm
            var stepScale: Float = 1
            if let guardFactor = configuration.spikeGuard, let recent = recentGradientNorm {
                // A norm above guardFactor × its recent average is clipped to that, and the step shrinks by as much, so
                // neither Adam's momentum nor this step carries the spike.
                let norm = GradientClipping.globalNorm(gradients)
                let limit = Double(guardFactor) * recent
                if norm.isFinite && norm > limit {
                    stepScale = Float(limit / norm)
                    bound = min(bound, Float(limit))
                }
            }
            metrics.gradientNorm = GradientClipping.clipGlobalNorm(&gradients, maxNorm: bound)
            if !metrics.gradientNorm.isFinite { throw .nonFinite(update: update, quantity: "the gradient norm") }
            metrics.clippedGradientNorm = min(metrics.gradientNorm, Double(bound))
            if let guardFactor = configuration.spikeGuard {
                let kept = min(metrics.gradientNorm, Double(guardFactor) * (recentGradientNorm ?? metrics.gradientNorm))
                recentGradientNorm = recentGradientNorm.map { 0.95 * $0 + 0.05 * kept } ?? kept
            }
            optimizer.learningRate = configuration.learningRate(atStep: environmentSteps) * stepScale
            let lastGood = (parameters, optimizer)
            optimizer.update(parameters: &parameters, gradients: gradients)
            if !parameters.allSatisfy({ $0.isFinite }) {
                (parameters, optimizer) = lastGood
                throw .nonFinite(update: update, quantity: "a parameter after the Adam step")
            }
        }
        metrics.updateNorm = zip(parameters, before).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        updateCount = update
        environmentSteps += stepsPerUpdate

        metrics.update = updateCount
        metrics.environmentSteps = environmentSteps
        var tally = RolloutWorker<Environment>.Tally(families: workers[0].tally.familyEpisodes.count)
        for w in workers { tally.add(w.tally) }
        metrics.taskReturnByFamily = zip(tally.familyTaskSum, tally.familyEpisodes).map { $1 > 0 ? $0 / Double($1) : .nan }
        metrics.episodes = tally.episodes
        metrics.trials = tally.trials
        if tally.episodes > 0 {
            metrics.meanTaskReturn = tally.taskSum / Double(tally.episodes)
            metrics.meanFunReturn = tally.funSum / Double(tally.episodes)
        }
        if tally.trials > 0 { metrics.meanTrialReturn = tally.trialSum / Double(tally.trials) }
        return metrics
    }

    /// The environment steps that training for `steps` more takes, stopped by nothing: whole updates, so `steps`
    /// rounded up to a multiple of `stepsPerUpdate` (what a progress bar's total should say).
    public func plannedSteps(_ steps: Int) -> Int {
        (max(0, steps) + stepsPerUpdate - 1) / stepsPerUpdate * stepsPerUpdate
    }

    /// Trains until `steps` more environment steps have been taken, calling `progress` after every update;
    /// `progress` returns false to stop early. Returns the last update's metrics (nil if none ran).
    @discardableResult
    public func train(steps: Int, progress: (TrainingMetrics) -> Bool = { _ in true }) throws(TrainingError) -> TrainingMetrics? {
        let target = environmentSteps + steps
        var last: TrainingMetrics?
        while environmentSteps < target {
            let m = try step()
            last = m
            if !progress(m) { break }
        }
        return last
    }
}

extension TrainerConfiguration {
    /// A new Adam with this configuration's learning rate, β₂ and ε.
    public func freshOptimizer(parameterCount: Int) -> Adam {
        Adam(parameterCount: parameterCount, learningRate: learningRate, beta2: adamBeta2, epsilon: adamEpsilon)
    }
}

extension PolicyConfiguration {
    /// How a policy of this shape does not fit `environment`'s observations and actions (nil: it fits); running it
    /// there anyway would read past its buffers (a trap).
    public func mismatch<E: MetaEnvironment>(_ environment: E) -> String? {
        guard observationSize != environment.observationSize || taskActionCount != environment.taskActionCount
            || playActionCount != environment.playActionCount else { return nil }
        return "policy expects observation \(observationSize), actions \(taskActionCount)×\(playActionCount); environment has \(environment.observationSize), \(environment.taskActionCount)×\(environment.playActionCount)"
    }
}
