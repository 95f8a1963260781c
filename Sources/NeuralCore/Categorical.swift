import RealModule

/// Numerics of one categorical distribution given by unnormalised logits.
public enum Categorical {
    /// Every choice allowed: the mask of a head that masks nothing.
    public static let allAllowed = UInt32.max

    /// Writes the log-softmax of `logits` into the first `logits.count` floats of `out`; returns the entropy −Σ p log p.
    /// Choices whose bit in `allowed` is clear (as illegal moves in a game) get probability 0 (log-probability −∞)
    /// and take no part in the normalisation or the entropy; with every bit set this is the plain log-softmax.
    @discardableResult
    public static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>,
                                  allowed: UInt32 = allAllowed) -> Float {
        let count = logits.count
        requireSize(out.count >= count, "logSoftmax: \(count) logits into \(out.count) floats")
        requireSize(count <= 32 || allowed == allAllowed, "logSoftmax: a mask covers at most 32 choices, got \(count)")
        @inline(__always) func isAllowed(_ j: Int) -> Bool { j >= 32 || allowed & (1 << UInt32(j)) != 0 }
        var m = -Float.infinity
        for j in 0..<count where isAllowed(j) { m = max(m, logits[j]) }
        var s: Float = 0
        for j in 0..<count where isAllowed(j) { s += Float.exp(logits[j] - m) }
        let lse = m + Float.log(s)
        var entropy: Float = 0
        for j in 0..<count {
            guard isAllowed(j) else { out[j] = -.infinity; continue }
            let lp = logits[j] - lse
            out[j] = lp
            entropy -= Float.exp(lp) * lp
        }
        return entropy
    }

    /// Overwrites `scores` with their softmax, the probabilities exp(sⱼ − max s) / Σₖ exp(sₖ − max s). O(n).
    public static func softmax(_ scores: UnsafeMutableBufferPointer<Float>) {
        guard !scores.isEmpty else { return }
        var top = scores[0]
        for j in scores.indices.dropFirst() { top = max(top, scores[j]) }
        var sum: Float = 0
        for j in scores.indices {
            scores[j] = .exp(scores[j] - top)
            sum += scores[j]
        }
        for j in scores.indices { scores[j] /= sum }
    }

    /// The most likely choice: the index of the largest of `scores` (logits, log-probabilities or probabilities),
    /// the lowest among ties; 0 when there are none. O(n).
    public static func argmax(_ scores: UnsafeBufferPointer<Float>) -> Int {
        var best = 0
        for j in scores.indices.dropFirst() where scores[j] > scores[best] { best = j }
        return best
    }

    /// Draws an index with probabilities `exp(logProbs)` by inverting the CDF with one uniform draw.
    public static func sample(logProbs: UnsafeBufferPointer<Float>, rng: inout SplitMix64) -> Int {
        let count = logProbs.count
        let u = rng.nextUnitFloat()
        var c: Float = 0
        for j in 0..<count {
            c += Float.exp(logProbs[j])
            if u < c { return j }
        }
        // Rounding left the CDF just short of 1: take the last action with non-zero probability.
        var j = count - 1
        while j > 0 && logProbs[j] == -.infinity { j -= 1 }
        return j
    }

    /// Adds the gradient w.r.t. the logits of `−policyWeight·log p(action) − entropyWeight·H` into the first
    /// `logProbs.count` floats of `grad`. Choices of log-probability −∞ (masked out) get no gradient.
    public static func accumulateLossGradient(logProbs: UnsafeBufferPointer<Float>, action: Int,
                                              policyWeight: Float, entropyWeight: Float, entropy: Float,
                                              into grad: UnsafeMutableBufferPointer<Float>) {
        let count = logProbs.count
        requireSize(grad.count >= count, "accumulateLossGradient: \(count) logits into \(grad.count) floats")
        for j in 0..<count {
            let lp = logProbs[j]
            guard lp > -.infinity else { continue }
            let p = Float.exp(lp)
            let indicator: Float = j == action ? 1 : 0
            grad[j] += -policyWeight * (indicator - p) + entropyWeight * p * (lp + entropy)
        }
    }
}

