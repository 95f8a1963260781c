/// A long short-term memory cell (gate order i, f, g, o as in PyTorch), stepped by the caller.
///
///     [i f g o] = x·Wᵢ + h·Wₕ + b,   c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g),   h' = σ(o) ⊙ tanh(c')
///
/// Offered beside the GRU for agents that want a separate memory cell; weights are input-major like the GRU's.
///
/// With `reinstates`, a fifth gate r (order i, f, g, o, r) lets a cell state recalled from an episodic memory
/// re-enter the cell, as in the episodic LSTM of Ritter et al. 2018 ("Been there, done that"):
///
///     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g) + σ(r) ⊙ c_ep
///
/// The recalled state c_ep is an input like x: gradients reach the r-gate through it, never the memory itself.
public struct LSTM: Sendable, Equatable {
    public let inputSize: Int
    public let hiddenSize: Int
    /// Has the reinstatement gate r and takes a recalled cell state at every step.
    public let reinstates: Bool
    public let inputWeight: ParameterBlock
    public let recurrentWeight: ParameterBlock
    public let bias: ParameterBlock

    public init(inputSize: Int, hiddenSize: Int, reinstates: Bool = false, layout: inout ParameterLayout) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.reinstates = reinstates
        let gates = reinstates ? 5 : 4
        inputWeight = layout.allocate(inputSize * gates * hiddenSize)
        recurrentWeight = layout.allocate(hiddenSize * gates * hiddenSize)
        bias = layout.allocate(gates * hiddenSize)
    }

    /// Gate pre-activations per unit: i, f, g, o (and r).
    public var gateCount: Int { reinstates ? 5 : 4 }

    /// Uniform ±1/√H weights; forget-gate bias 1 (so memories persist early in training), other biases 0 (the
    /// reinstatement gate starts half open, so a recalled state reaches the policy from the first update).
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        inputWeight.initializeUniform(values, bound: bound, rng: &rng)
        recurrentWeight.initializeUniform(values, bound: bound, rng: &rng)
        bias.fill(values, with: 0)
        for j in 0..<hiddenSize { values[bias.offset + hiddenSize + j] = 1 }
    }

    /// Floats per row that `forward` stores: the activated gates, c' and tanh(c').
    public var cacheSizePerRow: Int { (gateCount + 2) * hiddenSize }
    /// Floats per row of scratch for `forward` and `backward`.
    public var scratchSizePerRow: Int { gateCount * hiddenSize }
    /// Where c' starts in a cache row.
    public var cachedCellOffset: Int { gateCount * hiddenSize }
    /// Where the reinstatement gate σ(r) starts in a cache row.
    public var cachedReinstatementOffset: Int { 4 * hiddenSize }

    /// One step: writes `outputHidden` and `outputCell` (`rows×H` each); `recalled` (`rows×H`, c_ep) is required
    /// exactly when the cell `reinstates`. Complexity O(rows·(input+H)·gates·H).
    public func forward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                        hidden: UnsafeBufferPointer<Float>, cell: UnsafeBufferPointer<Float>,
                        recalled: UnsafeBufferPointer<Float>? = nil, rows: Int,
                        outputHidden: UnsafeMutableBufferPointer<Float>, outputCell: UnsafeMutableBufferPointer<Float>,
                        cache: UnsafeMutableBufferPointer<Float>?, scratch: UnsafeMutableBufferPointer<Float>) {
        let hs = hiddenSize, h4 = gateCount * hs, cacheWidth = cacheSizePerRow, cellAt = cachedCellOffset
        requireSize(cell.count >= rows * hs && outputHidden.count >= rows * hs && outputCell.count >= rows * hs,
                    "LSTM.forward: \(rows) rows of \(hs) for the state")
        precondition((recalled != nil) == reinstates, "LSTM.forward: a recalled cell state is given exactly when the cell reinstates")
        requireSize((recalled?.count ?? rows * hs) >= rows * hs, "LSTM.forward: \(rows) rows of \(hs) recalled")
        requireSize(cache.map { $0.count >= rows * cacheSizePerRow } ?? true, "LSTM.forward: cache needs \(rows * cacheSizePerRow) floats")
        Kernels.fillRows(rows: rows, cols: h4, with: bias.values(in: p), into: scratch, ld: h4)
        Kernels.gemm(m: rows, n: h4, k: inputSize, a: input, lda: inputSize, b: inputWeight.values(in: p),
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        Kernels.gemm(m: rows, n: h4, k: hs, a: hidden, lda: hs, b: recurrentWeight.values(in: p),
                     ldb: h4, c: scratch, ldc: h4, accumulate: true)
        let cache = cache?.baseAddress, recalled = recalled?.baseAddress
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
                var c = (f * Kernels.load(cp + j, count: w)).addingProduct(i, g)
                var gate = Kernels.Vector(repeating: 0)
                if let recalled {
                    gate = Activations.sigmoid(Kernels.load(a + 4 * hs + j, count: w))
                    c = c.addingProduct(gate, Kernels.load(recalled + r * hs + j, count: w))
                }
                let tc = Activations.tanh(c)
                Kernels.store(c, co + j, count: w)
                Kernels.store(o * tc, ho + j, count: w)
                if let cache {
                    let k = cache + r * cacheWidth + j
                    Kernels.store(i, k, count: w); Kernels.store(f, k + hs, count: w)
                    Kernels.store(g, k + 2 * hs, count: w); Kernels.store(o, k + 3 * hs, count: w)
                    if recalled != nil { Kernels.store(gate, k + 4 * hs, count: w) }
                    Kernels.store(c, k + cellAt, count: w); Kernels.store(tc, k + cellAt + hs, count: w)
                }
                j += w
            }
        }
    }

    /// One step back: from dL/dh' and dL/dc' (nil = 0) adds parameter gradients, dL/dx (when given), and
    /// dL/dh, dL/dc into `gradHiddenPrevious`, `gradCellPrevious`; `recalled` is the c_ep that `forward` was given
    /// (no gradient flows into it). Complexity O(rows·(input+H)·gates·H).
    public func backward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                         hidden: UnsafeBufferPointer<Float>, cell: UnsafeBufferPointer<Float>,
                         recalled: UnsafeBufferPointer<Float>? = nil, cache: UnsafeBufferPointer<Float>,
                         gradHidden: UnsafeBufferPointer<Float>, gradCell: UnsafeBufferPointer<Float>?, rows: Int,
                         gradients grad: UnsafeMutableBufferPointer<Float>, gradInput: UnsafeMutableBufferPointer<Float>?,
                         gradHiddenPrevious: UnsafeMutableBufferPointer<Float>, gradCellPrevious: UnsafeMutableBufferPointer<Float>,
                         scratch: UnsafeMutableBufferPointer<Float>) {
        let hs = hiddenSize, h4 = gateCount * hs, cacheWidth = cacheSizePerRow, cellAt = cachedCellOffset
        precondition((recalled != nil) == reinstates, "LSTM.backward: a recalled cell state is given exactly when the cell reinstates")
        requireSize(cell.count >= rows * hs && gradHidden.count >= rows * hs && (gradCell?.count ?? rows * hs) >= rows * hs
                    && gradCellPrevious.count >= rows * hs, "LSTM.backward: \(rows) rows of \(hs) for the state gradients")
        requireSize(cache.count >= rows * cacheSizePerRow && scratch.count >= rows * scratchSizePerRow,
                    "LSTM.backward: cache and scratch need \(rows * cacheSizePerRow) and \(rows * scratchSizePerRow) floats")
        let gradCell = gradCell?.baseAddress, recalled = recalled?.baseAddress
        for r in 0..<rows {
            let k = cache.baseAddress! + r * cacheWidth, da = scratch.baseAddress! + r * h4
            let dh = gradHidden.baseAddress! + r * hs, cp = cell.baseAddress! + r * hs
            let dcp = gradCellPrevious.baseAddress! + r * hs
            var j = 0
            while j < hs {
                let w = min(Kernels.width, hs - j)
                let i = Kernels.load(k + j, count: w), f = Kernels.load(k + hs + j, count: w)
                let g = Kernels.load(k + 2 * hs + j, count: w), o = Kernels.load(k + 3 * hs + j, count: w)
                let tc = Kernels.load(k + cellAt + hs + j, count: w)
                let d = Kernels.load(dh + j, count: w)
                var dc = d * o * (1 - tc * tc)
                if let gradCell { dc += Kernels.load(gradCell + r * hs + j, count: w) }
                Kernels.store(i * (1 - i) * dc * g, da + j, count: w)
                Kernels.store(f * (1 - f) * dc * Kernels.load(cp + j, count: w), da + hs + j, count: w)
                Kernels.store((1 - g * g) * dc * i, da + 2 * hs + j, count: w)
                Kernels.store(o * (1 - o) * d * tc, da + 3 * hs + j, count: w)
                if let recalled {
                    let gate = Kernels.load(k + 4 * hs + j, count: w)
                    Kernels.store(gate * (1 - gate) * dc * Kernels.load(recalled + r * hs + j, count: w), da + 4 * hs + j, count: w)
                }
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
