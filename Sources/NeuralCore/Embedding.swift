/// A lookup table mapping integer tokens to learned vectors (`vocabulary×dimension`).
public struct Embedding: Sendable, Equatable {
    public let vocabulary: Int
    public let dimension: Int
    public let table: ParameterBlock

    public init(vocabulary: Int, dimension: Int, layout: inout ParameterLayout) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        table = layout.allocate(vocabulary * dimension)
    }

    /// Standard-normal initialisation scaled by `scale` (PyTorch uses 1).
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>, rng: inout SplitMix64, scale: Float = 1) {
        for i in table.offset..<(table.offset + table.count) { values[i] = Float(rng.nextNormal()) * scale }
    }

    /// Copies row `tokens[r]` of the table into row `r` of `output`. Tokens must be in `0..<vocabulary`.
    public func forward(parameters p: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, rows: Int,
                        output: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let t = Int(tokens[r])
            precondition(t >= 0 && t < vocabulary, "embedding token \(t) outside 0..<\(vocabulary)")
            (output + r * dimension).update(from: p + table.offset + t * dimension, count: dimension)
        }
    }

    /// Adds each output-gradient row into the table row it came from.
    public func backward(tokens: UnsafePointer<Int32>, gradOutput: UnsafePointer<Float>, rows: Int,
                         gradients g: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let dst = g + table.offset + Int(tokens[r]) * dimension
            let src = gradOutput + r * dimension
            for j in 0..<dimension { dst[j] += src[j] }
        }
    }
}