/// Weights of the actor-critic loss terms.
public struct ActorCriticCoefficients: Sendable, Equatable, Codable {
    /// Weight of the entropy bonus (subtracted from the loss).
    public var entropy: Float
    /// Weight of the mean squared value error.
    public var value: Float
    /// Which entropy the bonus rewards.
    public var entropyOver: EntropyMeasure
    public init(entropy: Float = 0.01, value: Float = 0.5, entropyOver: EntropyMeasure = .heads) {
        self.entropy = entropy
        self.value = value
        self.entropyOver = entropyOver
    }

    /// Coefficients saved before the entropy measure existed reward both heads' entropies.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(entropy: try c.decode(Float.self, forKey: .entropy), value: try c.decode(Float.self, forKey: .value),
                  entropyOver: try c.decodeIfPresent(EntropyMeasure.self, forKey: .entropyOver) ?? .heads)
    }
}

/// The entropy an actor-critic's bonus keeps up.
public enum EntropyMeasure: String, Sendable, Codable, CaseIterable {
    /// H(task) + H(play): each head's own, as if both halves always acted.
    case heads
    /// The entropy of what the world can tell apart when a play half other than play choice 0 (not playing) takes
    /// the turn and the task half then does nothing: H(play) + p(not playing)·H(task). Its maximum spreads the
    /// steps evenly over the distinct actions (six task actions, and each allowed play), where H(task) + H(play)
    /// would have a head with k plays play on k of k + 1 steps.
    case outcomes
}

/// The loss terms of one batch, averaged over rows (for logging).
public struct ActorCriticLoss: Sendable, Equatable {
    public var policy: Double = 0
    public var value: Double = 0
    public var entropy: Double = 0
    public init() {}
    /// `policy + value·valueLoss − entropy·entropyBonus`, the scalar that is minimised.
    public func total(_ c: ActorCriticCoefficients) -> Double {
        policy + Double(c.value) * value - Double(c.entropy) * entropy
    }
}

/// A factored categorical policy and a value head on one fused linear layer over a hidden state.
///
/// Each output row is `[task logits (taskCount) | play logits (playCount) | value]`. The action is the pair
/// ⟨task, play⟩ drawn independently from the two softmax heads, so log π(a) = log π_task + log π_play and the
/// entropy is the sum of both heads' entropies.
public struct ActorCriticHead: Sendable, Equatable {
    public let hiddenSize: Int
    public let taskCount: Int
    public let playCount: Int
    public let linear: Linear

    public init(hiddenSize: Int, taskCount: Int, playCount: Int, layout: inout ParameterLayout) {
        self.hiddenSize = hiddenSize
        self.taskCount = taskCount
        self.playCount = playCount
        linear = Linear(inputSize: hiddenSize, outputSize: taskCount + playCount + 1, layout: &layout)
    }

    /// Floats per output row.
    public var outputSize: Int { taskCount + playCount + 1 }

