import NeuralCore
import Testing

@Suite struct PolicyAndOptimizerTests {
    @Test("actor-critic loss: gradients w.r.t. logits, value and head weights match finite differences, with and without masked play choices, for either entropy",
          arguments: [Categorical.allAllowed, 0b100101], EntropyMeasure.allCases)
    func actorCriticLoss(playAllowed: UInt32, entropyOver: EntropyMeasure) {
        let hidden = 8, rows = 4
        var layout = ParameterLayout()
        let head = ActorCriticHead(hiddenSize: hidden, taskCount: 7, playCount: 6, layout: &layout)
        var rng = SplitMix64(seed: 30)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { head.linear.initialize($0, rng: &rng, gain: 3) }
        let h = randomArray(rows * hidden, &rng)
        let tasks: [Int32] = [0, 6, 3, 3], plays: [Int32] = [5, 0, 2, 2]
        let advantages: [Float] = [1.5, -0.7, 0.2, -2], returns: [Float] = [1, 0, -1, 2]
        let coefficients = ActorCriticCoefficients(entropy: 0.3, value: 0.5, entropyOver: entropyOver)
        let rowWeight = 1 / Float(rows)

        func outputs(_ p: ContiguousArray<Float>) -> ContiguousArray<Float> {
            var o = ContiguousArray<Float>(repeating: 0, count: rows * head.outputSize)
            p.withUnsafeBufferPointer { pp in h.withUnsafeBufferPointer { hp in o.withUnsafeMutableBufferPointer { op in
                head.forward(parameters: pp, hidden: hp, rows: rows, outputs: op)
            } } }
            return o
        }
        /// The loss written out independently in Double.
        func reference(_ o: ContiguousArray<Float>) -> Double {
            var total = 0.0
            for r in 0..<rows {
                let row = Array(o[(r * head.outputSize)..<((r + 1) * head.outputSize)]).map(Double.init)
                func logSoftmax(_ z: ArraySlice<Double>, allowed: UInt32 = Categorical.allAllowed) -> [Double] {
                    let kept = z.indices.filter { allowed & 1 << UInt32($0 - z.startIndex) != 0 }
                    let m = kept.map { z[$0] }.max()!
                    let lse = m + _log(kept.map { _exp(z[$0] - m) }.reduce(0, +))
                    return z.indices.map { kept.contains($0) ? z[$0] - lse : -.infinity }
                }
                let lt = logSoftmax(row[0..<7]), lp = logSoftmax(row[7..<13], allowed: playAllowed)
                let taskEntropy = -lt.map { _exp($0) * $0 }.reduce(0, +), playEntropy = -lp.filter(\.isFinite).map { _exp($0) * $0 }.reduce(0, +)
                // The outcomes' entropy: not playing lets the task half act, any play takes the turn alone.
                let entropy = playEntropy + (entropyOver == .outcomes ? _exp(lp[0]) : 1) * taskEntropy
                let v = row[13]
                total += -Double(advantages[r] * rowWeight) * (lt[Int(tasks[r])] + lp[Int(plays[r])])
                total += Double(rowWeight) * (-Double(coefficients.entropy) * entropy
                                              + Double(coefficients.value) * (v - Double(returns[r])) * (v - Double(returns[r])))
            }
            return total
        }
        let o = outputs(params)
        var gradO = ContiguousArray<Float>(repeating: 0, count: o.count)
        var scratch = ContiguousArray<Float>(repeating: 0, count: 13)
        var loss = ActorCriticLoss()
        for r in 0..<rows {
            o.withUnsafeBufferPointer { op in gradO.withUnsafeMutableBufferPointer { gp in scratch.withUnsafeMutableBufferPointer { sp in
                head.lossGradient(row: op.rows(r, 1, width: head.outputSize), task: tasks[r], play: plays[r],
                                  policyWeight: advantages[r] * rowWeight, valueTarget: returns[r], rowWeight: rowWeight,
                                  coefficients: coefficients, playAllowed: playAllowed, gradRow: gp.rows(r, 1, width: head.outputSize),
                                  scratch: sp, loss: &loss)
            } } }
        }
        #expect(abs(loss.total(coefficients) - reference(o)) < 1e-4)
        let check = GradientCheck()
        #expect(check.mismatches(values: o, analytic: gradO, indices: Array(0..<o.count), loss: reference) == [])
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeBufferPointer { pp in h.withUnsafeBufferPointer { hp in gradO.withUnsafeBufferPointer { gp in
            grad.withUnsafeMutableBufferPointer { g in
                head.linear.backward(parameters: pp, input: hp, gradOutput: gp,
                                     rows: rows, gradients: g, gradInput: nil)
            }
        } } }
        #expect(check.mismatches(values: params, analytic: grad, indices: sampleIndices(params.count)) { reference(outputs($0)) } == [])
    }

