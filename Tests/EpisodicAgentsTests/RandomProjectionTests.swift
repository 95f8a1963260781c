@testable import EpisodicAgents
import GridWorld
import Testing

@Suite struct RandomProjectionTests {
    @Test("keys are a row-by-row loop's floats, bit for bit, whatever the sizes", arguments: [(403, 64), (5, 13), (20, 8)])
    func sameFloatsAsRowByRow(_ sizes: (input: Int, output: Int)) {
        var draw = SplitMix64(seed: 21), sameDraw = draw
        let projection = RandomProjection(inputSize: sizes.input, outputSize: sizes.output, rng: &draw)
        let scale = 1 / Double(sizes.output).squareRoot()
        let rows = (0..<sizes.input * sizes.output).map { _ in Float(sameDraw.nextNormal() * scale) }
        var rng = SplitMix64(seed: 22)
        for _ in 0..<20 {
            let input = (0..<sizes.input).map { _ in rng.below(3) == 0 ? Float(rng.nextNormal()) : Float(rng.below(2)) }
            var output = [Float](repeating: .nan, count: sizes.output)
            input.withUnsafeBufferPointer { x in output.withUnsafeMutableBufferPointer { projection.project(x, into: $0) } }
            let reference = (0..<sizes.output).map { o in
                var sum: Float = 0
                for i in 0..<sizes.input { sum += rows[o * sizes.input + i] * input[i] }
                return sum
            }
            #expect(output.map(\.bitPattern) == reference.map(\.bitPattern))
        }
    }
}