    /// Small policy weights (gain 0.1) so the initial policy is near uniform, as is usual for actor-critics.
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64) {
        linear.initialize(values, rng: &rng, gain: 0.1)
        linear.bias.fill(values, with: 0)
    }

    /// `outputs[rows×outputSize]` from `hidden[rows×H]`. Complexity O(rows·H·outputSize).
    public func forward(parameters p: UnsafeBufferPointer<Float>, hidden: UnsafeBufferPointer<Float>, rows: Int,
                        outputs: UnsafeMutableBufferPointer<Float>) {
        linear.forward(parameters: p, input: hidden, rows: rows, output: outputs)
    }

    /// Log-probabilities of both heads for one output row, written `[task | play]` into `logProbs`
    /// (`taskCount + playCount` floats); returns the two entropies. Play choices whose bit in `playAllowed` is clear
    /// get log-probability −∞.
    @discardableResult
    public func logProbabilities(row: UnsafeBufferPointer<Float>, into logProbs: UnsafeMutableBufferPointer<Float>,
                                 playAllowed: UInt32 = Categorical.allAllowed) -> (task: Float, play: Float) {
        requireSize(row.count >= outputSize, "logProbabilities: a row of \(outputSize) floats, got \(row.count)")
        requireSize(logProbs.count >= taskCount + playCount, "logProbabilities: \(taskCount + playCount) floats out, got \(logProbs.count)")
        let (taskPart, playPart) = (0..<taskCount, taskCount..<(taskCount + playCount))
        let ht = Categorical.logSoftmax(UnsafeBufferPointer(rebasing: row[taskPart]), into: logProbs)
        let hp = Categorical.logSoftmax(UnsafeBufferPointer(rebasing: row[playPart]),
                                        into: UnsafeMutableBufferPointer(rebasing: logProbs[playPart]), allowed: playAllowed)
        return (ht, hp)
    }

    /// Samples ⟨task, play⟩ for one output row; `logProbs` (taskCount + playCount floats) receives both heads'
    /// log-probabilities so the caller can show or store them. The play half is drawn among `playAllowed`.
    public func sample(row: UnsafeBufferPointer<Float>, logProbs: UnsafeMutableBufferPointer<Float>,
                       playAllowed: UInt32 = Categorical.allAllowed, rng: inout SplitMix64) -> (task: Int32, play: Int32) {
        logProbabilities(row: row, into: logProbs, playAllowed: playAllowed)
        let t = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[0..<taskCount]), rng: &rng)
        let q = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[taskCount..<(taskCount + playCount)]),
                                   rng: &rng)
        return (Int32(t), Int32(q))
    }

    /// Writes dL/d(outputs) for the actor-critic loss and adds the loss terms (weighted by `rowWeight`) to `loss`.
    ///
    /// Per row: `−policyWeight·log π(task, play) − coefficients.entropy·rowWeight·H` (H: `coefficients.entropyOver`)
    /// + coefficients.value·rowWeight·(V − return)²`. For A2C `policyWeight = advantage·rowWeight`; for PPO it is
    /// the clipped surrogate's derivative. `scratch` holds `taskCount + playCount` floats. Masked play choices
    /// (`playAllowed`, as the row was sampled with) take no part: a head with one allowed choice has no gradient.
    public func lossGradient(row: UnsafeBufferPointer<Float>, task: Int32, play: Int32, policyWeight: Float,
                             valueTarget: Float, rowWeight: Float, coefficients: ActorCriticCoefficients,
                             playAllowed: UInt32 = Categorical.allAllowed,
                             gradRow: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
                             loss: inout ActorCriticLoss) {
        requireSize(gradRow.count >= outputSize, "lossGradient: a gradient row of \(outputSize) floats, got \(gradRow.count)")
        let (ht, hp) = logProbabilities(row: row, into: scratch, playAllowed: playAllowed)
        for j in 0..<outputSize { gradRow[j] = 0 }
        let ew = coefficients.entropy * rowWeight
        let (taskPart, playPart) = (0..<taskCount, taskCount..<(taskCount + playCount))
        // H(play) + p0·H(task) for the outcomes measure: the task head's bonus is scaled by p0 = p(not playing), and
        // the play head's gets H(task)·∇p0, with ∂p0/∂z_j = p0(δ_j0 − p_j).
        let notPlaying = coefficients.entropyOver == .outcomes ? Float.exp(scratch[taskCount]) : 1
        Categorical.accumulateLossGradient(logProbs: UnsafeBufferPointer(rebasing: scratch[taskPart]), action: Int(task),
                                           policyWeight: policyWeight, entropyWeight: ew * notPlaying, entropy: ht,
                                           into: UnsafeMutableBufferPointer(rebasing: gradRow[taskPart]))
        Categorical.accumulateLossGradient(logProbs: UnsafeBufferPointer(rebasing: scratch[playPart]), action: Int(play),
                                           policyWeight: policyWeight, entropyWeight: ew, entropy: hp,
                                           into: UnsafeMutableBufferPointer(rebasing: gradRow[playPart]))
        if coefficients.entropyOver == .outcomes {
            for j in playPart where scratch[j] > -.infinity {
                gradRow[j] -= ew * ht * notPlaying * ((j == taskCount ? 1 : 0) - Float.exp(scratch[j]))
            }
        }
        let v = row[taskCount + playCount]
        gradRow[taskCount + playCount] = 2 * coefficients.value * rowWeight * (v - valueTarget)
        loss.policy -= Double(policyWeight) * Double(scratch[Int(task)] + scratch[taskCount + Int(play)])
        loss.entropy += Double(rowWeight) * Double(notPlaying * ht + hp)
        loss.value += Double(rowWeight) * Double((v - valueTarget) * (v - valueTarget))
    }
}
