import Foundation
import GridWorld

/// A two-layer perceptron (tanh hidden layer, linear output) on sparse one-hot input, trained by plain SGD.
///
/// The fun models' predictors, target networks and discriminators are all this one small network on flat
/// `ContiguousArray<Float>` weights. Input is given as the indices of its switched-on features, so the first
/// layer is a sum of `active` rows. Forward O(active·hidden + hidden·outputs); a training step the same; no
/// allocation after `init`. (When the general NeuralCore module lands, this is the piece to move onto it.)
public struct SparseMLP: Sendable, Codable {
    public let inputs: Int
    public let hidden: Int
    public let outputs: Int
    /// `inputs × hidden`, one row per input feature.
    var w1: ContiguousArray<Float>
    var b1: ContiguousArray<Float>
    /// `hidden × outputs`.
    var w2: ContiguousArray<Float>
    var b2: ContiguousArray<Float>
    // Scratch of the last forward pass (not saved).
    var h: ContiguousArray<Float>
    var y: ContiguousArray<Float>
    var dh: ContiguousArray<Float>

    /// Weights uniform with variance 1/fan-in, where the first layer's fan-in is `activeCount` (the number of
    /// features switched on per input), so hidden pre-activations start at unit scale.
    public init(inputs: Int, hidden: Int, outputs: Int, activeCount: Int, rng: inout SplitMix64) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        let a1 = Float((3.0 / Double(max(1, activeCount))).squareRoot())
        let a2 = Float((3.0 / Double(hidden)).squareRoot())
        w1 = ContiguousArray((0..<(inputs * hidden)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * a1 })
        w2 = ContiguousArray((0..<(hidden * outputs)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) * a2 })
        b1 = ContiguousArray(repeating: 0, count: hidden)
        b2 = ContiguousArray(repeating: 0, count: outputs)
        h = ContiguousArray(repeating: 0, count: hidden)
        y = ContiguousArray(repeating: 0, count: outputs)
        dh = ContiguousArray(repeating: 0, count: hidden)
    }

    /// Runs the network and writes its outputs into `out` (at least `outputs` long).
    public mutating func predict(_ active: UnsafeBufferPointer<Int32>, into out: UnsafeMutableBufferPointer<Float>) {
        forward(active)
        for o in 0..<outputs { out[o] = y[o] }
    }

    /// The last forward pass's output `o`.
    public func output(_ o: Int) -> Float { y[o] }

    /// One SGD step on ½‖y − target‖²; returns the mean squared error per output before the step.
    ///
    /// The first layer's step is divided by the number of active inputs, since all of them move together.
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

    /// One SGD step given the loss gradient with respect to the outputs of the last forward pass (`y` holds
    /// it on entry), for losses other than squared error (the discriminator's cross-entropy).
    mutating func backward(_ active: UnsafeBufferPointer<Int32>, rate: Float) {
        let (hidden, outputs) = (hidden, outputs)
        let rate1 = rate / Float(max(1, active.count))
        w2.withUnsafeMutableBufferPointer { w2 in
            h.withUnsafeBufferPointer { h in
                y.withUnsafeBufferPointer { dy in
                    dh.withUnsafeMutableBufferPointer { dh in
                        for j in 0..<hidden {
                            var s: Float = 0
                            let row = j * outputs
                            for o in 0..<outputs {
                                s += w2[row + o] * dy[o]
                                w2[row + o] -= rate * h[j] * dy[o]
                            }
                            dh[j] = s * (1 - h[j] * h[j])
                        }
                    }
                }
            }
        }
        b2.withUnsafeMutableBufferPointer { b2 in
            y.withUnsafeBufferPointer { dy in for o in 0..<outputs { b2[o] -= rate * dy[o] } }
        }
        w1.withUnsafeMutableBufferPointer { w1 in
            b1.withUnsafeMutableBufferPointer { b1 in
                dh.withUnsafeBufferPointer { dh in
                    for j in 0..<hidden { b1[j] -= rate1 * dh[j] }
                    for index in active {
                        let row = Int(index) * hidden
                        for j in 0..<hidden { w1[row + j] -= rate1 * dh[j] }
                    }
                }
            }
        }
    }

    mutating func forward(_ active: UnsafeBufferPointer<Int32>) {
        let (hidden, outputs) = (hidden, outputs)
        h.withUnsafeMutableBufferPointer { h in
            w1.withUnsafeBufferPointer { w1 in
                b1.withUnsafeBufferPointer { b1 in
                    for j in 0..<hidden { h[j] = b1[j] }
                    for index in active {
                        let row = Int(index) * hidden
                        for j in 0..<hidden { h[j] += w1[row + j] }
                    }
                    for j in 0..<hidden { h[j] = tanh(h[j]) }
                }
            }
            y.withUnsafeMutableBufferPointer { y in
                w2.withUnsafeBufferPointer { w2 in
                    b2.withUnsafeBufferPointer { b2 in
                        for o in 0..<outputs { y[o] = b2[o] }
                        for j in 0..<hidden {
                            let row = j * outputs
                            let hj = h[j]
                            for o in 0..<outputs { y[o] += w2[row + o] * hj }
                        }
                    }
                }
            }
        }
    }

    enum CodingKeys: String, CodingKey { case inputs, hidden, outputs, w1, b1, w2, b2 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputs = try c.decode(Int.self, forKey: .inputs)
        hidden = try c.decode(Int.self, forKey: .hidden)
        outputs = try c.decode(Int.self, forKey: .outputs)
        w1 = try c.decode(ContiguousArray<Float>.self, forKey: .w1)
        b1 = try c.decode(ContiguousArray<Float>.self, forKey: .b1)
        w2 = try c.decode(ContiguousArray<Float>.self, forKey: .w2)
        b2 = try c.decode(ContiguousArray<Float>.self, forKey: .b2)
        guard inputs > 0, hidden > 0, outputs > 0, w1.count == inputs * hidden, b1.count == hidden,
              w2.count == hidden * outputs, b2.count == outputs else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "weight shapes do not match \(inputs)×\(hidden)×\(outputs)"))
        }
        h = ContiguousArray(repeating: 0, count: hidden)
        y = ContiguousArray(repeating: 0, count: outputs)
        dh = ContiguousArray(repeating: 0, count: hidden)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inputs, forKey: .inputs)
        try c.encode(hidden, forKey: .hidden)
        try c.encode(outputs, forKey: .outputs)
        try c.encode(w1, forKey: .w1)
        try c.encode(b1, forKey: .b1)
        try c.encode(w2, forKey: .w2)
        try c.encode(b2, forKey: .b2)
    }
}

/// The running root-mean-square of a signal, for scale-free intrinsic rewards.
///
/// RND (Burda et al. 2019) divides its reward by a running estimate of its spread; the RMS over the model's
/// life does that and stays finite from the first step (the first normalised value is 1).
public struct RunningRMS: Hashable, Sendable, Codable {
    public private(set) var count: Double = 0
    public private(set) var meanSquare: Double = 0

    public init() {}

    /// Adds `x` and returns `x` divided by the RMS so far (0 while everything seen is 0).
    public mutating func normalise(_ x: Float) -> Float {
        count += 1
        meanSquare += (Double(x) * Double(x) - meanSquare) / count
        return meanSquare > 0 ? Float(Double(x) / meanSquare.squareRoot()) : 0
    }
}
