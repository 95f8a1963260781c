/// A contiguous slice of a model's flat parameter buffer owned by one tensor of one layer.
public struct ParameterBlock: Sendable, Hashable, Codable {
    public let offset: Int
    public let count: Int
    public init(offset: Int, count: Int) { self.offset = offset; self.count = count }
}

/// Hands out consecutive blocks of one flat buffer, so a whole model's parameters (and their gradients and
/// optimiser moments) live in single arrays that save, restore, clip and update as one.
public struct ParameterLayout: Sendable, Equatable {
    /// Total Float32 values allocated so far.
    public private(set) var count: Int = 0
    public init() {}

    /// Reserves `count` values and returns where they live.
    public mutating func allocate(_ count: Int) -> ParameterBlock {
        let block = ParameterBlock(offset: self.count, count: count)
        self.count += count
        return block
    }
}

extension ParameterBlock {
    /// Fills the block uniformly in [-bound, bound] (PyTorch's default for linear and recurrent layers).
    public func initializeUniform(_ values: UnsafeMutableBufferPointer<Float>, bound: Float, rng: inout SplitMix64) {
        for i in offset..<(offset + count) { values[i] = (rng.nextUnitFloat() * 2 - 1) * bound }
    }

    /// Sets every value of the block to `value`.
    public func fill(_ values: UnsafeMutableBufferPointer<Float>, with value: Float) {
        for i in offset..<(offset + count) { values[i] = value }
    }
}
