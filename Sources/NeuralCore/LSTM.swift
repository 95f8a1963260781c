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
    public func forward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                        hidden: UnsafeBufferPointer<Float>, cell: UnsafeBufferPointer<Float>, rows: Int,
                        outputHidden: UnsafeMutableBufferPointer<Float>, outputCell: UnsafeMutableBufferPointer<Float>,
                        cache: UnsafeMutableBufferPointer<Float>?, scratch: UnsafeMutableBufferPointer<Float>) {
        let hs = hiddenSize, h4 = 4 * hs
        requireSize(cell.count >= rows * hs && outputHidden.count >= rows * hs && outputCell.count >= rows * hs,
                    "LSTM.forward: \(rows) rows of \(hs) for the state")
        requireSize(cache.map { $0.count >= rows * cacheSizePerRow } ?? true, "LSTM.forward: cache needs \(rows * cacheSizePerRow) floats")
        Kernels.fillRows(rows: rows, cols: h4, with: bias.values(in: p), into: scratch, ld: h4)
        Kernels.gemm(m: rows, n: h4, k: inputSize, a: input, lda: inputSize, b: inputWeight.values(in: p),
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        Kernels.gemm(m: rows, n: h4, k: hs, a: hidden, lda: hs, b: recurrentWeight.values(in: p),
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        let cache = cache?.baseAddress
        for r in 0..<rows {
            let a = scratch.baseAddress! + r * h4
            let cp = cell.baseAddress! + r * hs, ho = outputHidden.baseAddress! + r * hs, co = outputCell.baseAddress! + r * hs
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
    public func backward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                         hidden: UnsafeBufferPointer<Float>, cell: UnsafeBufferPointer<Float>, cache: UnsafeBufferPointer<Float>,
                         gradHidden: UnsafeBufferPointer<Float>, gradCell: UnsafeBufferPointer<Float>?, rows: Int,
                         gradients grad: UnsafeMutableBufferPointer<Float>, gradInput: UnsafeMutableBufferPointer<Float>?,
                         gradHiddenPrevious: UnsafeMutableBufferPointer<Float>, gradCellPrevious: UnsafeMutableBufferPointer<Float>,
                         scratch: UnsafeMutableBufferPointer<Float>) {
        let hs = hiddenSize, h4 = 4 * hs
        requireSize(cell.count >= rows * hs && gradHidden.count >= rows * hs && (gradCell?.count ?? rows * hs) >= rows * hs
                    && gradCellPrevious.count >= rows * hs, "LSTM.backward: \(rows) rows of \(hs) for the state gradients")
        requireSize(cache.count >= rows * cacheSizePerRow && scratch.count >= rows * scratchSizePerRow,
                    "LSTM.backward: cache and scratch need \(rows * cacheSizePerRow) and \(rows * scratchSizePerRow) floats")
        let gradCell = gradCell?.baseAddress
        for r in 0..<rows {
            let k = cache.baseAddress! + r * 6 * hs, da = scratch.baseAddress! + r * h4
            let dh = gradHidden.baseAddress! + r * hs, cp = cell.baseAddress! + r * hs
            let dcp = gradCellPrevious.baseAddress! + r * hs
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
        let gates = scratch.readOnly
        Kernels.gemm(transposeA: true, m: inputSize, n: h4, k: rows, a: input, lda: inputSize, b: gates, ldb: h4,
                     c: inputWeight.values(in: grad), ldc: h4, accumulate: true)
        Kernels.gemm(transposeA: true, m: hs, n: h4, k: rows, a: hidden, lda: hs, b: gates, ldb: h4,
                     c: recurrentWeight.values(in: grad), ldc: h4, accumulate: true)
        Kernels.addColumnSums(rows: rows, cols: h4, gates, ld: h4, into: bias.values(in: grad))
        Kernels.gemmTransposedB(m: rows, n: hs, k: h4, a: gates, lda: h4, b: recurrentWeight.values(in: p), ldb: h4,
                                c: gradHiddenPrevious, ldc: hs, accumulate: true)
        if let gradInput {
            Kernels.gemmTransposedB(m: rows, n: inputSize, k: h4, a: gates, lda: h4, b: inputWeight.values(in: p),
                                    ldb: h4, c: gradInput, ldc: inputSize, accumulate: true)
        }
    }
}
