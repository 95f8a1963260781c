import GridWorld
import NeuralCore

/// NEC's embedding network: observation features → tanh hidden layer → a linear key, trained by Adam.
///
/// Buffers for one step and one minibatch are kept, so acting and training allocate nothing.
struct SituationEncoder: Sendable {
    let inputSize: Int
    let hiddenSize: Int
    let outputSize: Int
    let first: Linear
    let second: Linear
    var parameters: ContiguousArray<Float>
    var gradients: ContiguousArray<Float>
    var adam: Adam
    /// The last forward pass's hidden activations (rows × hiddenSize) and keys (rows × outputSize).
    var hidden: ContiguousArray<Float> = []
    var output: ContiguousArray<Float> = []
    var gradHidden: ContiguousArray<Float> = []

    init(inputSize: Int, hiddenSize: Int, outputSize: Int, learningRate: Float, rng: inout SplitMix64) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.outputSize = outputSize
        var layout = ParameterLayout()
        first = Linear(inputSize: inputSize, outputSize: hiddenSize, layout: &layout)
        second = Linear(inputSize: hiddenSize, outputSize: outputSize, layout: &layout)
        parameters = ContiguousArray(repeating: 0, count: layout.count)
        gradients = ContiguousArray(repeating: 0, count: layout.count)
        adam = Adam(parameterCount: layout.count, learningRate: learningRate)
        parameters.withUnsafeMutableBufferPointer { [first, second] p in
            first.initialize(p, rng: &rng)
            second.initialize(p, rng: &rng)
        }
    }

    /// Embeds `rows` feature rows of `input`; the keys are in `output`'s first rows × outputSize floats.
    /// O(rows·(input + output)·hidden).
    mutating func forward(_ input: UnsafeBufferPointer<Float>, rows: Int) {
        if hidden.count < rows * hiddenSize {
            hidden = ContiguousArray(repeating: 0, count: rows * hiddenSize)
            gradHidden = ContiguousArray(repeating: 0, count: rows * hiddenSize)
            output = ContiguousArray(repeating: 0, count: rows * outputSize)
        }
        parameters.withUnsafeBufferPointer { p in
            hidden.withUnsafeMutableBufferPointer { h in
                let h = UnsafeMutableBufferPointer(rebasing: h[0..<rows * hiddenSize])
                first.forward(parameters: p, input: input, rows: rows, output: h)
                Activations.tanh(h)
                output.withUnsafeMutableBufferPointer { o in
                    second.forward(parameters: p, input: UnsafeBufferPointer(h), rows: rows,
                                   output: UnsafeMutableBufferPointer(rebasing: o[0..<rows * outputSize]))
                }
            }
        }
    }

    /// Adds the parameters' gradients for ∂L/∂key `gradOutput` (rows × outputSize) of the last `forward` of
    /// `input`, and takes one Adam step on them. O(rows·(input + output)·hidden).
    mutating func train(_ input: UnsafeBufferPointer<Float>, gradOutput: UnsafeBufferPointer<Float>, rows: Int) {
        let n = rows * hiddenSize
        gradients.withUnsafeMutableBufferPointer { g in
            for i in 0..<g.count { g[i] = 0 }
            parameters.withUnsafeBufferPointer { p in
                hidden.withUnsafeBufferPointer { h in
                    gradHidden.withUnsafeMutableBufferPointer { gh in
                        for i in 0..<n { gh[i] = 0 }
                        let h = UnsafeBufferPointer(rebasing: h[0..<n]), gh = UnsafeMutableBufferPointer(rebasing: gh[0..<n])
                        second.backward(parameters: p, input: h, gradOutput: gradOutput, rows: rows, gradients: g, gradInput: gh)
                        for i in 0..<n { gh[i] *= 1 - h[i] * h[i] }
                        first.backward(parameters: p, input: input, gradOutput: UnsafeBufferPointer(gh), rows: rows, gradients: g, gradInput: nil)
                    }
                }
            }
        }
        adam.update(parameters: &parameters, gradients: gradients)
    }
}
