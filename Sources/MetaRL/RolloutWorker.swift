import NeuralCore
import RealModule

/// One thread's share of the batch: its environments, its rows' rollout record, BPTT buffers and gradient
/// accumulator.
///
/// Each worker owns its part of the environment batch, its environments' sampling generators, memory and
/// previous transitions, so a whole rollout segment runs on its thread without waiting for the others, and its
/// results do not depend on which thread runs it. Buffers are allocated once, sized for a full rollout segment.
final class RolloutWorker<Environment: MetaEnvironment>: @unchecked Sendable {
    let policy: RecurrentPolicy
    let rowStart: Int
    let rows: Int
    let length: Int
    /// This worker's environments (rows `rowStart..<rowStart + rows` of the trainer's batch) and what they showed last.
    var environment: Environment
    var step: MetaStep
    var generators: ContiguousArray<SplitMix64>
    var previous: [PreviousTransition]
    let hidden: UnsafeMutableBufferPointer<Float>
    // Rollout record, step-major: `length × rows × width`.
    let inputs: UnsafeMutableBufferPointer<Float>
    let hiddenIn: UnsafeMutableBufferPointer<Float>
    let hiddenOut: UnsafeMutableBufferPointer<Float>
    let cache: UnsafeMutableBufferPointer<Float>
    /// The trunk's activations per recorded step (`length × rows × trunkSize`; one float when there is no trunk).
    let trunk: UnsafeMutableBufferPointer<Float>
    let outputs: UnsafeMutableBufferPointer<Float>
    let tasks: UnsafeMutableBufferPointer<Int32>
    let plays: UnsafeMutableBufferPointer<Int32>
    /// The play actions each recorded decision chose among (`RecurrentPolicy.allowedPlay`).
    let playAllowed: UnsafeMutableBufferPointer<UInt32>
    let rewards: UnsafeMutableBufferPointer<Float>
    /// 0 where the step ended the memory's span (the trial, or the episode for an episode-long memory): the next
    /// step starts from a cleared memory, and no return or gradient crosses.
    let continues: UnsafeMutableBufferPointer<Float>
    let advantages: UnsafeMutableBufferPointer<Float>
    /// log π(task) + log π(play) of the sampled actions under the parameters that chose them.
    let oldLogProbs: UnsafeMutableBufferPointer<Float>
    let returns: UnsafeMutableBufferPointer<Float>
    // Backward buffers.
    let gradOutputs: UnsafeMutableBufferPointer<Float>
    let gradInputGates: UnsafeMutableBufferPointer<Float>
    let gradRecurrentGates: UnsafeMutableBufferPointer<Float>
    let gradHidden: UnsafeMutableBufferPointer<Float>
    let gradHiddenIn: UnsafeMutableBufferPointer<Float>
    let trunkGradients: UnsafeMutableBufferPointer<Float>
    /// This worker's share of the loss gradient after `backward`.
    let gradients: UnsafeMutableBufferPointer<Float>
    let scratch: UnsafeMutableBufferPointer<Float>
    let logProbs: UnsafeMutableBufferPointer<Float>
    let bootstrapInputs: UnsafeMutableBufferPointer<Float>
    let bootstrapValues: UnsafeMutableBufferPointer<Float>
    let bootstrapHidden: UnsafeMutableBufferPointer<Float>
    let bootstrapTrunk: UnsafeMutableBufferPointer<Float>
    let bootstrapOutputs: UnsafeMutableBufferPointer<Float>
    // The episodic LSTM's state besides `hidden` (one float each for the GRU): the cell, the cell state recalled
    // for each row's trial, its similarity and the trial's key, the dictionaries, and per recorded step
    // (`length × rows × hidden`) the cell and recalled state the step started from.
    let cell: UnsafeMutableBufferPointer<Float>
    let recalled: UnsafeMutableBufferPointer<Float>
    var similarity: ContiguousArray<Float>
    let trialKeys: UnsafeMutableBufferPointer<Float>
    var memory: RecallMemory?
    let cellIn: UnsafeMutableBufferPointer<Float>
    let recalledIn: UnsafeMutableBufferPointer<Float>
    /// The cell a step writes when nothing later reads it (the bootstrap step; later PPO passes, whose cells the
    /// cache keeps).
    let spareCell: UnsafeMutableBufferPointer<Float>
    let gradCell: UnsafeMutableBufferPointer<Float>
    let gradCellIn: UnsafeMutableBufferPointer<Float>
    // Return bookkeeping for metrics.
    var episodeTask: ContiguousArray<Double>
    var episodeFun: ContiguousArray<Double>
    var trialTotal: ContiguousArray<Double>
    var tally: Tally
    var loss = ActorCriticLoss()

