import NeuralCore
import Testing

/// Every layer's backward pass against central finite differences of a random linear functional of its output.
@Suite struct LayerGradientTests {
    let check = GradientCheck()

    @Test("Linear: weight, bias and input gradients match finite differences")
    func linear() {
        var layout = ParameterLayout()
        let layer = Linear(inputSize: 13, outputSize: 6, layout: &layout)
        var rng = SplitMix64(seed: 10)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { layer.initialize($0, rng: &rng) }
        let rows = 3
        let x = randomArray(rows * 13, &rng), w = randomArray(rows * 6, &rng)
        func loss(_ p: ContiguousArray<Float>, _ x: ContiguousArray<Float>) -> Double {
            var y = ContiguousArray<Float>(repeating: 0, count: rows * 6)
            p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
                layer.forward(parameters: pp, input: xp, rows: rows, output: yp)
            } } }
            return dot(y, w)
        }
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        var gradX = ContiguousArray<Float>(repeating: 0, count: x.count)
        params.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in
            grad.withUnsafeMutableBufferPointer { gp in gradX.withUnsafeMutableBufferPointer { gx in
                layer.backward(parameters: pp, input: xp, gradOutput: wp,
                               rows: rows, gradients: gp, gradInput: gx)
            } }
        } } }
        #expect(check.mismatches(values: params, analytic: grad, indices: sampleIndices(params.count)) { loss($0, x) } == [])
        #expect(check.mismatches(values: x, analytic: gradX, indices: sampleIndices(x.count)) { loss(params, $0) } == [])
    }

    @Test("Embedding: gradients land on the looked-up rows, repeated tokens add up")
    func embedding() {
        var layout = ParameterLayout()
        let layer = Embedding(vocabulary: 7, dimension: 4, layout: &layout)
        var rng = SplitMix64(seed: 11)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { layer.initialize($0, rng: &rng) }
        let tokens: ContiguousArray<Int32> = [3, 0, 3, 6]
        let w = randomArray(tokens.count * 4, &rng)
        func loss(_ p: ContiguousArray<Float>) -> Double {
            var y = ContiguousArray<Float>(repeating: 0, count: w.count)
            p.withUnsafeBufferPointer { pp in tokens.withUnsafeBufferPointer { tp in y.withUnsafeMutableBufferPointer { yp in
                layer.forward(parameters: pp, tokens: tp, output: yp)
            } } }
            return dot(y, w)
        }
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        tokens.withUnsafeBufferPointer { tp in w.withUnsafeBufferPointer { wp in grad.withUnsafeMutableBufferPointer { gp in
            layer.backward(tokens: tp, gradOutput: wp, gradients: gp)
        } } }
        #expect(check.mismatches(values: params, analytic: grad, indices: Array(0..<params.count), loss: loss) == [])
        #expect(grad[4..<8].allSatisfy { $0 == 0 }, "token 1 was never looked up")
    }

    @Test("LayerNorm: gain, bias and input gradients match finite differences")
    func layerNorm() {
        var layout = ParameterLayout()
        let layer = LayerNorm(dimension: 9, layout: &layout)
        var rng = SplitMix64(seed: 12)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { layer.initialize($0) }
        for i in 0..<params.count { params[i] += rng.nextUnitFloat() - 0.5 }
        let rows = 3
        let x = randomArray(rows * 9, &rng, scale: 2), w = randomArray(rows * 9, &rng)
        var cache = ContiguousArray<Float>(repeating: 0, count: rows * layer.cacheSizePerRow)
        func loss(_ p: ContiguousArray<Float>, _ x: ContiguousArray<Float>) -> Double {
            var y = ContiguousArray<Float>(repeating: 0, count: x.count)
            p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
                cache.withUnsafeMutableBufferPointer { cp in
                    layer.forward(parameters: pp, input: xp, rows: rows,
                                  output: yp, cache: cp)
                }
            } } }
            return dot(y, w)
        }
        _ = loss(params, x)
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        var gradX = ContiguousArray<Float>(repeating: 0, count: x.count)
        params.withUnsafeBufferPointer { pp in cache.withUnsafeBufferPointer { cp in w.withUnsafeBufferPointer { wp in
            grad.withUnsafeMutableBufferPointer { gp in gradX.withUnsafeMutableBufferPointer { gx in
                layer.backward(parameters: pp, cache: cp, gradOutput: wp,
                               rows: rows, gradients: gp, gradInput: gx)
            } }
        } } }
        #expect(check.mismatches(values: params, analytic: grad, indices: sampleIndices(params.count)) { loss($0, x) } == [])
        #expect(check.mismatches(values: x, analytic: gradX, indices: sampleIndices(x.count)) { loss(params, $0) } == [])
    }
}
