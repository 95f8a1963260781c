import NeuralCore
import Testing

@Suite struct KernelsTests {
    func naive(transposeA: Bool, m: Int, n: Int, k: Int, a: [Float], b: [Float]) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k {
            let av = transposeA ? a[p * m + i] : a[i * k + p]
            c[i * n + j] += Double(av) * Double(b[p * n + j])
        } } }
        return c
    }

    @Test("gemm matches a naive product on ragged shapes, plain and transposed, set and accumulate",
          arguments: [(7, 37, 300), (4, 24, 8), (9, 130, 3), (1, 5, 1), (64, 384, 147)])
    func gemmMatchesNaive(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SplitMix64(seed: 1)
        let a = Array(randomArray(m * k, &rng)), b = Array(randomArray(k * n, &rng))
        for transposeA in [false, true] {
            let expected = naive(transposeA: transposeA, m: m, n: n, k: k, a: a, b: b)
            var c = [Float](repeating: 1, count: m * n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                Kernels.gemm(transposeA: transposeA, m: m, n: n, k: k, a: ap, lda: transposeA ? m : k,
                             b: bp, ldb: n, c: cp, ldc: n, accumulate: true)
            } } }
            let worst = zip(c, expected).map { abs(Double($0) - 1 - $1) }.max() ?? 0
            #expect(worst < 1e-3 * Double(k).squareRoot(), "transposeA \(transposeA): max error \(worst)")
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                Kernels.gemm(transposeA: transposeA, m: m, n: n, k: k, a: ap, lda: transposeA ? m : k,
                             b: bp, ldb: n, c: cp, ldc: n, accumulate: false)
            } } }
            let worstSet = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worstSet < 1e-3 * Double(k).squareRoot())
        }
    }

    @Test("the product that skips zeros of A gives the dense product bit for bit, plain and transposed, set and accumulate",
          arguments: [(7, 37, 300), (64, 384, 419), (5, 130, 3), (33, 384, 600)])
    func sparseMatchesDense(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SplitMix64(seed: 3)
        // One-hot-like rows: about one entry in twelve is non-zero, as in the grid features.
        let a = (0..<(m * k)).map { _ in rng.next() % 12 == 0 ? rng.nextUnitFloat() * 2 - 1 : 0 }
        let b = Array(randomArray(k * n, &rng)), start = Array(randomArray(m * n, &rng))
        for transposeA in [false, true] {
            for accumulate in [false, true] {
                var dense = start, sparse = start
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
                    dense.withUnsafeMutableBufferPointer {
                        Kernels.gemm(transposeA: transposeA, m: m, n: n, k: k, a: ap, lda: transposeA ? m : k, b: bp, ldb: n,
                                     c: $0, ldc: n, accumulate: accumulate)
                    }
                    sparse.withUnsafeMutableBufferPointer {
                        Kernels.gemmSparseA(transposeA: transposeA, m: m, n: n, k: k, a: ap, lda: transposeA ? m : k, b: bp,
                                            ldb: n, c: $0, ldc: n, accumulate: accumulate)
                    }
                } }
                #expect(dense.map(\.bitPattern) == sparse.map(\.bitPattern), "transposeA \(transposeA), accumulate \(accumulate)")
            }
        }
    }

    @Test("a buffer too small for the shapes stops a debug build")
    func sizeChecked() async {
        #if DEBUG
        await #expect(processExitsWith: .failure) {
            let a = [Float](repeating: 1, count: 6), b = [Float](repeating: 1, count: 6)
            var c = [Float](repeating: 0, count: 3)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer {
                Kernels.gemm(m: 2, n: 2, k: 3, a: ap, lda: 3, b: bp, ldb: 2, c: $0, ldc: 2, accumulate: false)
            } } }
        }
        #endif
    }

    @Test("A·Bᵀ by dot products and transpose agree with the naive product")
    func transposedB() {
        let (m, n, k) = (5, 14, 131)
        var rng = SplitMix64(seed: 2)
        let a = Array(randomArray(m * k, &rng)), bt = Array(randomArray(n * k, &rng))
        var b = [Float](repeating: 0, count: k * n)
        bt.withUnsafeBufferPointer { s in b.withUnsafeMutableBufferPointer { d in
            Kernels.transpose(rows: n, cols: k, s, into: d)
        } }
        #expect(b[3 * n + 2] == bt[2 * k + 3])
        let expected = naive(transposeA: false, m: m, n: n, k: k, a: a, b: b)
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { ap in bt.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            Kernels.gemmTransposedB(m: m, n: n, k: k, a: ap, lda: k, b: bp, ldb: k,
                                    c: cp, ldc: n, accumulate: false)
        } } }
        let worst = zip(c, expected).map { abs(Double($0) - $1) }.max() ?? 0
        #expect(worst < 1e-4 * Double(k))
    }

    @Test("vector exp, sigmoid and tanh agree with libm across their range")
    func activations() {
        var worstExp = 0.0, worstSig = 0.0, worstTanh = 0.0
        var x: Float = -20
        while x < 20 {
            let v = Kernels.Vector(repeating: x)
            worstExp = max(worstExp, abs(Double(Activations.exp(v)[0]) / _exp(Double(x)) - 1))
            worstSig = max(worstSig, abs(Double(Activations.sigmoid(v)[0]) - 1 / (1 + _exp(-Double(x)))))
            worstTanh = max(worstTanh, abs(Double(Activations.tanh(v)[0]) - _tanh(Double(x))))
            x += 0.0137
        }
        #expect(worstExp < 1e-6)
        #expect(worstSig < 1e-6)
        #expect(worstTanh < 1e-6)
        #expect(Activations.exp(Kernels.Vector(repeating: -200))[0] >= 0)
        #expect(Activations.sigmoid(Kernels.Vector(repeating: 200))[0] == 1)
    }
}

#if canImport(Glibc)
import Glibc
func _exp(_ x: Double) -> Double { Glibc.exp(x) }
func _tanh(_ x: Double) -> Double { Glibc.tanh(x) }
#endif
