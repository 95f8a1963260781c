import NeuralCore

/// One thread's share of the batch: its rows' rollout record, BPTT buffers and gradient accumulator.
///
/// Each worker owns its environments' sampling generators, memory and previous transitions, so its results
/// do not depend on which thread runs it. Buffers are allocated once, sized for a full rollout segment.
final class RolloutWorker: @unchecked Sendable {
    let policy: RecurrentPolicy
    let rowStart: Int
    let rows: Int
    let length: Int
    var generators: ContiguousArray<SplitMix64>
    var previous: [PreviousTransition]
    var hidden: ContiguousArray<Float>
    // Rollout record, step-major: `length × rows × width`.
    var inputs: ContiguousArray<Float>
    var hiddenIn: ContiguousArray<Float>
    var hiddenOut: ContiguousArray<Float>
    var cache: ContiguousArray<Float>
    /// The trunk's activations per recorded step (`length × rows × trunkSize`; one float when there is no trunk).
    var trunk: ContiguousArray<Float>
    var outputs: ContiguousArray<Float>
    var tasks: ContiguousArray<Int32>
    var plays: ContiguousArray<Int32>
    var rewards: ContiguousArray<Float>
    /// 0 where the step ended the trial: the next step starts from a cleared memory.
    var continues: ContiguousArray<Float>
    var advantages: ContiguousArray<Float>
    /// log π(task) + log π(play) of the sampled actions under the parameters that chose them.
    var oldLogProbs: ContiguousArray<Float>
    var returns: ContiguousArray<Float>
    // Backward buffers.
    var gradOutputs: ContiguousArray<Float>
    var gradInputGates: ContiguousArray<Float>
    var gradRecurrentGates: ContiguousArray<Float>
    var gradHidden: ContiguousArray<Float>
    var gradHiddenIn: ContiguousArray<Float>
    var trunkGradients: ContiguousArray<Float>
    var gradients: ContiguousArray<Float>
    var scratch: ContiguousArray<Float>
    var logProbs: ContiguousArray<Float>
    var bootstrapInputs: ContiguousArray<Float>
    var bootstrapValues: ContiguousArray<Float>
    var bootstrapHidden: ContiguousArray<Float>
    var bootstrapTrunk: ContiguousArray<Float>
    var bootstrapOutputs: ContiguousArray<Float>
    // Return bookkeeping for metrics.
    var episodeTask: ContiguousArray<Double>
    var episodeFun: ContiguousArray<Double>
    var trialTotal: ContiguousArray<Double>
    var tally = Tally()
    var loss = ActorCriticLoss()

    struct Tally {
        var episodes = 0, trials = 0
        var taskSum = 0.0, funSum = 0.0, trialSum = 0.0
    }

    init(policy: RecurrentPolicy, rowStart: Int, rows: Int, length: Int, seed: UInt64) {
        self.policy = policy
        self.rowStart = rowStart
        self.rows = rows
        self.length = length
        let c = policy.configuration
        let (h, n) = (c.hiddenSize, length * rows)
        generators = ContiguousArray((0..<rows).map { SplitMix64(seed: seed &+ UInt64(rowStart + $0) &* 0x9E37_79B9) })
        for i in 0..<rows { _ = generators[i].next() }
        previous = Array(repeating: PreviousTransition(), count: rows)
        hidden = ContiguousArray(repeating: 0, count: rows * h)
        inputs = ContiguousArray(repeating: 0, count: n * c.inputSize)
        hiddenIn = ContiguousArray(repeating: 0, count: n * h)
        hiddenOut = hiddenIn
        cache = ContiguousArray(repeating: 0, count: n * policy.gru.cacheSizePerRow)
        trunk = ContiguousArray(repeating: 0, count: max(1, n * policy.trunkSize))
        outputs = ContiguousArray(repeating: 0, count: n * policy.outputSize)
        tasks = ContiguousArray(repeating: 0, count: n)
        plays = tasks
        rewards = ContiguousArray(repeating: 0, count: n)
        continues = rewards
        advantages = rewards
        oldLogProbs = rewards
        returns = rewards
        gradOutputs = outputs
        gradInputGates = ContiguousArray(repeating: 0, count: n * 3 * h)
        gradRecurrentGates = gradInputGates
        gradHidden = ContiguousArray(repeating: 0, count: rows * h)
        gradHiddenIn = gradHidden
        trunkGradients = trunk
        gradients = ContiguousArray(repeating: 0, count: policy.parameterCount)
        scratch = ContiguousArray(repeating: 0, count: rows * policy.gru.scratchSizePerRow)
        logProbs = ContiguousArray(repeating: 0, count: c.taskActionCount + c.playActionCount)
        bootstrapInputs = ContiguousArray(repeating: 0, count: rows * c.inputSize)
        bootstrapValues = ContiguousArray(repeating: 0, count: rows)
        bootstrapHidden = hidden
        bootstrapTrunk = ContiguousArray(repeating: 0, count: max(1, rows * policy.trunkSize))
        bootstrapOutputs = ContiguousArray(repeating: 0, count: rows * policy.outputSize)
        episodeTask = ContiguousArray(repeating: 0, count: rows)
        episodeFun = episodeTask
        trialTotal = episodeTask
    }

