/// A gated recurrent unit (PyTorch's `GRUCell` equations, gate order r, z, n), stepped by the caller so that
/// truncated backpropagation through time can span any number of steps.
///
///     r = σ(x·Wᵢᵣ + bᵢᵣ + h·Wₕᵣ + bₕᵣ)     z = σ(x·Wᵢz + bᵢz + h·Wₕz + bₕz)
///     n = tanh(x·Wᵢₙ + bᵢₙ + r ⊙ (h·Wₕₙ + bₕₙ))     h' = (1 − z) ⊙ n + z ⊙ h
///
/// Weights are stored input-major (`input×3H`, `H×3H`) so the per-step products are plain `x·W`. Backward
/// is split in two so that a trainer can run the sequential part per step and then form the weight
/// gradients for a whole rollout with two large products (`Xᵀ·dG`), which is where most of the time goes.
public struct GRU: Sendable, Equatable {
    public let inputSize: Int
    public let hiddenSize: Int
    public let inputWeight: ParameterBlock
    public let recurrentWeight: ParameterBlock
    public let inputBias: ParameterBlock
    public let recurrentBias: ParameterBlock

    public init(inputSize: Int, hiddenSize: Int, layout: inout ParameterLayout) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        inputWeight = layout.allocate(inputSize * 3 * hiddenSize)
        recurrentWeight = layout.allocate(hiddenSize * 3 * hiddenSize)
        inputBias = layout.allocate(3 * hiddenSize)
        recurrentBias = layout.allocate(3 * hiddenSize)
    }

    /// Uniform ±1/√H initialisation of every tensor (PyTorch's default).
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        for block in [inputWeight, recurrentWeight, inputBias, recurrentBias] {
            block.initializeUniform(values, bound: bound, rng: &rng)
        }
    }

    /// Floats per row that `forward` stores for `backward`: r, z, n and h·Wₕₙ + bₕₙ.
    public var cacheSizePerRow: Int { 4 * hiddenSize }
    /// Floats per row of scratch that `forward` needs (the two gate pre-activations).
    public var scratchSizePerRow: Int { 6 * hiddenSize }

    /// One step for `rows` sequences: `output = GRU(input, hidden)`. `output` may not alias `hidden`.
    ///
    /// `cache` (`rows × cacheSizePerRow`) is written when given; `scratch` holds `rows × scratchSizePerRow`.
    /// The input product skips zero inputs (one-hot features), with the same result as the dense product.
    /// Complexity O(rows·(input + H)·3H), less for sparse inputs.
    public func forward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                        hidden: UnsafeBufferPointer<Float>, rows: Int, output: UnsafeMutableBufferPointer<Float>,
                        cache: UnsafeMutableBufferPointer<Float>?, scratch: UnsafeMutableBufferPointer<Float>) {
        let hs = hiddenSize, h3 = 3 * hs
        requireSize(hidden.count >= rows * hs && output.count >= rows * hs, "GRU.forward: \(rows) rows of \(hs) for the state")
        requireSize(cache.map { $0.count >= rows * cacheSizePerRow } ?? true, "GRU.forward: cache needs \(rows * cacheSizePerRow) floats")
        requireSize(scratch.count >= rows * scratchSizePerRow, "GRU.forward: scratch needs \(rows * scratchSizePerRow) floats")
        let gx = scratch.rows(0, rows, width: h3), gh = scratch.rows(rows, rows, width: h3)
        Kernels.fillRows(rows: rows, cols: h3, with: inputBias.values(in: p), into: gx, ld: h3)
        Kernels.gemmSparseA(m: rows, n: h3, k: inputSize, a: input, lda: inputSize, b: inputWeight.values(in: p),
                            ldb: h3, c: gx, ldc: h3, accumulate: true)
        Kernels.fillRows(rows: rows, cols: h3, with: recurrentBias.values(in: p), into: gh, ld: h3)
        Kernels.gemm(m: rows, n: h3, k: hs, a: hidden, lda: hs, b: recurrentWeight.values(in: p),
                     ldb: h3, c: gh, ldc: h3, accumulate: true)
        let cache = cache?.baseAddress
        for i in 0..<rows {
            let xr = gx.baseAddress! + i * h3, hr = gh.baseAddress! + i * h3
            let hp = hidden.baseAddress! + i * hs, out = output.baseAddress! + i * hs
            let c = cache.map { $0 + i * 4 * hs }
            var j = 0
            while j < hs {
                let w = min(Kernels.width, hs - j)
                let r = Activations.sigmoid(Kernels.load(xr + j, count: w) + Kernels.load(hr + j, count: w))
                let z = Activations.sigmoid(Kernels.load(xr + hs + j, count: w) + Kernels.load(hr + hs + j, count: w))
                let ghn = Kernels.load(hr + 2 * hs + j, count: w)
                let n = Activations.tanh(Kernels.load(xr + 2 * hs + j, count: w).addingProduct(r, ghn))
                let hv = Kernels.load(hp + j, count: w)
                Kernels.store(n.addingProduct(z, hv - n), out + j, count: w)
                if let c {
                    Kernels.store(r, c + j, count: w)
                    Kernels.store(z, c + hs + j, count: w)
                    Kernels.store(n, c + 2 * hs + j, count: w)
                    Kernels.store(ghn, c + 3 * hs + j, count: w)
                }
                j += w
            }
        }
    }

    /// Writes `Wₕᵀ` (`3H×H`), which `backward` needs to push gradients to the previous hidden state.
    public func transposeRecurrentWeight(parameters p: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>) {
        Kernels.transpose(rows: hiddenSize, cols: 3 * hiddenSize, recurrentWeight.values(in: p), into: dst)
    }

    /// The sequential half of one step's backward pass.
    ///
    /// From dL/dh' (`gradOutput`) it writes the gate pre-activation gradients `gradInputGates` (for x·Wᵢ) and
    /// `gradRecurrentGates` (for h·Wₕ), each `rows×3H`, and *adds* dL/dh into `gradHidden`.
    /// `transposedRecurrentWeight` is from `transposeRecurrentWeight`. Complexity O(rows·H·3H).
    public func backward(hidden: UnsafeBufferPointer<Float>, cache: UnsafeBufferPointer<Float>,
                         gradOutput: UnsafeBufferPointer<Float>, rows: Int,
                         gradInputGates: UnsafeMutableBufferPointer<Float>,
                         gradRecurrentGates: UnsafeMutableBufferPointer<Float>,
                         gradHidden: UnsafeMutableBufferPointer<Float>,
                         transposedRecurrentWeight wT: UnsafeBufferPointer<Float>) {
        let hs = hiddenSize, h3 = 3 * hs
        requireSize(hidden.count >= rows * hs && gradOutput.count >= rows * hs && gradHidden.count >= rows * hs,
                    "GRU.backward: \(rows) rows of \(hs) for the state and its gradients")
        requireSize(cache.count >= rows * cacheSizePerRow, "GRU.backward: cache needs \(rows * cacheSizePerRow) floats")
        requireSize(gradInputGates.count >= rows * h3 && gradRecurrentGates.count >= rows * h3,
                    "GRU.backward: gate gradients need \(rows * h3) floats each")
        let dgx = gradInputGates.baseAddress!, dgh = gradRecurrentGates.baseAddress!
        for i in 0..<rows {
            let c = cache.baseAddress! + i * 4 * hs
            let dh = gradOutput.baseAddress! + i * hs, hp = hidden.baseAddress! + i * hs
            let dhp = gradHidden.baseAddress! + i * hs
            let gx = dgx + i * h3, gh = dgh + i * h3
            var j = 0
            while j < hs {
                let w = min(Kernels.width, hs - j)
                let r = Kernels.load(c + j, count: w), z = Kernels.load(c + hs + j, count: w)
                let n = Kernels.load(c + 2 * hs + j, count: w), ghn = Kernels.load(c + 3 * hs + j, count: w)
                let d = Kernels.load(dh + j, count: w), hv = Kernels.load(hp + j, count: w)
                let dan = d * (1 - z) * (1 - n * n)
                let daz = d * (hv - n) * z * (1 - z)
                let dar = dan * ghn * r * (1 - r)
                Kernels.store(Kernels.load(dhp + j, count: w).addingProduct(d, z), dhp + j, count: w)
                Kernels.store(dar, gx + j, count: w); Kernels.store(dar, gh + j, count: w)
                Kernels.store(daz, gx + hs + j, count: w); Kernels.store(daz, gh + hs + j, count: w)
                Kernels.store(dan, gx + 2 * hs + j, count: w); Kernels.store(dan * r, gh + 2 * hs + j, count: w)
                j += w
            }
        }
        Kernels.gemm(m: rows, n: hs, k: h3, a: gradRecurrentGates.readOnly, lda: h3, b: wT, ldb: hs, c: gradHidden,
                     ldc: hs, accumulate: true)
    }

    /// The parallel half of backward: adds the weight and bias gradients for `rows` stacked step-rows.
    ///
    /// `inputs` (`rows×input`), `hiddens` (`rows×H`, the hidden state each step started from) and the two gate
    /// gradient matrices from `backward` may cover any number of steps at once. Complexity O(rows·(input+H)·3H),
    /// less for sparse inputs.
    public func accumulateParameterGradients(inputs: UnsafeBufferPointer<Float>, hiddens: UnsafeBufferPointer<Float>,
                                             gradInputGates: UnsafeBufferPointer<Float>,
                                             gradRecurrentGates: UnsafeBufferPointer<Float>, rows: Int,
                                             gradients g: UnsafeMutableBufferPointer<Float>) {
        let h3 = 3 * hiddenSize
        Kernels.gemmSparseA(transposeA: true, m: inputSize, n: h3, k: rows, a: inputs, lda: inputSize,
                            b: gradInputGates, ldb: h3, c: inputWeight.values(in: g), ldc: h3, accumulate: true)
        Kernels.gemm(transposeA: true, m: hiddenSize, n: h3, k: rows, a: hiddens, lda: hiddenSize,
                     b: gradRecurrentGates, ldb: h3, c: recurrentWeight.values(in: g), ldc: h3, accumulate: true)
        Kernels.addColumnSums(rows: rows, cols: h3, gradInputGates, ld: h3, into: inputBias.values(in: g))
        Kernels.addColumnSums(rows: rows, cols: h3, gradRecurrentGates, ld: h3, into: recurrentBias.values(in: g))
    }

    /// Adds dL/dx (`rows×input`) given the input-gate gradients from `backward`. Complexity O(rows·input·3H).
    public func accumulateInputGradient(parameters p: UnsafeBufferPointer<Float>, gradInputGates: UnsafeBufferPointer<Float>,
                                        rows: Int, gradInput: UnsafeMutableBufferPointer<Float>) {
        let h3 = 3 * hiddenSize
        Kernels.gemmTransposedB(m: rows, n: inputSize, k: h3, a: gradInputGates, lda: h3,
                                b: inputWeight.values(in: p), ldb: h3, c: gradInput, ldc: inputSize, accumulate: true)
    }
}
