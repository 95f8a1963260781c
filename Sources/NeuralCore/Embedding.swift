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

    /// Copies row `tokens[r]` of the table into row `r` of `output`, for every token. Tokens must be in `0..<vocabulary`.
    public func forward(parameters p: UnsafeBufferPointer<Float>, tokens: UnsafeBufferPointer<Int32>,
                        output: UnsafeMutableBufferPointer<Float>) {
        requireSize(output.count >= tokens.count * dimension, "embedding: \(tokens.count) rows of \(dimension) into \(output.count) floats")
        let table = self.table.values(in: p)
        for r in 0..<tokens.count {
            let t = Int(tokens[r])
            precondition(t >= 0 && t < vocabulary, "embedding token \(t) outside 0..<\(vocabulary)")
            (output.baseAddress! + r * dimension).update(from: table.baseAddress! + t * dimension, count: dimension)
        }
    }

    /// Adds each output-gradient row into the table row it came from.
    public func backward(tokens: UnsafeBufferPointer<Int32>, gradOutput: UnsafeBufferPointer<Float>,
                         gradients g: UnsafeMutableBufferPointer<Float>) {
        requireSize(gradOutput.count >= tokens.count * dimension, "embedding: \(tokens.count) gradient rows of \(dimension), got \(gradOutput.count) floats")
        let table = self.table.values(in: g)
        for r in 0..<tokens.count {
            let dst = table.baseAddress! + Int(tokens[r]) * dimension
            let src = gradOutput.baseAddress! + r * dimension
            for j in 0..<dimension { dst[j] += src[j] }
        }
    }
}

extension Embedding {
    /// The sum of the rows of `tokens` into `output` (`dimension` floats): a bag of embeddings, which is what a
    /// linear layer computes on a sparse one-hot input whose switched-on features are `tokens`. O(tokens·dimension).
    public func sum(parameters p: UnsafeBufferPointer<Float>, tokens: UnsafeBufferPointer<Int32>,
                    into output: UnsafeMutableBufferPointer<Float>) {
        requireSize(output.count >= dimension, "embedding bag: \(dimension) floats into \(output.count)")
        let table = self.table.values(in: p)
        for token in tokens {
            let t = Int(token)
            precondition(t >= 0 && t < vocabulary, "embedding token \(t) outside 0..<\(vocabulary)")
            let row = table.baseAddress! + t * dimension
            for j in 0..<dimension { output[j] += row[j] }
        }
    }

    /// Adds `scale · delta` (`dimension` floats) to the row of every token in `values`: the sparse update of a
    /// bag's rows, touching only the rows that took part. O(tokens·dimension).
    public func addToRows(_ values: UnsafeMutableBufferPointer<Float>, tokens: UnsafeBufferPointer<Int32>,
                          scale: Float, delta: UnsafeBufferPointer<Float>) {
        requireSize(delta.count >= dimension, "embedding bag: a delta of \(delta.count) floats for rows of \(dimension)")
        let table = self.table.values(in: values)
        for token in tokens {
            let row = table.baseAddress! + Int(token) * dimension
            for j in 0..<dimension { row[j] += scale * delta[j] }
        }
    }
}
