/// Layer normalisation over the last dimension with a learned gain and bias.
public struct LayerNorm: Sendable, Equatable {
    public let dimension: Int
    public let epsilon: Float
    public let gain: ParameterBlock
    public let bias: ParameterBlock

    public init(dimension: Int, epsilon: Float = 1e-5, layout: inout ParameterLayout) {
        self.dimension = dimension
        self.epsilon = epsilon
        gain = layout.allocate(dimension)
        bias = layout.allocate(dimension)
    }

    /// Gain 1, bias 0.
    public func initialize(_ values: UnsafeMutableBufferPointer<Float>) {
        gain.fill(values, with: 1)
        bias.fill(values, with: 0)
    }

    /// Floats of cache per row that `forward` writes for `backward`: the normalised row and its 1/σ.
    public var cacheSizePerRow: Int { dimension + 1 }

    /// Normalises each row; stores x̂ and 1/σ in `cache` (`rows × cacheSizePerRow`) when given.
    public func forward(parameters p: UnsafeBufferPointer<Float>, input: UnsafeBufferPointer<Float>, rows: Int,
                        output: UnsafeMutableBufferPointer<Float>, cache: UnsafeMutableBufferPointer<Float>?) {
        let d = dimension
        requireSize(input.count >= rows * d && output.count >= rows * d, "LayerNorm.forward: \(rows) rows of \(d)")
        requireSize(cache.map { $0.count >= rows * cacheSizePerRow } ?? true, "LayerNorm.forward: cache needs \(rows * cacheSizePerRow) floats")
        let g = gain.values(in: p), b = bias.values(in: p)
        for r in 0..<rows {
            let x = input.baseAddress! + r * d, y = output.baseAddress! + r * d
            var mean = 0.0
            for j in 0..<d { mean += Double(x[j]) }
            mean /= Double(d)
            var variance = 0.0
            for j in 0..<d { let t = Double(x[j]) - mean; variance += t * t }
            variance /= Double(d)
            let rstd = Float(1 / (variance + Double(epsilon)).squareRoot())
            let m = Float(mean)
            for j in 0..<d {
                let xhat = (x[j] - m) * rstd
                if let cache { cache[r * (d + 1) + j] = xhat }
                y[j] = xhat * g[j] + b[j]
            }
            if let cache { cache[r * (d + 1) + d] = rstd }
        }
    }

    /// Adds dL/dgain, dL/dbias into `gradients` and dL/dx into `gradInput`.
    public func backward(parameters p: UnsafeBufferPointer<Float>, cache: UnsafeBufferPointer<Float>,
                         gradOutput: UnsafeBufferPointer<Float>, rows: Int,
                         gradients: UnsafeMutableBufferPointer<Float>, gradInput: UnsafeMutableBufferPointer<Float>) {
        let d = dimension
        requireSize(cache.count >= rows * cacheSizePerRow && gradOutput.count >= rows * d && gradInput.count >= rows * d,
                    "LayerNorm.backward: \(rows) rows of \(d) (cache \(cacheSizePerRow))")
        let g = gain.values(in: p)
        let dg = gain.values(in: gradients), db = bias.values(in: gradients)
        for r in 0..<rows {
            let c = cache.baseAddress! + r * (d + 1)
            let dy = gradOutput.baseAddress! + r * d, dx = gradInput.baseAddress! + r * d
            let rstd = c[d]
            var meanD = 0.0, meanDX = 0.0
            for j in 0..<d {
                let dxhat = dy[j] * g[j]
                meanD += Double(dxhat)
                meanDX += Double(dxhat * c[j])
                dg[j] += dy[j] * c[j]
                db[j] += dy[j]
            }
            let md = Float(meanD / Double(d)), mdx = Float(meanDX / Double(d))
            for j in 0..<d { dx[j] += rstd * (dy[j] * g[j] - md - c[j] * mdx) }
        }
    }
}
