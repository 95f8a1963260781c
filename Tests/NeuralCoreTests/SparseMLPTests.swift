import Foundation
@testable import NeuralCore
import Testing

@Suite struct SparseMLPTests {
    @Test("an embedding bag is the product of the one-hot input with the table")
    func bagIsOneHotProduct() {
        var layout = ParameterLayout()
        let bag = Embedding(vocabulary: 6, dimension: 4, layout: &layout)
        var rng = SplitMix64(seed: 3)
        let table = randomArray(layout.count, &rng)
        let tokens: [Int32] = [1, 4, 4, 5]
        var sum = ContiguousArray<Float>(repeating: 0.5, count: 4)
        table.withUnsafeBufferPointer { p in tokens.withUnsafeBufferPointer { t in
            sum.withUnsafeMutableBufferPointer { bag.sum(parameters: p, tokens: t, into: $0) }
        } }
        for j in 0..<4 {
            let expected = 0.5 + tokens.reduce(Float(0)) { $0 + table[Int($1) * 4 + j] }
            #expect(abs(sum[j] - expected) < 1e-6)
        }
    }

    @Test("an SGD step moves every parameter by −rate × the gradient of ½‖y − target‖² (the first layer's by rate / active)")
    func stepFollowsTheGradient() {
        var rng = SplitMix64(seed: 11)
        var net = SparseMLP(inputs: 9, hidden: 5, outputs: 3, activeCount: 3, rng: &rng)
        let active: [Int32] = [0, 4, 7]
        let target: [Float] = [0.3, -0.2, 0.8]
        let rate: Float = 1e-3
        let before = net.parameters
        func loss(_ p: ContiguousArray<Float>) -> Double {
            var probe = net
            probe.parameters = p
            var out = [Float](repeating: 0, count: 3)
            active.withUnsafeBufferPointer { a in out.withUnsafeMutableBufferPointer { probe.predict(a, into: $0) } }
            return zip(out, target).reduce(0) { $0 + 0.5 * Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
        }
        active.withUnsafeBufferPointer { a in target.withUnsafeBufferPointer { _ = net.train(a, target: $0, rate: rate) } }
        // The step, read back as a gradient: the first layer's rows and bias moved by rate / 3.
        var analytic = ContiguousArray<Float>(repeating: 0, count: before.count)
        let firstLayerEnd = net.hiddenBias.offset + net.hiddenBias.count
        for i in 0..<before.count {
            analytic[i] = (before[i] - net.parameters[i]) / (i < firstLayerEnd ? rate / 3 : rate)
        }
        let failures = GradientCheck(relativeTolerance: 5e-2, absoluteTolerance: 5e-3)
            .mismatches(values: before, analytic: analytic, indices: Array(0..<before.count), loss: loss)
        #expect(failures.isEmpty, "\(failures)")
        // Rows of features that were off did not move.
        for i in 0..<net.bag.table.count where ![0, 4, 7].contains(i / 5) { #expect(net.parameters[i] == before[i]) }
    }

    @Test("a network round-trips through Codable, and one whose parameters do not fit its shape is refused")
    func codable() throws {
        var rng = SplitMix64(seed: 2)
        let net = SparseMLP(inputs: 4, hidden: 3, outputs: 2, activeCount: 2, rng: &rng)
        let data = try JSONEncoder().encode(net)
        let back = try JSONDecoder().decode(SparseMLP.self, from: data)
        #expect(back.parameters == net.parameters && back.inputs == 4 && back.hidden == 3 && back.outputs == 2)
        let wrong = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"hidden\":3", with: "\"hidden\":4")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SparseMLP.self, from: Data(wrong.utf8)) }
    }
}
