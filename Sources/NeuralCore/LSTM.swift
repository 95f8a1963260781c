/// A long short-term memory cell (gate order i, f, g, o as in PyTorch), stepped by the caller.
///
///     [i f g o] = x·Wᵢ + h·Wₕ + b,   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
///
/// Offered beside the GRU for agents that want a separate memory cell; weights are input-major like the GRU's.
public struct LSTM: Sendable, Equatable {
    public let inputSize: Int
    public let hiddenSize: Int
    public let inputWeight: ParameterBlock
    public let recurrentWeight: ParameterBlock
    public let bias: ParameterBlock

    public init(inputSize: Int, hiddenSize: Int, layout: inout ParameterLayout) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        inputWeight = layout.allocate(inputSize * 4 * hiddenSize)
        recurrentWeight = layout.allocate(hiddenSize * 4 * hiddenSize)
        bias = layout.allocate(4 * hiddenSize)
    }

    /// Uniform ±1/√H weights; forget-gate bias 1 (so memories persist early in training), other biases 0.
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        inputWeight.initializeUniform(values, bound: bound, rng: &rng)
        recurrentWeight.initializeUniform(values, bound: bound, rng: &rng)
        bias.fill(values, with: 0)
        for j in 0..<hiddenSize { values[bias.offset + hiddenSize + j] = 1 }
    }

    /// Floats per row that `forward` stores: the four activated gates, c' and tanh(c').
    public var cacheSizePerRow: Int { 6 * hiddenSize }
    /// Floats per row of scratch for `forward` and `backward`.
    public var scratchSizePerRow: Int { 4 * hiddenSize }

    /// One step: writes `outputHidden` and `outputCell` (`rows×H` each). Complexity O(rows·(input+H)·4H).
    public func forward(parameters p: UnsafePointer<Float>, input: UnsafePointer<Float>,
                        hidden: UnsafePointer<Float>, cell: UnsafePointer<Float>, rows: Int,
                        outputHidden: UnsafeMutablePointer<Float>, outputCell: UnsafeMutablePointer<Float>,
                        cache: UnsafeMutablePointer<Float>?, scratch: UnsafeMutablePointer<Float>) {
        let hs = hiddenSize, h4 = 4 * hs
        Kernels.fillRows(rows: rows, cols: h4, with: p + bias.offset, into: scratch, ld: h4)
        Kernels.gemm(m: rows, n: h4, k: inputSize, a: input, lda: inputSize, b: p + inputWeight.offset,
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        Kernels.gemm(m: rows, n: h4, k: hs, a: hidden, lda: hs, b: p + recurrentWeight.offset,
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        for r in 0..<rows {
            let a = scratch + r * h4
            let cp = cell + r * hs, ho = outputHidden + r * hs, co = outputCell + r * hs
            var j = 0
            while j < hs {
                let w = min(Kernels.width, hs - j)
                let i = Activations.sigmoid(Kernels.load(a + j, count: w))
                let f = Activations.sigmoid(Kernels.load(a + hs + j, count: w))
                let g = Activations.tanh(Kernels.load(a + 2 * hs + j, count: w))
                let o = Activations.sigmoid(Kernels.load(a + 3 * hs + j, count: w))
                let c = (f * Kernels.load(cp + j, count: w)).addingProduct(i, g)
                let tc = Activations.tanh(c)
                Kernels.store(c, co + j, count: w)
                Kernels.store(o * tc, ho + j, count: w)
                if let cache {
                    let k = cache + r * 6 * hs + j
                    Kernels.store(i, k, count: w); Kernels.store(f, k + hs, count: w)
                    Kernels.store(g, k + 2 * hs, count: w); Kernels.store(o, k + 3 * hs, count: w)
                    Kernels.store(c, k + 4 * hs, count: w); Kernels.store(tc, k + 5 * hs, count: w)
                }
                j += w
            }
        }
    }

    /// One step back: from dL/dh' and dL/dc' (nil = 0) adds parameter gradients, dL/dx (when given), and
    /// dL/dh, dL/dc into `gradHiddenPrevious`, `gradCellPrevious`. Complexity O(rows·(input+H)·4H).
    public func backward(parameters p: UnsafePointer<Float>, input: UnsafePointer<Float>,
                         hidden: UnsafePointer<Float>, cell: UnsafePointer<Float>, cache: UnsafePointer<Float>,
                         gradHidden: UnsafePointer<Float>, gradCell: UnsafePointer<Float>?, rows: Int,
                         gradients grad: UnsafeMutablePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                         gradHiddenPrevious: UnsafeMutablePointer<Float>, gradCellPrevious: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>) {
        let hs = hiddenSize, h4 = 4 * hs
        for r in 0..<rows {
            let k = cache + r * 6 * hs, da = scratch + r * h4
            let dh = gradHidden + r * hs, cp = cell + r * hs, dcp = gradCellPrevious + r * hs
            var j = 0
            while j < hs {
                let w = min(Kernels.width, hs - j)
                let i = Kernels.load(k + j, count: w), f = Kernels.load(k + hs + j, count: w)
                let g = Kernels.load(k + 2 * hs + j, count: w), o = Kernels.load(k + 3 * hs + j, count: w)
                let tc = Kernels.load(k + 5 * hs + j, count: w)
                let d = Kernels.load(dh + j, count: w)
                var dc = d * o * (1 - tc * tc)
                if let gradCell { dc += Kernels.load(gradCell + r * hs + j, count: w) }
                Kernels.store(i * (1 - i) * dc * g, da + j, count: w)
                Kernels.store(f * (1 - f) * dc * Kernels.load(cp + j, count: w), da + hs + j, count: w)
                Kernels.store((1 - g * g) * dc * i, da + 2 * hs + j, count: w)
                Kernels.store(o * (1 - o) * d * tc, da + 3 * hs + j, count: w)
                Kernels.store(Kernels.load(dcp + j, count: w).addingProduct(dc, f), dcp + j, count: w)
                j += w
            }
        }
        Kernels.gemm(transposeA: true, m: inputSize, n: h4, k: rows, a: input, lda: inputSize, b: scratch, ldb: h4,
                     c: grad + inputWeight.offset, ldc: h4, accumulate: true)
        Kernels.gemm(transposeA: true, m: hs, n: h4, k: rows, a: hidden, lda: hs, b: scratch, ldb: h4,
                     c: grad + recurrentWeight.offset, ldc: h4, accumulate: true)
        Kernels.addColumnSums(rows: rows, cols: h4, scratch, ld: h4, into: grad + bias.offset)
        Kernels.gemmTransposedB(m: rows, n: hs, k: h4, a: scratch, lda: h4, b: p + recurrentWeight.offset, ldb: h4,
                                c: gradHiddenPrevious, ldc: hs, accumulate: true)
        if let gradInput {
            Kernels.gemmTransposedB(m: rows, n: inputSize, k: h4, a: scratch, lda: h4, b: p + inputWeight.offset,
                                    ldb: h4, c: gradInput, ldc: inputSize, accumulate: true)
        }
    }
}
