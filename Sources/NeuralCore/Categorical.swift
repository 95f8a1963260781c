import RealModule

/// Numerics of one categorical distribution given by unnormalised logits.
public enum Categorical {
    /// Writes the log-softmax of `logits` into the first `logits.count` floats of `out`; returns the entropy −Σ p log p.
    @discardableResult
    public static func logSoftmax(_ logits: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) -> Float {
        let count = logits.count
        requireSize(out.count >= count, "logSoftmax: \(count) logits into \(out.count) floats")
        var m = -Float.infinity
        for j in 0..<count { m = max(m, logits[j]) }
        var s: Float = 0
        for j in 0..<count { s += Float.exp(logits[j] - m) }
        let lse = m + Float.log(s)
        var entropy: Float = 0
        for j in 0..<count {
            let lp = logits[j] - lse
            out[j] = lp
            entropy -= Float.exp(lp) * lp
        }
        return entropy
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
    /// `logProbs.count` floats of `grad`.
    public static func accumulateLossGradient(logProbs: UnsafeBufferPointer<Float>, action: Int,
                                              policyWeight: Float, entropyWeight: Float, entropy: Float,
                                              into grad: UnsafeMutableBufferPointer<Float>) {
        let count = logProbs.count
        requireSize(grad.count >= count, "accumulateLossGradient: \(count) logits into \(grad.count) floats")
        for j in 0..<count {
            let lp = logProbs[j]
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
    public init(entropy: Float = 0.01, value: Float = 0.5) { self.entropy = entropy; self.value = value }
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
    /// (`taskCount + playCount` floats); returns the two entropies.
    @discardableResult
    public func logProbabilities(row: UnsafeBufferPointer<Float>, into logProbs: UnsafeMutableBufferPointer<Float>) -> (task: Float, play: Float) {
        requireSize(row.count >= outputSize, "logProbabilities: a row of \(outputSize) floats, got \(row.count)")
        requireSize(logProbs.count >= taskCount + playCount, "logProbabilities: \(taskCount + playCount) floats out, got \(logProbs.count)")
        let (taskPart, playPart) = (0..<taskCount, taskCount..<(taskCount + playCount))
        let ht = Categorical.logSoftmax(UnsafeBufferPointer(rebasing: row[taskPart]), into: logProbs)
        let hp = Categorical.logSoftmax(UnsafeBufferPointer(rebasing: row[playPart]),
                                        into: UnsafeMutableBufferPointer(rebasing: logProbs[playPart]))
        return (ht, hp)
    }

    /// Samples ⟨task, play⟩ for one output row; `logProbs` (taskCount + playCount floats) receives both heads'
    /// log-probabilities so the caller can show or store them.
    public func sample(row: UnsafeBufferPointer<Float>, logProbs: UnsafeMutableBufferPointer<Float>,
                       rng: inout SplitMix64) -> (task: Int32, play: Int32) {
        logProbabilities(row: row, into: logProbs)
        let t = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[0..<taskCount]), rng: &rng)
        let q = Categorical.sample(logProbs: UnsafeBufferPointer(rebasing: logProbs[taskCount..<(taskCount + playCount)]),
                                   rng: &rng)
        return (Int32(t), Int32(q))
    }

    /// Writes dL/d(outputs) for the actor-critic loss and adds the loss terms (weighted by `rowWeight`) to `loss`.
    ///
    /// Per row: `−policyWeight·log π(task, play) − coefficients.entropy·rowWeight·(H_task + H_play)
    /// + coefficients.value·rowWeight·(V − return)²`. For A2C `policyWeight = advantage·rowWeight`; for PPO it is
    /// the clipped surrogate's derivative. `scratch` holds `taskCount + playCount` floats.
    public func lossGradient(row: UnsafeBufferPointer<Float>, task: Int32, play: Int32, policyWeight: Float,
                             valueTarget: Float, rowWeight: Float, coefficients: ActorCriticCoefficients,
                             gradRow: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>,
                             loss: inout ActorCriticLoss) {
        requireSize(gradRow.count >= outputSize, "lossGradient: a gradient row of \(outputSize) floats, got \(gradRow.count)")
        let (ht, hp) = logProbabilities(row: row, into: scratch)
        for j in 0..<outputSize { gradRow[j] = 0 }
        let ew = coefficients.entropy * rowWeight
        let (taskPart, playPart) = (0..<taskCount, taskCount..<(taskCount + playCount))
        Categorical.accumulateLossGradient(logProbs: UnsafeBufferPointer(rebasing: scratch[taskPart]), action: Int(task),
                                           policyWeight: policyWeight, entropyWeight: ew, entropy: ht,
                                           into: UnsafeMutableBufferPointer(rebasing: gradRow[taskPart]))
        Categorical.accumulateLossGradient(logProbs: UnsafeBufferPointer(rebasing: scratch[playPart]), action: Int(play),
                                           policyWeight: policyWeight, entropyWeight: ew, entropy: hp,
                                           into: UnsafeMutableBufferPointer(rebasing: gradRow[playPart]))
        let v = row[taskCount + playCount]
        gradRow[taskCount + playCount] = 2 * coefficients.value * rowWeight * (v - valueTarget)
        loss.policy -= Double(policyWeight) * Double(scratch[Int(task)] + scratch[taskCount + Int(play)])
        loss.entropy += Double(rowWeight) * Double(ht + hp)
        loss.value += Double(rowWeight) * Double((v - valueTarget) * (v - valueTarget))
    }
}