    struct Tally {
        var episodes = 0, trials = 0
        var taskSum = 0.0, funSum = 0.0, trialSum = 0.0
        /// Episodes and their task return, family by family (indices of the environment's `families`).
        var familyEpisodes: ContiguousArray<Int>
        var familyTaskSum: ContiguousArray<Double>

        init(families: Int) {
            familyEpisodes = ContiguousArray(repeating: 0, count: families)
            familyTaskSum = ContiguousArray(repeating: 0, count: families)
        }

        /// Back to zero, keeping the arrays (no allocation per update).
        mutating func clear() {
            (episodes, trials, taskSum, funSum, trialSum) = (0, 0, 0, 0, 0)
            for f in familyEpisodes.indices { (familyEpisodes[f], familyTaskSum[f]) = (0, 0) }
        }

        mutating func add(_ other: Tally) {
            episodes += other.episodes; trials += other.trials
            taskSum += other.taskSum; funSum += other.funSum; trialSum += other.trialSum
            for f in familyEpisodes.indices {
                familyEpisodes[f] += other.familyEpisodes[f]
                familyTaskSum[f] += other.familyTaskSum[f]
            }
        }
    }

    /// A worker for rows `rowStart..<rowStart + step.batchSize`, stepping `environment` (those rows' environments,
    /// which last showed `step`).
    init(policy: RecurrentPolicy, rowStart: Int, environment: Environment, step: MetaStep, length: Int, seed: UInt64) {
        let rows = step.batchSize
        self.policy = policy
        self.rowStart = rowStart
        self.rows = rows
        self.length = length
        self.environment = environment
        self.step = step
        tally = Tally(families: environment.families.count)
        let c = policy.configuration
        let (h, n) = (c.hiddenSize, length * rows)
        func floats(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        func ints(_ count: Int) -> UnsafeMutableBufferPointer<Int32> {
            let b = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count)
            b.initialize(repeating: 0)
            return b
        }
        generators = ContiguousArray((0..<rows).map { SplitMix64(seed: seed &+ UInt64(rowStart + $0) &* 0x9E37_79B9) })
        for i in 0..<rows { _ = generators[i].next() }
        previous = Array(repeating: PreviousTransition(), count: rows)
        hidden = floats(rows * h)
        inputs = floats(n * c.inputSize)
        hiddenIn = floats(n * h)
        hiddenOut = floats(n * h)
        cache = floats(n * policy.cacheSizePerRow)
        trunk = floats(max(1, n * policy.trunkSize))
        outputs = floats(n * policy.outputSize)
        tasks = ints(n)
        plays = ints(n)
        playAllowed = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: n)
        playAllowed.initialize(repeating: 0)
        rewards = floats(n)
        continues = floats(n)
        advantages = floats(n)
        oldLogProbs = floats(n)
        returns = floats(n)
        gradOutputs = floats(n * policy.outputSize)
        gradInputGates = floats(n * 3 * h)
        gradRecurrentGates = floats(n * 3 * h)
        gradHidden = floats(rows * h)
        gradHiddenIn = floats(rows * h)
        trunkGradients = floats(max(1, n * policy.trunkSize))
        gradients = floats(policy.parameterCount)
        scratch = floats(rows * policy.scratchSizePerRow)
        logProbs = floats(c.taskActionCount + c.playActionCount)
        bootstrapInputs = floats(rows * c.inputSize)
        bootstrapValues = floats(rows)
        bootstrapHidden = floats(rows * h)
        bootstrapTrunk = floats(max(1, rows * policy.trunkSize))
        bootstrapOutputs = floats(rows * policy.outputSize)
        episodeTask = ContiguousArray(repeating: 0, count: rows)
        episodeFun = episodeTask
        trialTotal = episodeTask
        let recalls = policy.recalls
        cell = floats(recalls ? rows * h : 1)
        recalled = floats(recalls ? rows * h : 1)
        similarity = ContiguousArray(repeating: 0, count: rows)
        trialKeys = floats(recalls ? rows * c.observationSize : 1)
        memory = recalls ? RecallMemory(rows: rows, keySize: c.observationSize, cellSize: h, capacity: c.recallCapacity) : nil
        cellIn = floats(recalls ? n * h : 1)
        recalledIn = floats(recalls ? n * h : 1)
        spareCell = floats(recalls ? rows * h : 1)
        gradCell = floats(recalls ? rows * h : 1)
        gradCellIn = floats(recalls ? rows * h : 1)
        step.observations.withUnsafeBufferPointer { o in
            for r in 0..<rows { recall(row: r, observation: o.rows(r, 1, width: c.observationSize)) }
        }
    }

    /// Keys row `r`'s new trial by its first observation and reads back the cell state stored under the nearest key
    /// (nothing for the GRU).
    func recall(row r: Int, observation: UnsafeBufferPointer<Float>) {
        guard let memory else { return }
        let key = trialKeys.rows(r, 1, width: observation.count)
        key.baseAddress!.update(from: observation.baseAddress!, count: observation.count)
        similarity[r] = memory.recall(row: r, key: key.readOnly, into: recalled.rows(r, 1, width: policy.hiddenSize))
    }

    deinit {
        for b in [hidden, inputs, hiddenIn, hiddenOut, cache, trunk, outputs, rewards, continues, advantages, oldLogProbs,
                  returns, gradOutputs, gradInputGates, gradRecurrentGates, gradHidden, gradHiddenIn, trunkGradients,
                  gradients, scratch, logProbs, bootstrapInputs, bootstrapValues, bootstrapHidden, bootstrapTrunk,
                  bootstrapOutputs, cell, recalled, trialKeys, cellIn, recalledIn, spareCell, gradCell, gradCellIn] {
            b.deallocate()
        }
        tasks.deallocate()
        plays.deallocate()
        playAllowed.deallocate()
    }

    /// Steps this worker's environments for a whole segment with `parameters`, recording what BPTT needs, then
    /// computes the bootstrap values and the advantages.
    func rollout(parameters p: UnsafeBufferPointer<Float>, configuration c: TrainerConfiguration) {
        tally.clear()
        for t in 0..<length {
            step.observations.withUnsafeBufferPointer { forward(step: t, observations: $0, parameters: p) }
            let actions = t * rows..<(t + 1) * rows
            environment.step(task: UnsafeBufferPointer(rebasing: tasks[actions]), play: UnsafeBufferPointer(rebasing: plays[actions]),
                             into: &step)
            observe(step: t, configuration: c)
        }
        step.observations.withUnsafeBufferPointer { bootstrap(observations: $0, parameters: p) }
        computeAdvantages(discount: c.discount, lambda: c.gaeLambda)
    }

    /// Encodes step `t`'s inputs, runs the GRU and heads, records everything BPTT needs, samples actions.
    func forward(step t: Int, observations: UnsafeBufferPointer<Float>, parameters p: UnsafeBufferPointer<Float>) {
        let c = policy.configuration
        let (h, inSize, os, m) = (c.hiddenSize, c.inputSize, policy.outputSize, policy.trunkSize)
        let base = t * rows
        let x = inputs.rows(base, rows, width: inSize)
        for r in 0..<rows {
            policy.encodeInput(observation: observations.rows(r, 1, width: c.observationSize), previous: previous[r],
                               similarity: similarity[r], into: x.rows(r, 1, width: inSize))
        }
        let hIn = hiddenIn.rows(base, rows, width: h), hOut = hiddenOut.rows(base, rows, width: h)
        hIn.baseAddress!.update(from: hidden.baseAddress!, count: rows * h)
        let o = outputs.rows(base, rows, width: os)
        let stepCache = cache.rows(base, rows, width: policy.cacheSizePerRow)
        if let lstm = policy.lstm {
            let cIn = cellIn.rows(base, rows, width: h), eIn = recalledIn.rows(base, rows, width: h)
            cIn.baseAddress!.update(from: cell.baseAddress!, count: rows * h)
            eIn.baseAddress!.update(from: recalled.baseAddress!, count: rows * h)
            lstm.forward(parameters: p, input: x.readOnly, hidden: hIn.readOnly, cell: cIn.readOnly, recalled: eIn.readOnly,
                         rows: rows, outputHidden: hOut, outputCell: cell, cache: stepCache, scratch: scratch)
        } else {
            policy.gru!.forward(parameters: p, input: x.readOnly, hidden: hIn.readOnly, rows: rows, output: hOut,
                                cache: stepCache, scratch: scratch)
        }
        policy.readOut(parameters: p, hidden: hOut.readOnly, rows: rows, trunkActivations: trunk.rows(base, rows, width: m),
                       outputs: o)
        hidden.baseAddress!.update(from: hOut.baseAddress!, count: rows * h)
        for r in 0..<rows {
            let allowed = c.allowedPlay(afforded: step.playAfforded[r])
            playAllowed[base + r] = allowed
            let a = policy.head.sample(row: o.readOnly.rows(r, 1, width: os), logProbs: logProbs, playAllowed: allowed,
                                       rng: &generators[r])
            tasks[base + r] = a.task
            plays[base + r] = a.play
            oldLogProbs[base + r] = logProbs[Int(a.task)] + logProbs[c.taskActionCount + Int(a.play)]
        }
    }

    /// Records the environments' answer to step `t` (in `step`) and clears memory where its span ended; where a
    /// trial ended, the episodic LSTM stores its cell under the trial's key (or forgets the pool that ended) and
    /// recalls for the next trial.
    func observe(step t: Int, configuration c: TrainerConfiguration) {
        let h = policy.hiddenSize
        let episodeMemory = policy.configuration.memory == .episode
        for r in 0..<rows {
            let i = t * rows + r
            let task = step.taskReward[r], fun = step.funReward[r]
            let learned = c.learnsFromExpectedRewards ? task - step.taskLuck[r] : task
            rewards[i] = (learned + fun - c.rewardShift) * c.rewardScale
            episodeTask[r] += Double(task)
            episodeFun[r] += Double(fun)
            trialTotal[r] += Double(task + fun)
            let trialOver = step.trialDone[r]
            if step.episodeDone[r] || trialOver {
                tally.episodes += 1
                tally.taskSum += episodeTask[r]
                let family = environment.family(ofRow: r)
                tally.familyEpisodes[family] += 1
                tally.familyTaskSum[family] += episodeTask[r]
                tally.funSum += episodeFun[r]
                episodeTask[r] = 0
                episodeFun[r] = 0
            }
            if trialOver {
                tally.trials += 1
                tally.trialSum += trialTotal[r]
                trialTotal[r] = 0
            }
            let forget = trialOver || (episodeMemory && step.episodeDone[r])
            continues[i] = forget ? 0 : 1
            if forget {
                if memory != nil {
                    if trialOver {
                        if step.poolDone[r] {
                            memory!.clear(row: r)
                        } else {
                            memory!.write(row: r, key: trialKeys.readOnly.rows(r, 1, width: step.observationSize),
                                          cell: cell.readOnly.rows(r, 1, width: h))
                        }
                        step.observations.withUnsafeBufferPointer { recall(row: r, observation: $0.rows(r, 1, width: step.observationSize)) }
                    }
                    cell.rows(r, 1, width: h).update(repeating: 0)
                }
                hidden.rows(r, 1, width: h).update(repeating: 0)
                previous[r] = PreviousTransition()
            } else {
                previous[r].task = tasks[i]
                previous[r].play = plays[i]
                previous[r].taskReward = task
                previous[r].funReward = fun
                previous[r].episodeDone = step.episodeDone[r]
            }
        }
    }

    /// Value of the state after the last step, for bootstrapping the returns (no gradient).
    func bootstrap(observations: UnsafeBufferPointer<Float>, parameters p: UnsafeBufferPointer<Float>) {
        let c = policy.configuration
        let os = policy.outputSize
        for r in 0..<rows {
            policy.encodeInput(observation: observations.rows(r, 1, width: c.observationSize), previous: previous[r],
                               similarity: similarity[r], into: bootstrapInputs.rows(r, 1, width: c.inputSize))
        }
        if let lstm = policy.lstm {
            lstm.forward(parameters: p, input: bootstrapInputs.readOnly, hidden: hidden.readOnly, cell: cell.readOnly,
                         recalled: recalled.readOnly, rows: rows, outputHidden: bootstrapHidden, outputCell: spareCell,
                         cache: nil, scratch: scratch)
        } else {
            policy.gru!.forward(parameters: p, input: bootstrapInputs.readOnly, hidden: hidden.readOnly, rows: rows,
                                output: bootstrapHidden, cache: nil, scratch: scratch)
        }
        policy.readOut(parameters: p, hidden: bootstrapHidden.readOnly, rows: rows, trunkActivations: bootstrapTrunk,
                       outputs: bootstrapOutputs)
        for r in 0..<rows { bootstrapValues[r] = bootstrapOutputs[r * os + os - 1] }
    }

    /// Generalised advantage estimation over the segment; the memory's span (the trial, not the episode, for RL²)
    /// ends a return.
    func computeAdvantages(discount: Float, lambda: Float) {
        let os = policy.outputSize
        for r in 0..<rows {
            var gae: Float = 0
            var nextValue = bootstrapValues[r]
            for t in stride(from: length - 1, through: 0, by: -1) {
                let i = t * rows + r
                let v = outputs[i * os + os - 1]
                let c = continues[i]
                let delta = rewards[i] + discount * nextValue * c - v
                gae = delta + discount * lambda * c * gae
                advantages[i] = gae
                returns[i] = gae + v
                nextValue = v
            }
        }
    }

    /// Sum and sum of squares of this worker's advantages (for batch-wide standardisation).
    func advantageMoments() -> (sum: Double, squares: Double) {
        var s = 0.0, q = 0.0
        for a in advantages { s += Double(a); q += Double(a) * Double(a) }
        return (s, q)
    }

    /// Re-runs the recorded segment through the GRU and heads with new parameters (for later PPO passes),
    /// starting from the recorded initial memory and clearing it where its span ended.
    func reforward(parameters p: UnsafeBufferPointer<Float>) {
        let h = policy.hiddenSize, inSize = policy.inputSize, os = policy.outputSize, m = policy.trunkSize
        for t in 0..<length {
            let base = t * rows
            if t > 0 {
                for r in 0..<rows {
                    let c = continues[(t - 1) * rows + r]
                    for j in 0..<h { hiddenIn[(base + r) * h + j] = hiddenOut[(base - rows + r) * h + j] * c }
                    if let lstm = policy.lstm {
                        let previousCell = ((base - rows + r) * lstm.cacheSizePerRow) + lstm.cachedCellOffset
                        for j in 0..<h { cellIn[(base + r) * h + j] = cache[previousCell + j] * c }
                    }
                }
            }
            let hOut = hiddenOut.rows(base, rows, width: h)
            let x = inputs.readOnly.rows(base, rows, width: inSize), hIn = hiddenIn.readOnly.rows(base, rows, width: h)
            let stepCache = cache.rows(base, rows, width: policy.cacheSizePerRow)
            if let lstm = policy.lstm {
                lstm.forward(parameters: p, input: x, hidden: hIn, cell: cellIn.readOnly.rows(base, rows, width: h),
                             recalled: recalledIn.readOnly.rows(base, rows, width: h), rows: rows, outputHidden: hOut,
                             outputCell: spareCell, cache: stepCache, scratch: scratch)
            } else {
                policy.gru!.forward(parameters: p, input: x, hidden: hIn, rows: rows, output: hOut, cache: stepCache, scratch: scratch)
            }
            policy.readOut(parameters: p, hidden: hOut.readOnly, rows: rows, trunkActivations: trunk.rows(base, rows, width: m),
                           outputs: outputs.rows(base, rows, width: os))
        }
    }

    /// Loss gradients at the heads, then BPTT through the segment; leaves this worker's share in `gradients`.
    func backward(parameters p: UnsafeBufferPointer<Float>, transposedRecurrentWeight wT: UnsafeBufferPointer<Float>,
                  coefficients: ActorCriticCoefficients, rowWeight: Float,
                  advantageShift: Float, advantageScale: Float, clipRange: Float?, backPropagationSpan: Int? = nil) {
        let os = policy.outputSize, n = length * rows
        let nt = policy.configuration.taskActionCount
        loss = ActorCriticLoss()
        gradients.update(repeating: 0)
        for i in 0..<n {
            let advantage = (advantages[i] - advantageShift) * advantageScale
            var weight = advantage
            var surrogate: Float = 0, logProb: Float = 0
            let row = outputs.readOnly.rows(i, 1, width: os)
            if let clipRange {
                // PPO: d/dlogπ of min(ρA, clip(ρ)A) is ρA inside the trust region, 0 where clipped.
                policy.head.logProbabilities(row: row, into: logProbs, playAllowed: playAllowed[i])
                logProb = logProbs[Int(tasks[i])] + logProbs[nt + Int(plays[i])]
                let ratio = Float.exp(logProb - oldLogProbs[i])
                let clipped = (advantage >= 0 && ratio > 1 + clipRange) || (advantage < 0 && ratio < 1 - clipRange)
                weight = clipped ? 0 : ratio * advantage
                surrogate = min(ratio * advantage, min(max(ratio, 1 - clipRange), 1 + clipRange) * advantage)
            }
            policy.head.lossGradient(row: row, task: tasks[i], play: plays[i],
                                     policyWeight: weight * rowWeight, valueTarget: returns[i],
                                     rowWeight: rowWeight, coefficients: coefficients, playAllowed: playAllowed[i],
                                     gradRow: gradOutputs.rows(i, 1, width: os), scratch: logProbs, loss: &loss)
            if clipRange != nil {
                // Report the surrogate itself rather than the A2C term lossGradient accumulated.
                loss.policy += Double(weight * rowWeight) * Double(logProb) - Double(surrogate * rowWeight)
            }
        }
        // The read-out's gradient for every recorded step at once, then BPTT step by step.
        let readOut = policy.readOutBackward(parameters: p, hidden: hiddenOut.readOnly, trunkActivations: trunk.readOnly,
                                             gradOutputs: gradOutputs.readOnly, rows: n, trunkGradients: trunkGradients,
                                             gradients: gradients)
        if let lstm = policy.lstm {
            backPropagateThroughLSTM(lstm, parameters: p, readOut: readOut)
            return
        }
        backPropagateThroughTime(readOut: readOut, transposedRecurrentWeight: wT, span: backPropagationSpan ?? length)
        policy.gru!.accumulateParameterGradients(inputs: inputs.readOnly, hiddens: hiddenIn.readOnly,
                                                 gradInputGates: gradInputGates.readOnly,
                                                 gradRecurrentGates: gradRecurrentGates.readOnly, rows: n,
                                                 gradients: gradients)
    }

    /// BPTT of the episodic LSTM over the recorded segment: per step, dL/dh from the read-out plus what flows back
    /// through h and c from later steps; the LSTM adds its parameter gradients step by step. The recalled states
    /// are inputs: the gradient stops at them, as at a trial's end.
    func backPropagateThroughLSTM(_ lstm: LSTM, parameters p: UnsafeBufferPointer<Float>,
                                  readOut: (source: UnsafeBufferPointer<Float>, width: Int, weight: UnsafeBufferPointer<Float>)) {
        let h = policy.hiddenSize, inSize = policy.inputSize, k = lstm.cacheSizePerRow
        gradHidden.update(repeating: 0)
        gradCell.update(repeating: 0)
        for t in stride(from: length - 1, through: 0, by: -1) {
            let base = t * rows
            Kernels.gemm(m: rows, n: h, k: readOut.width, a: readOut.source.rows(base, rows, width: readOut.width),
                         lda: readOut.width, b: readOut.weight, ldb: h, c: gradHidden, ldc: h, accumulate: true)
            gradHiddenIn.update(repeating: 0)
            gradCellIn.update(repeating: 0)
            lstm.backward(parameters: p, input: inputs.readOnly.rows(base, rows, width: inSize),
                          hidden: hiddenIn.readOnly.rows(base, rows, width: h), cell: cellIn.readOnly.rows(base, rows, width: h),
                          recalled: recalledIn.readOnly.rows(base, rows, width: h), cache: cache.readOnly.rows(base, rows, width: k),
                          gradHidden: gradHidden.readOnly, gradCell: gradCell.readOnly, rows: rows, gradients: gradients,
                          gradInput: nil, gradHiddenPrevious: gradHiddenIn, gradCellPrevious: gradCellIn, scratch: scratch)
            if t > 0 {
                for r in 0..<rows {
                    let c = continues[(t - 1) * rows + r]
                    for j in 0..<h {
                        gradHidden[r * h + j] = gradHiddenIn[r * h + j] * c
                        gradCell[r * h + j] = gradCellIn[r * h + j] * c
                    }
                }
            }
        }
    }

    /// BPTT over the recorded segment: per step, dL/dh = source·weight from the read-out (see
    /// `RecurrentPolicy.readOutBackward`) plus what flows back from later steps, cut at every multiple of `span`;
    /// leaves the GRU gate gradients.
    func backPropagateThroughTime(readOut: (source: UnsafeBufferPointer<Float>, width: Int, weight: UnsafeBufferPointer<Float>),
                                  transposedRecurrentWeight wT: UnsafeBufferPointer<Float>, span: Int) {
        let h = policy.hiddenSize, gru = policy.gru!
        gradHidden.update(repeating: 0)
        for t in stride(from: length - 1, through: 0, by: -1) {
            let base = t * rows
            Kernels.gemm(m: rows, n: h, k: readOut.width, a: readOut.source.rows(base, rows, width: readOut.width),
                         lda: readOut.width, b: readOut.weight, ldb: h, c: gradHidden, ldc: h, accumulate: true)
            gradHiddenIn.update(repeating: 0)
            gru.backward(hidden: hiddenIn.readOnly.rows(base, rows, width: h),
                         cache: cache.readOnly.rows(base, rows, width: gru.cacheSizePerRow),
                         gradOutput: gradHidden.readOnly, rows: rows,
                         gradInputGates: gradInputGates.rows(base, rows, width: 3 * h),
                         gradRecurrentGates: gradRecurrentGates.rows(base, rows, width: 3 * h),
                         gradHidden: gradHiddenIn, transposedRecurrentWeight: wT)
            if t > 0 {
                let carried: Float = t % span == 0 ? 0 : 1
                for r in 0..<rows {
                    let c = continues[(t - 1) * rows + r] * carried
                    for j in 0..<h { gradHidden[r * h + j] = gradHiddenIn[r * h + j] * c }
                }
            }
        }
    }
}
