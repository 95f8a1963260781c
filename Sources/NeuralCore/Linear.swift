/// A fully connected layer `y = x·Wᵀ + b` with `W` stored `output×input` (PyTorch's layout).
///
/// Convention shared by every layer here: `forward` overwrites its output; `backward` *adds* into the
/// parameter gradients and into `gradInput`, so gradients from several consumers can meet in one buffer.
public struct Linear: Sendable, Equatable {
    public let inputSize: Int
    public let outputSize: Int
    public let weight: ParameterBlock
    public let bias: ParameterBlock

    public init(inputSize: Int, outputSize: Int, layout: inout ParameterLayout) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        weight = layout.allocate(inputSize * outputSize)
        bias = layout.allocate(outputSize)
    }

    /// Uniform ±1/√input initialisation for weights and biases.
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64, gain: Float = 1) {
        let bound = gain / Float(inputSize).squareRoot()
        weight.initializeUniform(values, bound: bound, rng: &rng)
        bias.initializeUniform(values, bound: 1 / Float(inputSize).squareRoot(), rng: &rng)
    }

    /// `output[rows×outputSize] = input[rows×inputSize]·Wᵀ + b`. Complexity O(rows·input·output).
    public func forward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>, rows: Int,
                        output: UnsafeMutableBufferPointer<Float>) {
        Kernels.fillRows(rows: rows, cols: outputSize, with: bias.values(in: p), into: output, ld: outputSize)
        Kernels.gemmTransposedB(m: rows, n: outputSize, k: inputSize, a: input, lda: inputSize,
                                b: weight.values(in: p), ldb: inputSize, c: output, ldc: outputSize, accumulate: true)
    }

    /// Adds dL/dW, dL/db into `gradients` and (when given) dL/dx into `gradInput`. Complexity O(rows·input·output).
    public func backward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>,
                         gradOutput: UnsafeBufferPointer<Float>, rows: Int,
                         gradients g: UnsafeMutableBufferPointer<Float>, gradInput: UnsafeMutableBufferPointer<Float>?) {
        Kernels.gemm(transposeA: true, m: outputSize, n: inputSize, k: rows, a: gradOutput, lda: outputSize,
                     b: input, ldb: inputSize, c: weight.values(in: g), ldc: inputSize, accumulate: true)
        Kernels.addColumnSums(rows: rows, cols: outputSize, gradOutput, ld: outputSize, into: bias.values(in: g))
        if let gradInput {
            Kernels.gemm(m: rows, n: inputSize, k: outputSize, a: gradOutput, lda: outputSize,
                         b: weight.values(in: p), ldb: inputSize, c: gradInput, ldc: inputSize, accumulate: true)
        }
    }
}