    /// Encodes step `t`'s inputs, runs the GRU and heads, records everything BPTT needs, samples actions.
    func forward(step t: Int, observations: UnsafePointer<Float>, parameters p: UnsafePointer<Float>) {
        let c = policy.configuration
        let (h, inSize, os, m) = (c.hiddenSize, c.inputSize, policy.outputSize, policy.trunkSize)
        let base = t * rows
        inputs.withUnsafeMutableBufferPointer { x in
            for r in 0..<rows {
                policy.encodeInput(observation: observations + (rowStart + r) * c.observationSize,
                                   previous: previous[r], into: x.baseAddress! + (base + r) * inSize)
            }
        }
        hiddenIn.withUnsafeMutableBufferPointer { hin in
            hidden.withUnsafeBufferPointer { (hin.baseAddress! + base * h).update(from: $0.baseAddress!, count: rows * h) }
        }
        inputs.withUnsafeBufferPointer { x in hiddenIn.withUnsafeBufferPointer { hin in
            hiddenOut.withUnsafeMutableBufferPointer { hout in cache.withUnsafeMutableBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { s in outputs.withUnsafeMutableBufferPointer { o in
                    trunk.withUnsafeMutableBufferPointer { tb in
                        let hOut = hout.baseAddress! + base * h
                        policy.gru.forward(parameters: p, input: x.baseAddress! + base * inSize,
                                           hidden: hin.baseAddress! + base * h, rows: rows, output: hOut,
                                           cache: k.baseAddress! + base * policy.gru.cacheSizePerRow,
                                           scratch: s.baseAddress!)
                        policy.readOut(parameters: p, hidden: hOut, rows: rows, trunkActivations: tb.baseAddress! + base * m,
                                       outputs: o.baseAddress! + base * os)
                        hidden.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: hOut, count: rows * h) }
                        logProbs.withUnsafeMutableBufferPointer { lp in
                            for r in 0..<rows {
                                let a = policy.head.sample(row: o.baseAddress! + (base + r) * os, logProbs: lp.baseAddress!,
                                                           rng: &generators[r])
                                tasks[base + r] = a.task
                                plays[base + r] = a.play
                                oldLogProbs[base + r] = lp[Int(a.task)] + lp[c.taskActionCount + Int(a.play)]
                            }
                        }
                    }
                } }
            } }
        } }
    }

    /// Records the environment's answer to step `t` and clears memory where a trial ended.
    func observe(step t: Int, _ s: MetaStep, rewardScale: Float, rewardShift: Float) {
        let h = policy.hiddenSize
        for r in 0..<rows {
            let e = rowStart + r, i = t * rows + r
            let task = s.taskReward[e], fun = s.funReward[e]
            rewards[i] = (task + fun - rewardShift) * rewardScale
            episodeTask[r] += Double(task)
            episodeFun[r] += Double(fun)
            trialTotal[r] += Double(task + fun)
            let trialOver = s.trialDone[e]
            if s.episodeDone[e] || trialOver {
                tally.episodes += 1
                tally.taskSum += episodeTask[r]
                tally.funSum += episodeFun[r]
                episodeTask[r] = 0
                episodeFun[r] = 0
            }
            continues[i] = trialOver ? 0 : 1
            if trialOver {
                tally.trials += 1
                tally.trialSum += trialTotal[r]
                trialTotal[r] = 0
                for j in 0..<h { hidden[r * h + j] = 0 }
                previous[r] = PreviousTransition()
            } else {
                previous[r].task = tasks[i]
                previous[r].play = plays[i]
                previous[r].taskReward = task
                previous[r].funReward = fun
                previous[r].episodeDone = s.episodeDone[e]
            }
        }
    }

    /// Value of the state after the last step, for bootstrapping the returns (no gradient).
    func bootstrap(observations: UnsafePointer<Float>, parameters p: UnsafePointer<Float>) {
        let c = policy.configuration
        let os = policy.outputSize
        bootstrapInputs.withUnsafeMutableBufferPointer { xb in
            for r in 0..<rows {
                policy.encodeInput(observation: observations + (rowStart + r) * c.observationSize,
                                   previous: previous[r], into: xb.baseAddress! + r * c.inputSize)
            }
            hidden.withUnsafeBufferPointer { h in bootstrapHidden.withUnsafeMutableBufferPointer { hn in
                scratch.withUnsafeMutableBufferPointer { s in bootstrapOutputs.withUnsafeMutableBufferPointer { o in
                    bootstrapTrunk.withUnsafeMutableBufferPointer { tb in
                        policy.gru.forward(parameters: p, input: xb.baseAddress!, hidden: h.baseAddress!, rows: rows,
                                           output: hn.baseAddress!, cache: nil, scratch: s.baseAddress!)
                        policy.readOut(parameters: p, hidden: hn.baseAddress!, rows: rows, trunkActivations: tb.baseAddress!,
                                       outputs: o.baseAddress!)
                    }
                } }
            } }
        }
        for r in 0..<rows { bootstrapValues[r] = bootstrapOutputs[r * os + os - 1] }
    }

    /// Generalised advantage estimation over the segment; the trial (not the episode) ends a return.
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
    /// starting from the recorded initial memory and clearing it where trials ended.
    func reforward(parameters p: UnsafePointer<Float>) {
        let h = policy.hiddenSize, inSize = policy.inputSize, os = policy.outputSize, m = policy.trunkSize
        inputs.withUnsafeBufferPointer { x in hiddenIn.withUnsafeMutableBufferPointer { hin in
            hiddenOut.withUnsafeMutableBufferPointer { hout in cache.withUnsafeMutableBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { s in outputs.withUnsafeMutableBufferPointer { o in
                    trunk.withUnsafeMutableBufferPointer { tb in
                        for t in 0..<length {
                            let base = t * rows
                            if t > 0 {
                                for r in 0..<rows {
                                    let c = continues[(t - 1) * rows + r]
                                    for j in 0..<h { hin[(base + r) * h + j] = hout[(base - rows + r) * h + j] * c }
                                }
                            }
                            policy.gru.forward(parameters: p, input: x.baseAddress! + base * inSize,
                                               hidden: hin.baseAddress! + base * h, rows: rows,
                                               output: hout.baseAddress! + base * h,
                                               cache: k.baseAddress! + base * policy.gru.cacheSizePerRow, scratch: s.baseAddress!)
                            policy.readOut(parameters: p, hidden: hout.baseAddress! + base * h, rows: rows,
                                           trunkActivations: tb.baseAddress! + base * m, outputs: o.baseAddress! + base * os)
                        }
                    }
                } }
            } }
        } }
    }

    /// Loss gradients at the heads, then BPTT through the segment; leaves this worker's share in `gradients`.
    func backward(parameters p: UnsafePointer<Float>, transposedRecurrentWeight wT: UnsafePointer<Float>,
                  coefficients: ActorCriticCoefficients, rowWeight: Float,
                  advantageShift: Float, advantageScale: Float, clipRange: Float?) {
        let os = policy.outputSize, n = length * rows
        let gru = policy.gru, head = policy.head
        loss = ActorCriticLoss()
        gradients.withUnsafeMutableBufferPointer { g in
            g.update(repeating: 0)
            outputs.withUnsafeBufferPointer { o in gradOutputs.withUnsafeMutableBufferPointer { go in
                logProbs.withUnsafeMutableBufferPointer { lp in
                    let nt = policy.configuration.taskActionCount
                    for i in 0..<n {
                        let advantage = (advantages[i] - advantageShift) * advantageScale
                        var weight = advantage
                        var surrogate: Float = 0, logProb: Float = 0
                        if let clipRange {
                            // PPO: d/dlogπ of min(ρA, clip(ρ)A) is ρA inside the trust region, 0 where clipped.
                            head.logProbabilities(row: o.baseAddress! + i * os, into: lp.baseAddress!)
                            logProb = lp[Int(tasks[i])] + lp[nt + Int(plays[i])]
                            let ratio = _expf(logProb - oldLogProbs[i])
                            let clipped = (advantage >= 0 && ratio > 1 + clipRange) || (advantage < 0 && ratio < 1 - clipRange)
                            weight = clipped ? 0 : ratio * advantage
                            surrogate = min(ratio * advantage, min(max(ratio, 1 - clipRange), 1 + clipRange) * advantage)
                        }
                        head.lossGradient(row: o.baseAddress! + i * os, task: tasks[i], play: plays[i],
                                          policyWeight: weight * rowWeight, valueTarget: returns[i],
                                          rowWeight: rowWeight, coefficients: coefficients,
                                          gradRow: go.baseAddress! + i * os, scratch: lp.baseAddress!, loss: &loss)
                        if clipRange != nil {
                            // Report the surrogate itself rather than the A2C term lossGradient accumulated.
                            loss.policy += Double(weight * rowWeight) * Double(logProb) - Double(surrogate * rowWeight)
                        }
                    }
                }
            } }
            // The read-out's gradient for every recorded step at once, then BPTT step by step.
            hiddenOut.withUnsafeBufferPointer { hout in gradOutputs.withUnsafeBufferPointer { go in
                trunk.withUnsafeBufferPointer { tb in trunkGradients.withUnsafeMutableBufferPointer { da in
                    let readOut = policy.readOutBackward(parameters: p, hidden: hout.baseAddress!,
                                                         trunkActivations: tb.baseAddress!, gradOutputs: go.baseAddress!,
                                                         rows: n, trunkGradients: da.baseAddress!, gradients: g.baseAddress!)
                    backPropagateThroughTime(readOut: readOut, transposedRecurrentWeight: wT)
                } }
            } }
            inputs.withUnsafeBufferPointer { x in hiddenIn.withUnsafeBufferPointer { hin in
                gradInputGates.withUnsafeBufferPointer { gx in gradRecurrentGates.withUnsafeBufferPointer { gh in
                    gru.accumulateParameterGradients(inputs: x.baseAddress!, hiddens: hin.baseAddress!,
                                                     gradInputGates: gx.baseAddress!, gradRecurrentGates: gh.baseAddress!,
                                                     rows: n, gradients: g.baseAddress!)
                } }
            } }
        }
    }

    /// BPTT over the recorded segment: per step, dL/dh = source·weight from the read-out (see
    /// `RecurrentPolicy.readOutBackward`) plus what flows back from later steps; leaves the GRU gate gradients.
    func backPropagateThroughTime(readOut: (source: UnsafePointer<Float>, width: Int, weight: UnsafePointer<Float>),
                                  transposedRecurrentWeight wT: UnsafePointer<Float>) {
        let h = policy.hiddenSize, gru = policy.gru
        gradHidden.withUnsafeMutableBufferPointer { dh in gradHiddenIn.withUnsafeMutableBufferPointer { din in
            hiddenIn.withUnsafeBufferPointer { hin in
                cache.withUnsafeBufferPointer { k in gradInputGates.withUnsafeMutableBufferPointer { gx in
                    gradRecurrentGates.withUnsafeMutableBufferPointer { gh in
                        dh.update(repeating: 0)
                        for t in stride(from: length - 1, through: 0, by: -1) {
                            let base = t * rows
                            Kernels.gemm(m: rows, n: h, k: readOut.width, a: readOut.source + base * readOut.width,
                                         lda: readOut.width, b: readOut.weight, ldb: h, c: dh.baseAddress!, ldc: h,
                                         accumulate: true)
                            din.update(repeating: 0)
                            gru.backward(hidden: hin.baseAddress! + base * h,
                                         cache: k.baseAddress! + base * gru.cacheSizePerRow,
                                         gradOutput: dh.baseAddress!, rows: rows,
                                         gradInputGates: gx.baseAddress! + base * 3 * h,
                                         gradRecurrentGates: gh.baseAddress! + base * 3 * h,
                                         gradHidden: din.baseAddress!, transposedRecurrentWeight: wT)
                            if t > 0 {
                                for r in 0..<rows {
                                    let c = continues[(t - 1) * rows + r]
                                    for j in 0..<h { dh[r * h + j] = din[r * h + j] * c }
                                }
                            }
                        }
                    }
                } }
            }
        } }
    }
}
