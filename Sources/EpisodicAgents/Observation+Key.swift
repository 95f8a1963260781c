import GridWorld
import MetaAgents

/// The network's features of an observation (`GridFeatures`), in buffers kept between steps so encoding
/// allocates nothing.
struct ObservedFeatures: Sendable {
    private(set) var bytes: ContiguousArray<UInt8> = []
    private(set) var values: ContiguousArray<Float> = []

    /// Encodes `world`'s observation into `values` (sized for its view on first use).
    mutating func encode(_ world: World) {
        let size = GridFeatures.size(viewSize: world.rules.viewSize)
        if values.count != size {
            bytes = ContiguousArray(repeating: 0, count: world.observationSize)
            values = ContiguousArray(repeating: 0, count: size)
        }
        bytes.withUnsafeMutableBufferPointer { b in
            values.withUnsafeMutableBufferPointer { GridFeatures.encode(world, bytes: b, into: $0) }
        }
    }
}

/// A fixed Gaussian random projection `y = A·x`, A's entries drawn N(0, 1/outputSize): by Johnson–Lindenstrauss
/// it keeps distances between observations roughly as they were, in far fewer numbers (MFEC's keys).
public struct RandomProjection: Sendable, Equatable {
    public let inputSize: Int
    public let outputSize: Int
    /// A in blocks of eight rows, each block stored input by input with the eight rows' weights side by side
    /// (`blockCount × inputSize`; rows past `outputSize` are 0), so that `project` sums eight outputs at once.
    let blocks: ContiguousArray<SIMD8<Float>>

    /// Draws A row by row from `rng`.
    public init(inputSize: Int, outputSize: Int, rng: inout SplitMix64) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        let scale = 1 / Double(outputSize).squareRoot()
        let rows = (0..<inputSize * outputSize).map { _ in Float(rng.nextNormal() * scale) }
        var blocks = ContiguousArray(repeating: SIMD8<Float>(), count: (outputSize + 7) / 8 * inputSize)
        for (n, w) in rows.enumerated() {
            let row = n / inputSize, i = n % inputSize
            blocks[row / 8 * inputSize + i][row % 8] = w
        }
        self.blocks = blocks
    }

    /// `output = A·input`, each output summed over the inputs in order (so the floats are a row-by-row loop's:
    /// eight lanes are eight outputs, not one output's sum reordered). O(inputSize·outputSize), no allocation.
    public func project(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == inputSize && output.count == outputSize, "RandomProjection: buffer sizes differ")
        blocks.withUnsafeBufferPointer { w in
            for b in 0..<(outputSize + 7) / 8 {
                let block = w.baseAddress! + b * inputSize
                var sum = SIMD8<Float>()
                for i in 0..<inputSize { sum = sum + block[i] * SIMD8(repeating: input[i]) }
                for lane in 0..<min(8, outputSize - b * 8) { output[b * 8 + lane] = sum[lane] }
            }
        }
    }
}
