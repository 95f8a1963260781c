/// Vectorised transcendental functions for the recurrent cells' gates.
///
/// A GRU step over a 64×128 batch needs ~25,000 sigmoids and tanhs; libm's scalar calls would cost as much
/// as the matrix products, so these use a Cephes-style polynomial (relative error ≈ 2e-7 for `exp`).
public enum Activations {
    public typealias Vector = Kernels.Vector

    /// `eˣ` lane-wise, clamped to the finite Float range.
    @inline(__always)
    public static func exp(_ x: Vector) -> Vector {
        // Clamp to [-87.34, 88.38] by selects, which inline (the generic `pointwiseMin`/`Max` became calls); NaN
        // goes to the lower bound, as it did through `pointwiseMax`.
        let low = Vector(repeating: -87.33654), high = Vector(repeating: 88.37626)
        let above = low.replacing(with: x, where: x .> low)
        let xc = high.replacing(with: above, where: above .<= high)
        // Round x·log₂e to the nearest integer with the 1.5·2²³ trick: the sum's low mantissa bits then hold the
        // integer itself, which avoids the generic (per-lane) rounding and conversion paths of the SIMD types.
        let magic = Vector(repeating: 12_582_912)
        let t = xc.addingProduct(xc, Vector(repeating: 0.44269504088896341)) + magic
        let fx = t - magic
        var r = xc.addingProduct(fx, Vector(repeating: -0.693359375))
        r = r.addingProduct(fx, Vector(repeating: 2.12194440e-4))
        var p = Vector(repeating: 1.9875691500e-4)
        p = Vector(repeating: 1.3981999507e-3).addingProduct(p, r)
        p = Vector(repeating: 8.3334519073e-3).addingProduct(p, r)
        p = Vector(repeating: 4.1665795894e-2).addingProduct(p, r)
        p = Vector(repeating: 1.6666665459e-1).addingProduct(p, r)
        p = Vector(repeating: 5.0000001201e-1).addingProduct(p, r)
        let y = (r + 1).addingProduct(p, r * r)
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((n &+ 127) &<< 23, to: Vector.self)
        return y * scale
    }

    /// The logistic function `1 / (1 + e⁻ˣ)` lane-wise.
    @inline(__always)
    public static func sigmoid(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }

    /// `tanh x = 2σ(2x) − 1` lane-wise (absolute error ≈ 2e-7).
    @inline(__always)
    public static func tanh(_ x: Vector) -> Vector {
        2 / (1 + exp(-2 * x)) - 1
    }

    /// `x[i] = tanh x[i]` for every float of `x` in place, eight lanes at a time. O(count).
    public static func tanh(_ buffer: UnsafeMutableBufferPointer<Float>) {
        guard let x = buffer.baseAddress else { return }
        let count = buffer.count
        var i = 0
        while i < count {
            let w = min(Kernels.width, count - i)
            Kernels.store(tanh(Kernels.load(x + i, count: w)), x + i, count: w)
            i += w
        }
    }

    /// Scalar logistic function, for tails shorter than a vector.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { 1 / (1 + expScalar(-x)) }

    /// Scalar `tanh`, for tails shorter than a vector.
    @inline(__always)
    public static func tanh(_ x: Float) -> Float { 2 / (1 + expScalar(-2 * x)) - 1 }

    /// Scalar `eˣ` through the same polynomial, so vector and tail lanes agree bit for bit.
    @inline(__always)
    public static func expScalar(_ x: Float) -> Float { exp(Vector(repeating: x))[0] }
}
