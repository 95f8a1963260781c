import NeuralCore
import Testing

/// BPTT through several steps of the recurrent cells, with a per-row reset mask between steps.
@Suite struct RecurrentGradientTests {
    let check = GradientCheck()
    let steps = 3, rows = 3, inputs = 5

    /// Row 1's state is cut between steps 1 and 2 and row 2's before step 0 (mask 0), as trial boundaries would.
    func mask(_ t: Int, _ r: Int) -> Float { (t == 2 && r == 1) || (t == 0 && r == 2) ? 0 : 1 }

    @Test("GRU: BPTT gradients for weights, inputs and the initial state match finite differences",
          arguments: [11, 16])
    func gru(hidden hs: Int) {
        var layout = ParameterLayout()
        let gru = GRU(inputSize: inputs, hiddenSize: hs, layout: &layout)
        var rng = SplitMix64(seed: 20)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { gru.initialize($0, rng: &rng) }
        for i in 0..<params.count { params[i] *= 3 }   // larger weights exercise the nonlinearities
        let x = randomArray(steps * rows * inputs, &rng), h0 = randomArray(rows * hs, &rng)
        let w = randomArray(steps * rows * hs, &rng)
        let n = rows * hs
        var hIn = ContiguousArray<Float>(repeating: 0, count: steps * n)
        var cache = ContiguousArray<Float>(repeating: 0, count: steps * rows * gru.cacheSizePerRow)
        var scratch = ContiguousArray<Float>(repeating: 0, count: rows * gru.scratchSizePerRow)

        func forward(_ p: ContiguousArray<Float>, _ x: ContiguousArray<Float>, _ h0: ContiguousArray<Float>) -> Double {
            var h = h0, loss = 0.0
            var out = ContiguousArray<Float>(repeating: 0, count: n)
            for t in 0..<steps {
                for r in 0..<rows { for j in 0..<hs { hIn[t * n + r * hs + j] = h[r * hs + j] * mask(t, r) } }
                p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in hIn.withUnsafeBufferPointer { hp in
                    out.withUnsafeMutableBufferPointer { op in cache.withUnsafeMutableBufferPointer { cp in
                        scratch.withUnsafeMutableBufferPointer { sp in
                            gru.forward(parameters: pp, input: xp.rows(t * rows, rows, width: inputs),
                                        hidden: hp.rows(t, 1, width: n), rows: rows, output: op,
                                        cache: cp.rows(t * rows, rows, width: gru.cacheSizePerRow), scratch: sp)
                        }
                    } }
                } } }
                h = out
                for i in 0..<n { loss += Double(out[i]) * Double(w[t * n + i]) }
            }
            return loss
        }
        _ = forward(params, x, h0)

        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        var gradX = ContiguousArray<Float>(repeating: 0, count: x.count)
        var dgx = ContiguousArray<Float>(repeating: 0, count: steps * rows * 3 * hs)
        var dgh = dgx
        var wT = ContiguousArray<Float>(repeating: 0, count: 3 * hs * hs)
        params.withUnsafeBufferPointer { p in wT.withUnsafeMutableBufferPointer { gru.transposeRecurrentWeight(parameters: p, into: $0) } }
        var carry = ContiguousArray<Float>(repeating: 0, count: n)
        for t in stride(from: steps - 1, through: 0, by: -1) {
            var dh = carry
            for i in 0..<n { dh[i] += w[t * n + i] }
            var dIn = ContiguousArray<Float>(repeating: 0, count: n)
            hIn.withUnsafeBufferPointer { hp in cache.withUnsafeBufferPointer { cp in dh.withUnsafeBufferPointer { dp in
                dgx.withUnsafeMutableBufferPointer { gx in dgh.withUnsafeMutableBufferPointer { gh in
                    dIn.withUnsafeMutableBufferPointer { di in wT.withUnsafeBufferPointer { wt in
                        gru.backward(hidden: hp.rows(t, 1, width: n), cache: cp.rows(t * rows, rows, width: gru.cacheSizePerRow),
                                     gradOutput: dp, rows: rows,
                                     gradInputGates: gx.rows(t * rows, rows, width: 3 * hs),
                                     gradRecurrentGates: gh.rows(t * rows, rows, width: 3 * hs),
                                     gradHidden: di, transposedRecurrentWeight: wt)
                    } }
                } }
            } } }
            for r in 0..<rows { for j in 0..<hs { carry[r * hs + j] = dIn[r * hs + j] * mask(t, r) } }
        }
        params.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in hIn.withUnsafeBufferPointer { hp in
            dgx.withUnsafeBufferPointer { gx in dgh.withUnsafeBufferPointer { gh in
                grad.withUnsafeMutableBufferPointer { gp in gradX.withUnsafeMutableBufferPointer { dx in
                    gru.accumulateParameterGradients(inputs: xp, hiddens: hp,
                                                     gradInputGates: gx, gradRecurrentGates: gh,
                                                     rows: steps * rows, gradients: gp)
                    gru.accumulateInputGradient(parameters: pp, gradInputGates: gx,
                                                rows: steps * rows, gradInput: dx)
                } }
            } }
        } } }
        #expect(check.mismatches(values: params, analytic: grad, indices: sampleIndices(params.count, limit: 120)) { forward($0, x, h0) } == [])
        #expect(check.mismatches(values: x, analytic: gradX, indices: sampleIndices(x.count)) { forward(params, $0, h0) } == [])
        #expect(check.mismatches(values: h0, analytic: carry, indices: sampleIndices(h0.count)) { forward(params, x, $0) } == [])
        #expect(carry[(2 * hs)..<(3 * hs)].allSatisfy { $0 == 0 }, "a row cut before step 0 passes no gradient back")
        #expect(carry[hs] != 0)
    }

    @Test("LSTM: BPTT gradients through hidden and cell state match finite differences; with the reinstatement gate, its weights' too",
          arguments: [false, true])
    func lstm(reinstates: Bool) {
        let hs = 6
        var layout = ParameterLayout()
        let lstm = LSTM(inputSize: inputs, hiddenSize: hs, reinstates: reinstates, layout: &layout)
        var rng = SplitMix64(seed: 21)
        var params = ContiguousArray<Float>(repeating: 0, count: layout.count)
        params.withUnsafeMutableBufferPointer { lstm.initialize($0, rng: &rng) }
        for i in 0..<params.count { params[i] += (rng.nextUnitFloat() - 0.5) }
        let x = randomArray(steps * rows * inputs, &rng)
        let h0 = randomArray(rows * hs, &rng), c0 = randomArray(rows * hs, &rng)
        let w = randomArray(steps * rows * hs, &rng), u = randomArray(rows * hs, &rng)
        let n = rows * hs
        let recalled = randomArray(steps * n, &rng)
        var hs_ = ContiguousArray<Float>(repeating: 0, count: (steps + 1) * n)
        var cs = hs_
        var cache = ContiguousArray<Float>(repeating: 0, count: steps * rows * lstm.cacheSizePerRow)
        var scratch = ContiguousArray<Float>(repeating: 0, count: rows * lstm.scratchSizePerRow)

        func forward(_ p: ContiguousArray<Float>, _ x: ContiguousArray<Float>, _ h0: ContiguousArray<Float>, _ c0: ContiguousArray<Float>) -> Double {
            for i in 0..<n { hs_[i] = h0[i]; cs[i] = c0[i] }
            var loss = 0.0
            for t in 0..<steps {
                p.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in
                    hs_.withUnsafeMutableBufferPointer { hp in cs.withUnsafeMutableBufferPointer { cp in
                        cache.withUnsafeMutableBufferPointer { kp in scratch.withUnsafeMutableBufferPointer { sp in
                            recalled.withUnsafeBufferPointer { rp in
                                let ep = reinstates ? rp.rows(t, 1, width: n) : nil
                                lstm.forward(parameters: pp, input: xp.rows(t * rows, rows, width: inputs),
                                             hidden: hp.readOnly.rows(t, 1, width: n), cell: cp.readOnly.rows(t, 1, width: n),
                                             recalled: ep, rows: rows,
                                             outputHidden: hp.rows(t + 1, 1, width: n), outputCell: cp.rows(t + 1, 1, width: n),
                                             cache: kp.rows(t * rows, rows, width: lstm.cacheSizePerRow), scratch: sp)
                            }
                        } }
                    } }
                } }
                for i in 0..<n { loss += Double(hs_[(t + 1) * n + i]) * Double(w[t * n + i]) }
            }
            for i in 0..<n { loss += Double(cs[steps * n + i]) * Double(u[i]) }
            return loss
        }
        _ = forward(params, x, h0, c0)
        var grad = ContiguousArray<Float>(repeating: 0, count: layout.count)
        var gradX = ContiguousArray<Float>(repeating: 0, count: x.count)
        var dh = ContiguousArray<Float>(repeating: 0, count: n)
        var dc = u
        for t in stride(from: steps - 1, through: 0, by: -1) {
            for i in 0..<n { dh[i] += w[t * n + i] }
            var dhPrev = ContiguousArray<Float>(repeating: 0, count: n), dcPrev = dhPrev
            params.withUnsafeBufferPointer { pp in x.withUnsafeBufferPointer { xp in
                hs_.withUnsafeBufferPointer { hp in cs.withUnsafeBufferPointer { cp in cache.withUnsafeBufferPointer { kp in
                    dh.withUnsafeBufferPointer { dhp in dc.withUnsafeBufferPointer { dcp in
                        grad.withUnsafeMutableBufferPointer { gp in gradX.withUnsafeMutableBufferPointer { gx in
                            dhPrev.withUnsafeMutableBufferPointer { a in dcPrev.withUnsafeMutableBufferPointer { b in
                                scratch.withUnsafeMutableBufferPointer { sp in
                                    recalled.withUnsafeBufferPointer { rp in
                                        let ep = reinstates ? rp.rows(t, 1, width: n) : nil
                                        lstm.backward(parameters: pp, input: xp.rows(t * rows, rows, width: inputs),
                                                      hidden: hp.rows(t, 1, width: n), cell: cp.rows(t, 1, width: n), recalled: ep,
                                                      cache: kp.rows(t * rows, rows, width: lstm.cacheSizePerRow),
                                                      gradHidden: dhp, gradCell: dcp, rows: rows,
                                                      gradients: gp, gradInput: gx.rows(t * rows, rows, width: inputs),
                                                      gradHiddenPrevious: a, gradCellPrevious: b,
                                                      scratch: sp)
                                    }
                                }
                            } }
                        } }
                    } }
                } } }
            } }
            dh = dhPrev
            dc = dcPrev
        }
        #expect(check.mismatches(values: params, analytic: grad, indices: sampleIndices(params.count, limit: 120)) { forward($0, x, h0, c0) } == [])
        #expect(check.mismatches(values: x, analytic: gradX, indices: sampleIndices(x.count)) { forward(params, $0, h0, c0) } == [])
        #expect(check.mismatches(values: h0, analytic: dh, indices: Array(0..<n)) { forward(params, x, $0, c0) } == [])
        #expect(check.mismatches(values: c0, analytic: dc, indices: Array(0..<n)) { forward(params, x, h0, $0) } == [])
        if reinstates {
            // Every weight of the r-gate: its bias and a column of its input and recurrent weights.
            let gate = (lstm.bias.offset + 4 * hs)..<(lstm.bias.offset + 5 * hs)
            let columns = (0..<inputs).map { lstm.inputWeight.offset + $0 * 5 * hs + 4 * hs + 1 }
                + (0..<hs).map { lstm.recurrentWeight.offset + $0 * 5 * hs + 4 * hs + 2 }
            #expect(gate.allSatisfy { grad[$0] != 0 })
            #expect(check.mismatches(values: params, analytic: grad, indices: Array(gate) + columns) { forward($0, x, h0, c0) } == [])
        }
    }
}
