/// A two-layer perceptron on sparse one-hot input (tanh hidden layer, linear output), trained by plain SGD:
/// the fun models' predictors, target networks, embeddings and discriminators.
///
/// Built from this module's layers: the first layer is an embedding bag (the sum of the rows of the switched-on
/// features, plus a bias), the second a `Linear`, all in one flat parameter buffer. Input is given as the indices
/// of its switched-on features, so a step costs O(active·hidden + hidden·outputs) and touches only the rows of
/// the first layer that took part. No allocation after `init`.
public struct SparseMLP: Sendable {
    public let inputs: Int
    public let hidden: Int
    public let outputs: Int
    let bag: Embedding
    let hiddenBias: ParameterBlock
    let readOut: Linear
    public internal(set) var parameters: ContiguousArray<Float>
    // Scratch of the last pass (not saved).
    var h: ContiguousArray<Float>
    var y: ContiguousArray<Float>
    var dh: ContiguousArray<Float>
    /// The read-out's gradient (its blocks sit where they do in `parameters`; the bag's part is never used).
    var readOutGradients: ContiguousArray<Float>

    /// Weights uniform with variance 1/fan-in, where the first layer's fan-in is `activeCount` (the number of
    /// features switched on per input), so hidden pre-activations start at unit scale; biases zero.
    public init(inputs: Int, hidden: Int, outputs: Int, activeCount: Int, rng: inout SplitMix64) {
        var layout = ParameterLayout()
        bag = Embedding(vocabulary: inputs, dimension: hidden, layout: &layout)
        hiddenBias = layout.allocate(hidden)
        readOut = Linear(inputSize: hidden, outputSize: outputs, layout: &layout)
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        parameters = ContiguousArray(repeating: 0, count: layout.count)
        h = ContiguousArray(repeating: 0, count: hidden)
        y = ContiguousArray(repeating: 0, count: outputs)
        dh = ContiguousArray(repeating: 0, count: hidden)
        readOutGradients = ContiguousArray(repeating: 0, count: layout.count)
        let (bag, readOut) = (bag, readOut)
        parameters.withUnsafeMutableBufferPointer { p in
            bag.table.initializeUniform(p, bound: Float((3.0 / Double(max(1, activeCount))).squareRoot()), rng: &rng)
            readOut.weight.initializeUniform(p, bound: Float((3.0 / Double(hidden)).squareRoot()), rng: &rng)
        }
    }

    /// Runs the network and writes its outputs into `out` (at least `outputs` long).
    public mutating func predict(_ active: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<Float>) {
        forward(active)
        for o in 0..<outputs { out[o] = y[o] }
    }

    /// The last forward pass's output `o`.
    public func output(_ o: Int) -> Float { y[o] }

    /// One SGD step on ½‖y − target‖²; returns the mean squared error per output before the step.
    @discardableResult
    public mutating func train(_ active: UnsafeBufferPointer<Int32>, target: UnsafeBufferPointer<Float>, rate: Float) -> Float {
        forward(active)
        var error: Float = 0
        for o in 0..<outputs {
            let d = y[o] - target[o]
            y[o] = d
            error += d * d
        }
        backward(active, rate: rate)
        return error / Float(outputs)
    }

    /// One SGD step given the loss gradient with respect to the outputs of the last forward pass, on the same
    /// `active` input: for losses other than squared error (the discriminator's cross-entropy).
    public mutating func train(_ active: UnsafeBufferPointer<Int32>, outputGradient: UnsafeBufferPointer<Float>, rate: Float) {
        for o in 0..<outputs { y[o] = outputGradient[o] }
        backward(active, rate: rate)
    }

    /// `y` holds dL/dy on entry. The first layer's step is divided by the number of active inputs, since all of
    /// them move together.
    mutating func backward(_ active: UnsafeBufferPointer<Int32>, rate: Float) {
        let (readOut, bag, hiddenBias) = (readOut, bag, hiddenBias)
        let rate1 = rate / Float(max(1, active.count))
        readOutGradients.withUnsafeMutableBufferPointer { g in
            readOut.weight.fill(g, with: 0)
            readOut.bias.fill(g, with: 0)
            dh.withUnsafeMutableBufferPointer { dh in
                dh.update(repeating: 0)
                parameters.withUnsafeBufferPointer { p in h.withUnsafeBufferPointer { h in y.withUnsafeBufferPointer { dy in
                    readOut.backward(parameters: p, input: h, gradOutput: dy, rows: 1, gradients: g, gradInput: dh)
                } } }
                h.withUnsafeBufferPointer { h in for j in 0..<dh.count { dh[j] *= 1 - h[j] * h[j] } }
            }
            parameters.withUnsafeMutableBufferPointer { p in
                for i in readOut.weight.offset..<(readOut.bias.offset + readOut.bias.count) { p[i] -= rate * g[i] }
                dh.withUnsafeBufferPointer { dh in
                    let bias = hiddenBias.values(in: p)
                    for j in 0..<dh.count { bias[j] -= rate1 * dh[j] }
                    bag.addToRows(p, tokens: active, scale: -rate1, delta: dh)
                }
            }
        }
    }

    mutating func forward(_ active: UnsafeBufferPointer<Int32>) {
        let (bag, hiddenBias, readOut) = (bag, hiddenBias, readOut)
        parameters.withUnsafeBufferPointer { p in
            h.withUnsafeMutableBufferPointer { h in
                _ = h.update(from: hiddenBias.values(in: p))
                bag.sum(parameters: p, tokens: active, into: h)
                Activations.tanh(h)
            }
            h.withUnsafeBufferPointer { h in y.withUnsafeMutableBufferPointer { y in
                readOut.forward(parameters: p, input: h, rows: 1, output: y)
            } }
        }
    }
}

extension SparseMLP: Codable {
    enum CodingKeys: String, CodingKey { case inputs, hidden, outputs, parameters }

    /// A network saved by `encode(to:)`; refused when its parameters do not fit its shape.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let (inputs, hidden, outputs) = (try c.decode(Int.self, forKey: .inputs), try c.decode(Int.self, forKey: .hidden),
                                         try c.decode(Int.self, forKey: .outputs))
        guard inputs > 0, hidden > 0, outputs > 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "shape \(inputs)×\(hidden)×\(outputs) is not positive"))
        }
        var rng = SplitMix64(seed: 0)
        self.init(inputs: inputs, hidden: hidden, outputs: outputs, activeCount: 1, rng: &rng)
        let saved = try c.decode(ContiguousArray<Float>.self, forKey: .parameters)
        guard saved.count == parameters.count else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "\(saved.count) parameters do not fit a \(inputs)×\(hidden)×\(outputs) network (\(parameters.count))"))
        }
        parameters = saved
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(parameters, forKey: .parameters)
    }
}
