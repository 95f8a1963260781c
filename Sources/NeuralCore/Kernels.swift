/// Dense matrix kernels over row-major Float32 storage, written for the small shapes of recurrent RL.
///
/// The hot shapes (a batch of 32–64 rows against 128–384 columns) are too small for a BLAS to amortise its
/// packing, so the kernels keep a 4×24 tile of `C` in eight-lane registers and stream `A` and `B` from cache.
/// Reductions here reassociate (they are tiled and vectorised), so results differ from a naive loop in the
/// last bits but are bit-identical from run to run for the same shapes.
public enum Kernels {
    /// The register vector the kernels are built on (AVX2: one `ymm` register).
    public typealias Vector = SIMD8<Float>
    @usableFromInline static let width = 8
    /// Rows of `B` (and `A`'s inner dimension) processed per pass, so a panel of `B` stays in L2.
    @usableFromInline static let depthBlock = 256

    @inline(__always) @usableFromInline
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always) @usableFromInline
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// `C = op(A)·B` (or `C += op(A)·B` when `accumulate`), the workhorse product.
    ///
    /// `op(A)` is `m×k`: when `transposeA` is false `A` is stored `m×k` with row stride `lda`; when true it is
    /// stored `k×m` (so this computes `Aᵀ·B`, the weight-gradient product). `B` is `k×n` with row stride `ldb`,
    /// `C` is `m×n` with row stride `ldc`. Complexity O(m·n·k).
    public static func gemm(
        transposeA: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafeBufferPointer<Float>, lda: Int, b: UnsafeBufferPointer<Float>, ldb: Int,
        c: UnsafeMutableBufferPointer<Float>, ldc: Int, accumulate: Bool
    ) {
        requireShapes(transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c.baseAddress! + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        dense(transposeA: transposeA, m: m, n: n, k: k, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
              c: c.baseAddress!, ldc: ldc, accumulate: accumulate)
    }

    /// `gemm` for an `A` whose entries are mostly zero (one-hot features, masks): the same sums in the same order,
    /// with the zero terms left out, so the result is `gemm`'s bit for bit (for finite `B` and a `C` that holds no
    /// negative zeros). Falls back to `gemm` when more than a quarter of `A` is non-zero.
    /// Complexity O(m·k) to find the non-zeros, then O(n) per non-zero.
    public static func gemmSparseA(
        transposeA: Bool = false, m: Int, n: Int, k: Int,
        a: UnsafeBufferPointer<Float>, lda: Int, b: UnsafeBufferPointer<Float>, ldb: Int,
        c: UnsafeMutableBufferPointer<Float>, ldc: Int, accumulate: Bool
    ) {
        requireShapes(transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
        if m == 0 || n == 0 || k == 0 {
            gemm(transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        let (pa, pb, pc) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
        let (rowsA, colsA) = transposeA ? (k, m) : (m, k)
        if !isMostlyZero(rows: rowsA, cols: colsA, pa, ld: lda) {
            dense(transposeA: transposeA, m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: ldc, accumulate: accumulate)
        } else if transposeA {
            sparseTransposedA(m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: ldc, accumulate: accumulate)
        } else {
            sparseA(m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb, c: pc, ldc: ldc, accumulate: accumulate)
        }
    }

    /// Whether at most a quarter of a `rows × cols` matrix is non-zero; stops reading as soon as the answer is no.
    static func isMostlyZero(rows: Int, cols: Int, _ a: UnsafePointer<Float>, ld: Int) -> Bool {
        let limit = rows * cols / 4
        let cv = cols & ~(width - 1)
        var nonZero = 0
        for i in 0..<rows {
            let row = a + i * ld
            var lanes = SIMD8<Int32>()
            var j = 0
            while j < cv {
                // A true lane of the mask is -1.
                lanes &-= unsafeBitCast(load(row + j) .!= Vector(), to: SIMD8<Int32>.self)
                j += width
            }
            nonZero += Int(lanes.wrappedSum())
            while j < cols { if row[j] != 0 { nonZero += 1 }; j += 1 }
            if nonZero > limit { return false }
        }
        return true
    }

    /// Writes the indices `j` in `range` where `values[j]` is non-zero into `found`, in ascending order; returns how
    /// many. Eight values are tested at once, and most one-hot features have none set among eight.
    @inline(__always)
    static func nonZeroIndices(_ values: UnsafePointer<Float>, _ range: Range<Int>, into found: UnsafeMutablePointer<Int32>) -> Int {
        var count = 0
        var j = range.lowerBound
        while j + width <= range.upperBound {
            let set = load(values + j) .!= Vector()
            if any(set) {
                for l in 0..<width where set[l] { found[count] = Int32(j + l); count += 1 }
            }
            j += width
        }
        while j < range.upperBound {
            if values[j] != 0 { found[count] = Int32(j); count += 1 }
            j += 1
        }
        return count
    }

    @inline(__always)
    static func requireShapes(transposeA: Bool, m: Int, n: Int, k: Int, a: UnsafeBufferPointer<Float>, lda: Int,
                              b: UnsafeBufferPointer<Float>, ldb: Int, c: UnsafeMutableBufferPointer<Float>, ldc: Int) {
        requireSize(span(rows: transposeA ? k : m, cols: transposeA ? m : k, ld: lda) <= a.count,
                    "gemm: A (\(m)×\(k), ld \(lda)\(transposeA ? ", transposed" : "")) needs more than \(a.count) floats")
        requireSize(span(rows: k, cols: n, ld: ldb) <= b.count, "gemm: B (\(k)×\(n), ld \(ldb)) needs more than \(b.count) floats")
        requireSize(span(rows: m, cols: n, ld: ldc) <= c.count, "gemm: C (\(m)×\(n), ld \(ldc)) needs more than \(c.count) floats")
    }

    /// The tiled product over raw storage (`k > 0`).
    static func dense(transposeA: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                      b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let rowStrideA = transposeA ? 1 : lda
        let depthStrideA = transposeA ? lda : 1
        var p0 = 0
        while p0 < k {
            let kb = min(depthBlock, k - p0)
            let add = accumulate || p0 > 0
            let aPanel = a + p0 * depthStrideA
            let bPanel = b + p0 * ldb
            var i = 0
            while i + 4 <= m {
                panelRows4(kb: kb, n: n, a: aPanel + i * rowStrideA, rsA: rowStrideA, csA: depthStrideA,
                           b: bPanel, ldb: ldb, c: c + i * ldc, ldc: ldc, accumulate: add)
                i += 4
            }
            while i < m {
                panelRow1(kb: kb, n: n, a: aPanel + i * rowStrideA, csA: depthStrideA,
                          b: bPanel, ldb: ldb, c: c + i * ldc, accumulate: add)
                i += 1
            }
            p0 += kb
        }
    }

    /// `C (+)= A·B` row by row over the non-zeros of each row of `A`, a 24-column strip of `C` in registers.
    /// Every element of `C` adds its terms in ascending depth order with fused multiply-adds, as `dense` does.
    static func sparseA(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                        b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: depthBlock) { found in
            let at = found.baseAddress!
            for i in 0..<m {
                let ar = a + i * lda, cr = c + i * ldc
                if !accumulate { cr.update(repeating: 0, count: n) }
                var p0 = 0
                while p0 < k {
                    let kb = min(depthBlock, k - p0)
                    let count = nonZeroIndices(ar, p0..<(p0 + kb), into: at)
                    if count > 0 { addRowCombination(n: n, weights: ar, depths: at, count: count, b: b, ldb: ldb, c: cr) }
                    p0 += kb
                }
            }
        }
    }

    /// `c += Σ weights[d]·B[d, ·]` over the listed depths `d`, in list order.
    @inline(__always)
    static func addRowCombination(n: Int, weights: UnsafePointer<Float>, depths: UnsafePointer<Int32>, count: Int,
                                  b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 24 <= n {
            var c0 = load(c + j), c1 = load(c + j + 8), c2 = load(c + j + 16)
            for q in 0..<count {
                let d = Int(depths[q])
                let av = Vector(repeating: weights[d]), pb = b + d * ldb + j
                c0 = c0.addingProduct(av, load(pb)); c1 = c1.addingProduct(av, load(pb + 8))
                c2 = c2.addingProduct(av, load(pb + 16))
            }
            store(c0, c + j); store(c1, c + j + 8); store(c2, c + j + 16)
            j += 24
        }
        while j + 8 <= n {
            var c0 = load(c + j)
            for q in 0..<count {
                let d = Int(depths[q])
                c0 = c0.addingProduct(Vector(repeating: weights[d]), load(b + d * ldb + j))
            }
            store(c0, c + j)
            j += 8
        }
        while j < n {
            var s = c[j]
            for q in 0..<count {
                let d = Int(depths[q])
                s = s.addingProduct(weights[d], b[d * ldb + j])
            }
            c[j] = s
            j += 1
        }
    }

    /// `C (+)= Aᵀ·B` for `A` stored `k×m`: each non-zero `A[p, i]` adds `A[p, i]·B[p, ·]` into row `i` of `C`,
    /// taking `p` in ascending order, so every element of `C` sums its terms in `dense`'s order.
    static func sparseTransposedA(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                  b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                  accumulate: Bool) {
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        let nv = n & ~(width - 1)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: depthBlock) { found in
            let at = found.baseAddress!
            for p in 0..<k {
                let ar = a + p * lda, br = b + p * ldb
                var i0 = 0
                while i0 < m {
                    let count = nonZeroIndices(ar, i0..<min(i0 + depthBlock, m), into: at)
                    for q in 0..<count {
                        let i = Int(at[q])
                        let s = ar[i], av = Vector(repeating: s), cr = c + i * ldc
                        var j = 0
                        while j < nv { store(load(cr + j).addingProduct(av, load(br + j)), cr + j); j += width }
                        while j < n { cr[j] = cr[j].addingProduct(s, br[j]); j += 1 }
                    }
                    i0 += depthBlock
                }
            }
        }
    }

    @inline(__always) @usableFromInline
    static func panelRows4(kb: Int, n: Int, a: UnsafePointer<Float>, rsA: Int, csA: Int,
                           b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                           accumulate: Bool) {
        var j = 0
        while j + 24 <= n {
            tile4x24(kb: kb, a: a, rsA: rsA, csA: csA, b: b + j, ldb: ldb, c: c + j, ldc: ldc, accumulate: accumulate)
            j += 24
        }
        while j + 8 <= n {
            tile4x8(kb: kb, a: a, rsA: rsA, csA: csA, b: b + j, ldb: ldb, c: c + j, ldc: ldc, accumulate: accumulate)
            j += 8
        }
        if j < n {
            for r in 0..<4 {
                scalarTail(kb: kb, from: j, n: n, a: a + r * rsA, csA: csA, b: b, ldb: ldb, c: c + r * ldc,
                           accumulate: accumulate)
            }
        }
    }

    @inline(__always) @usableFromInline
    static func panelRow1(kb: Int, n: Int, a: UnsafePointer<Float>, csA: Int,
                          b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        var j = 0
        while j + 16 <= n {
            var c0 = accumulate ? load(c + j) : Vector()
            var c1 = accumulate ? load(c + j + 8) : Vector()
            var pa = a, pb = b + j
            for _ in 0..<kb {
                let av = Vector(repeating: pa.pointee)
                c0 = c0.addingProduct(av, load(pb))
                c1 = c1.addingProduct(av, load(pb + 8))
                pa += csA; pb += ldb
            }
            store(c0, c + j); store(c1, c + j + 8)
            j += 16
        }
        while j + 8 <= n {
            var c0 = accumulate ? load(c + j) : Vector()
            var pa = a, pb = b + j
            for _ in 0..<kb {
                c0 = c0.addingProduct(Vector(repeating: pa.pointee), load(pb))
                pa += csA; pb += ldb
            }
            store(c0, c + j)
            j += 8
        }
        if j < n { scalarTail(kb: kb, from: j, n: n, a: a, csA: csA, b: b, ldb: ldb, c: c, accumulate: accumulate) }
    }

    @inline(__always) @usableFromInline
    static func scalarTail(kb: Int, from j0: Int, n: Int, a: UnsafePointer<Float>, csA: Int,
                           b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, accumulate: Bool) {
        for j in j0..<n {
            var s: Float = accumulate ? c[j] : 0
            var pa = a, pb = b + j
            for _ in 0..<kb {
                s = s.addingProduct(pa.pointee, pb.pointee)
                pa += csA; pb += ldb
            }
            c[j] = s
        }
    }

    /// The register tile: 4 rows × 24 columns = 12 accumulators, 3 loads of `B` and 4 broadcasts per step.
    @inline(__always) @usableFromInline
    static func tile4x24(kb: Int, a: UnsafePointer<Float>, rsA: Int, csA: Int,
                         b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                         accumulate: Bool) {
        let c0p = c, c1p = c + ldc, c2p = c + 2 * ldc, c3p = c + 3 * ldc
        var c00 = Vector(), c01 = Vector(), c02 = Vector()
        var c10 = Vector(), c11 = Vector(), c12 = Vector()
        var c20 = Vector(), c21 = Vector(), c22 = Vector()
        var c30 = Vector(), c31 = Vector(), c32 = Vector()
        if accumulate {
            c00 = load(c0p); c01 = load(c0p + 8); c02 = load(c0p + 16)
            c10 = load(c1p); c11 = load(c1p + 8); c12 = load(c1p + 16)
            c20 = load(c2p); c21 = load(c2p + 8); c22 = load(c2p + 16)
            c30 = load(c3p); c31 = load(c3p + 8); c32 = load(c3p + 16)
        }
        var pa = a, pb = b
        for _ in 0..<kb {
            let b0 = load(pb), b1 = load(pb + 8), b2 = load(pb + 16)
            let a0 = Vector(repeating: pa[0])
            c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1); c02 = c02.addingProduct(a0, b2)
            let a1 = Vector(repeating: pa[rsA])
            c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1); c12 = c12.addingProduct(a1, b2)
            let a2 = Vector(repeating: pa[2 * rsA])
            c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1); c22 = c22.addingProduct(a2, b2)
            let a3 = Vector(repeating: pa[3 * rsA])
            c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1); c32 = c32.addingProduct(a3, b2)
            pa += csA; pb += ldb
        }
        store(c00, c0p); store(c01, c0p + 8); store(c02, c0p + 16)
        store(c10, c1p); store(c11, c1p + 8); store(c12, c1p + 16)
        store(c20, c2p); store(c21, c2p + 8); store(c22, c2p + 16)
        store(c30, c3p); store(c31, c3p + 8); store(c32, c3p + 16)
    }

    @inline(__always) @usableFromInline
    static func tile4x8(kb: Int, a: UnsafePointer<Float>, rsA: Int, csA: Int,
                        b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                        accumulate: Bool) {
        var c0 = accumulate ? load(c) : Vector()
        var c1 = accumulate ? load(c + ldc) : Vector()
        var c2 = accumulate ? load(c + 2 * ldc) : Vector()
        var c3 = accumulate ? load(c + 3 * ldc) : Vector()
        var pa = a, pb = b
        for _ in 0..<kb {
            let bv = load(pb)
            c0 = c0.addingProduct(Vector(repeating: pa[0]), bv)
            c1 = c1.addingProduct(Vector(repeating: pa[rsA]), bv)
            c2 = c2.addingProduct(Vector(repeating: pa[2 * rsA]), bv)
            c3 = c3.addingProduct(Vector(repeating: pa[3 * rsA]), bv)
            pa += csA; pb += ldb
        }
        store(c0, c); store(c1, c + ldc); store(c2, c + 2 * ldc); store(c3, c + 3 * ldc)
    }

    /// `C = A·Bᵀ` (or `+=`), with `A` `m×k` and `B` stored `n×k`: dot products along contiguous rows.
    ///
    /// Used where `n` is small (policy heads), so a transposed copy of `B` would not pay for itself.
    /// Complexity O(m·n·k).
    public static func gemmTransposedB(
        m: Int, n: Int, k: Int, a: UnsafeBufferPointer<Float>, lda: Int, b: UnsafeBufferPointer<Float>, ldb: Int,
        c: UnsafeMutableBufferPointer<Float>, ldc: Int, accumulate: Bool
    ) {
        requireSize(span(rows: m, cols: k, ld: lda) <= a.count, "gemmTransposedB: A (\(m)×\(k), ld \(lda)) needs more than \(a.count) floats")
        requireSize(span(rows: n, cols: k, ld: ldb) <= b.count, "gemmTransposedB: B (\(n)×\(k), ld \(ldb)) needs more than \(b.count) floats")
        requireSize(span(rows: m, cols: n, ld: ldc) <= c.count, "gemmTransposedB: C (\(m)×\(n), ld \(ldc)) needs more than \(c.count) floats")
        if m == 0 || n == 0 { return }
        let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
        let kv = k & ~(width - 1)
        for i in 0..<m {
            let ar = a + i * lda
            let cr = c + i * ldc
            var j = 0
            while j + 4 <= n {
                let b0 = b + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb
                var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector()
                var p = 0
                while p < kv {
                    let av = load(ar + p)
                    s0 = s0.addingProduct(av, load(b0 + p)); s1 = s1.addingProduct(av, load(b1 + p))
                    s2 = s2.addingProduct(av, load(b2 + p)); s3 = s3.addingProduct(av, load(b3 + p))
                    p += width
                }
                var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
                while p < k {
                    let av = ar[p]
                    t0 += av * b0[p]; t1 += av * b1[p]; t2 += av * b2[p]; t3 += av * b3[p]
                    p += 1
                }
                if accumulate { t0 += cr[j]; t1 += cr[j + 1]; t2 += cr[j + 2]; t3 += cr[j + 3] }
                cr[j] = t0; cr[j + 1] = t1; cr[j + 2] = t2; cr[j + 3] = t3
                j += 4
            }
            while j < n {
                let br = b + j * ldb
                var s = Vector()
                var p = 0
                while p < kv { s = s.addingProduct(load(ar + p), load(br + p)); p += width }
                var t = s.sum()
                while p < k { t += ar[p] * br[p]; p += 1 }
                cr[j] = accumulate ? cr[j] + t : t
                j += 1
            }
        }
    }

    /// Writes the `cols×rows` transpose of a row-major `rows×cols` matrix. Complexity O(rows·cols).
    public static func transpose(rows: Int, cols: Int, _ src: UnsafeBufferPointer<Float>, into dst: UnsafeMutableBufferPointer<Float>) {
        requireSize(rows * cols <= src.count && rows * cols <= dst.count,
                    "transpose: \(rows)×\(cols) needs \(rows * cols) floats, got \(src.count) and \(dst.count)")
        if rows == 0 || cols == 0 { return }
        let (src, dst) = (src.baseAddress!, dst.baseAddress!)
        let block = 16
        var i0 = 0
        while i0 < rows {
            let i1 = min(i0 + block, rows)
            var j0 = 0
            while j0 < cols {
                let j1 = min(j0 + block, cols)
                for i in i0..<i1 { for j in j0..<j1 { dst[j * rows + i] = src[i * cols + j] } }
                j0 = j1
            }
            i0 = i1
        }
    }

    /// Adds every row of a `rows×cols` matrix into `sums` (the bias gradient). Complexity O(rows·cols).
    public static func addColumnSums(rows: Int, cols: Int, _ src: UnsafeBufferPointer<Float>, ld: Int,
                                     into sums: UnsafeMutableBufferPointer<Float>) {
        requireSize(span(rows: rows, cols: cols, ld: ld) <= src.count && cols <= sums.count,
                    "addColumnSums: \(rows)×\(cols) (ld \(ld)) into \(cols) sums, got \(src.count) and \(sums.count) floats")
        if rows == 0 || cols == 0 { return }
        let (src, sums) = (src.baseAddress!, sums.baseAddress!)
        let cv = cols & ~(width - 1)
        for i in 0..<rows {
            let r = src + i * ld
            var j = 0
            while j < cv { store(load(sums + j) + load(r + j), sums + j); j += width }
            while j < cols { sums[j] += r[j]; j += 1 }
        }
    }

    /// Copies `bias` into each of `rows` rows of `dst` (to start an accumulating product). Complexity O(rows·cols).
    public static func fillRows(rows: Int, cols: Int, with bias: UnsafeBufferPointer<Float>,
                                into dst: UnsafeMutableBufferPointer<Float>, ld: Int) {
        requireSize(cols <= bias.count && span(rows: rows, cols: cols, ld: ld) <= dst.count,
                    "fillRows: \(rows)×\(cols) (ld \(ld)) from \(cols) floats, got \(bias.count) and \(dst.count)")
        if rows == 0 || cols == 0 { return }
        for i in 0..<rows { (dst.baseAddress! + i * ld).update(from: bias.baseAddress!, count: cols) }
    }
}