    @Test("a play head with one allowed choice always draws it, with no entropy and no gradient; masked choices are never drawn")
    func maskedPlay() {
        var layout = ParameterLayout()
        let head = ActorCriticHead(hiddenSize: 1, taskCount: 2, playCount: 4, layout: &layout)
        let row: ContiguousArray<Float> = [0.3, -0.2, -1, 2, 0.5, 4, 0.1]
        var lp = ContiguousArray<Float>(repeating: 0, count: 6), grad = ContiguousArray<Float>(repeating: 9, count: 7)
        var rng = SplitMix64(seed: 33)
        var loss = ActorCriticLoss()
        row.withUnsafeBufferPointer { rp in lp.withUnsafeMutableBufferPointer { lpp in grad.withUnsafeMutableBufferPointer { g in
            let entropies = head.logProbabilities(row: rp, into: lpp, playAllowed: 0b0001)
            #expect(entropies.play == 0)
            let masked: [Float] = [0, -.infinity, -.infinity, -.infinity]
            #expect(Array(lpp[2..<6]) == masked)
            for _ in 0..<200 { #expect(head.sample(row: rp, logProbs: lpp, playAllowed: 0b0001, rng: &rng).play == 0) }
            var drawn = Set<Int32>()
            for _ in 0..<2000 { drawn.insert(head.sample(row: rp, logProbs: lpp, playAllowed: 0b0101, rng: &rng).play) }
            #expect(drawn == [0, 2])
            head.lossGradient(row: rp, task: 1, play: 0, policyWeight: 1.7, valueTarget: 0, rowWeight: 1,
                              coefficients: ActorCriticCoefficients(entropy: 0.5, value: 0.5), playAllowed: 0b0001,
                              gradRow: g, scratch: lpp, loss: &loss)
        } } }
        #expect(Array(grad[2..<6]) == [0, 0, 0, 0])
        #expect(grad[0] != 0 && grad[1] != 0)
    }

    @Test("sampling from the factored policy follows both heads' probabilities and is seeded")
    func sampling() {
        var layout = ParameterLayout()
        let head = ActorCriticHead(hiddenSize: 1, taskCount: 3, playCount: 2, layout: &layout)
        let row: ContiguousArray<Float> = [0, _logf(2), _logf(5), 1, 1, 0.25]   // task p = 1/8, 2/8, 5/8; play uniform
        var lp = ContiguousArray<Float>(repeating: 0, count: 5)
        var counts = [0, 0, 0], plays = [0, 0]
        var rng = SplitMix64(seed: 31)
        let draws = 40_000
        var first: [Int32] = []
        for i in 0..<draws {
            let a = row.withUnsafeBufferPointer { rp in lp.withUnsafeMutableBufferPointer { lpp in
                head.sample(row: rp, logProbs: lpp, rng: &rng)
            } }
            counts[Int(a.task)] += 1; plays[Int(a.play)] += 1
            if i < 20 { first.append(a.task * 10 + a.play) }
        }
        #expect(abs(Double(counts[0]) / Double(draws) - 0.125) < 0.01)
        #expect(abs(Double(counts[2]) / Double(draws) - 0.625) < 0.01)
        #expect(abs(Double(plays[0]) / Double(draws) - 0.5) < 0.01)
        #expect(abs(Double(_exp(Double(lp[2]))) - 0.625) < 1e-6)
        var again = SplitMix64(seed: 31)
        var replay: [Int32] = []
        for _ in 0..<20 {
            let a = row.withUnsafeBufferPointer { rp in lp.withUnsafeMutableBufferPointer { lpp in
                head.sample(row: rp, logProbs: lpp, rng: &again)
            } }
            replay.append(a.task * 10 + a.play)
        }
        #expect(replay == first)
    }

    @Test("Adam fits a small linear regression from a poor start")
    func adamRegression() {
        var layout = ParameterLayout()
        let layer = Linear(inputSize: 4, outputSize: 2, layout: &layout)
        var rng = SplitMix64(seed: 32)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { layer.initialize($0, rng: &rng) }
        let truth = randomArray(layout.count, &rng, scale: 2)
        let rows = 32
        var adam = Adam(parameterCount: layout.count, learningRate: 0.05)
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        var y = ContiguousArray<Float>(repeating: 0, count: rows * 2), target = y, dy = y
        func mse() -> Double { var s = 0.0; for i in 0..<y.count { s += Double((y[i] - target[i]) * (y[i] - target[i])) }; return s / Double(y.count) }
        var firstLoss = 0.0, lastLoss = 0.0
        for step in 0..<400 {
            let x = randomArray(rows * 4, &rng)
            x.withUnsafeBufferPointer { xp in
                truth.withUnsafeBufferPointer { tp in target.withUnsafeMutableBufferPointer { op in
                    layer.forward(parameters: tp, input: xp, rows: rows, output: op)
                } }
                params.withUnsafeBufferPointer { pp in y.withUnsafeMutableBufferPointer { op in
                    layer.forward(parameters: pp, input: xp, rows: rows, output: op)
                } }
            }
            if step == 0 { firstLoss = mse() }
            lastLoss = mse()
            for i in 0..<y.count { dy[i] = 2 * (y[i] - target[i]) / Float(y.count) }
            for i in 0..<grad.count { grad[i] = 0 }
            params.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in dy.withUnsafeBufferPointer { dp in
                grad.withUnsafeMutableBufferPointer { gp in
                    layer.backward(parameters: pp, input: xp, gradOutput: dp,
                                   rows: rows, gradients: gp, gradInput: nil)
                }
            } } }
            adam.update(parameters: &params, gradients: grad)
        }
        #expect(firstLoss > 0.5)
        #expect(lastLoss < 1e-4, "final MSE \(lastLoss) from \(firstLoss)")
        #expect(adam.stepCount == 400)
    }

    @Test("global norm clipping scales to the bound, leaves small gradients alone, reports non-finite norms")
    func clipping() {
        var g: ContiguousArray<Float> = [3, 4, 0]
        #expect(GradientClipping.clipGlobalNorm(&g, maxNorm: 1) == 5)
        #expect(abs(Double(g[0]) - 0.6) < 1e-5 && abs(Double(g[1]) - 0.8) < 1e-5)
        var small: ContiguousArray<Float> = [0.1, 0.1]
        GradientClipping.clipGlobalNorm(&small, maxNorm: 1)
        #expect(small == [0.1, 0.1])
        var bad: ContiguousArray<Float> = [1, .nan]
        #expect(!GradientClipping.clipGlobalNorm(&bad, maxNorm: 1).isFinite)
    }
}

#if canImport(Glibc)
import Glibc
func _log(_ x: Double) -> Double { Glibc.log(x) }
func _logf(_ x: Float) -> Float { Glibc.logf(x) }
#endif
