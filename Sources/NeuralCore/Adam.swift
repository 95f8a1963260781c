/// The Adam optimiser (Kingma & Ba) over one flat parameter buffer, with bias correction.
public struct Adam: Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// Updates taken so far (drives bias correction; saved in checkpoints).
    public var stepCount: Int = 0
    public var firstMoment: ContiguousArray<Float>
    public var secondMoment: ContiguousArray<Float>

    public init(parameterCount: Int, learningRate: Float = 7e-4, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = ContiguousArray(repeating: 0, count: parameterCount)
        secondMoment = ContiguousArray(repeating: 0, count: parameterCount)
    }

    /// Applies one update `θ ← θ − lr·m̂/(√v̂ + ε)`. Complexity O(parameters).
    public mutating func update(parameters: inout ContiguousArray<Float>, gradients: ContiguousArray<Float>) {
        precondition(parameters.count == firstMoment.count && gradients.count == firstMoment.count,
                     "Adam: buffer sizes differ from the optimiser's")
        stepCount += 1
        let b1 = beta1, b2 = beta2, eps = epsilon
        let c1 = 1 - Float(Double(b1).power(stepCount))
        let c2 = 1 - Float(Double(b2).power(stepCount))
        let stepSize = learningRate / c1
        let c2root = c2.squareRoot()
        parameters.withUnsafeMutableBufferPointer { p in
            gradients.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for i in 0..<p.count {
                            let gi = g[i]
                            let mi = b1 * m[i] + (1 - b1) * gi
                            let vi = b2 * v[i] + (1 - b2) * gi * gi
                            m[i] = mi
                            v[i] = vi
                            p[i] -= stepSize * mi / (vi.squareRoot() / c2root + eps)
                        }
                    }
                }
            }
        }
    }
}

extension Double {
    @inlinable func power(_ n: Int) -> Double {
        var r = 1.0, b = self, e = n
        while e > 0 { if e & 1 == 1 { r *= b }; b *= b; e >>= 1 }
        return r
    }
}

/// Global gradient-norm clipping (as `torch.nn.utils.clip_grad_norm_`).
public enum GradientClipping {
    /// The L2 norm of `gradients`, accumulated in Double. O(count).
    public static func globalNorm(_ gradients: ContiguousArray<Float>) -> Double {
        gradients.withUnsafeBufferPointer { g -> Double in
            var s = 0.0
            for x in g { s += Double(x) * Double(x) }
            return s.squareRoot()
        }
    }

    /// Scales `gradients` so their L2 norm is at most `maxNorm`; returns the norm before clipping
    /// (non-finite when some gradient is NaN or infinite, in which case nothing is scaled).
    @discardableResult
    public static func clipGlobalNorm(_ gradients: inout ContiguousArray<Float>, maxNorm: Float) -> Double {
        let norm = globalNorm(gradients)
        guard norm.isFinite else { return norm }
        if norm > Double(maxNorm) {
            let scale = Float(Double(maxNorm) / (norm + 1e-6))
            gradients.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= scale } }
        }
        return norm
    }
}
