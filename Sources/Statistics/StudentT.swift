import Foundation

/// Student's t distribution, for intervals and tests on few samples.
public enum StudentT {
    /// Student's t cumulative distribution, through the regularised incomplete beta function.
    public static func cdf(_ t: Double, degreesOfFreedom v: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * incompleteBeta(v / (v + t * t), a: v / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t value below which probability `p` lies, by bisection on the CDF (exact enough for tables).
    public static func quantile(_ p: Double, degreesOfFreedom v: Double) -> Double {
        var lo = -1000.0, hi = 1000.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if cdf(mid, degreesOfFreedom: v) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The regularised incomplete beta function I_x(a, b) (Numerical Recipes' continued fraction).
    static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(x, a: a, b: b) / a }
        return 1 - front * betaFraction(1 - x, a: b, b: a) / b
    }

    static func betaFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-14 { break }
        }
        return h
    }
}
