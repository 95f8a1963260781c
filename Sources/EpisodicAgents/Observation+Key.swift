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
    /// `outputSize × inputSize`, row-major.
    let weights: ContiguousArray<Float>

    public init(inputSize: Int, outputSize: Int, rng: inout SplitMix64) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        let scale = 1 / Double(outputSize).squareRoot()
        weights = ContiguousArray((0..<inputSize * outputSize).map { _ in Float(rng.nextNormal() * scale) })
    }

    /// `output = A·input`. O(inputSize·outputSize), no allocation.
    public func project(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == inputSize && output.count == outputSize, "RandomProjection: buffer sizes differ")
        weights.withUnsafeBufferPointer { w in
            for o in 0..<outputSize {
                let row = w.baseAddress! + o * inputSize
                var s: Float = 0
                for i in 0..<inputSize { s += row[i] * input[i] }
                output[o] = s
            }
        }
    }
}
