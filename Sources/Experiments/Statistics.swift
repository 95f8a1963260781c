import Foundation

/// Small-sample statistics for experiment tables: means with t-based confidence intervals, Welch's t-test and
/// least-squares slopes. Seeds per cell are few (often 3), so intervals use Student's t, not the normal.
public enum Statistics {
    /// A mean with the half-width of its 95% confidence interval (NaN when fewer than two finite values).
    public struct Estimate: Sendable, Equatable, Codable {
        public var mean: Double
        public var halfWidth: Double
        public var count: Int

        public var lower: Double { mean - halfWidth }
        public var upper: Double { mean + halfWidth }

        /// `0.123 ± 0.045`, or `0.123` alone when there is no interval.
        public func formatted(_ digits: Int = 3) -> String {
            guard mean.isFinite else { return "n/a" }
            let m = String(format: "%.\(digits)f", mean)
            return halfWidth.isFinite ? "\(m) ± \(String(format: "%.\(digits)f", halfWidth))" : m
        }
    }

    public static func mean(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite)
        return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count)
    }

    /// Sample variance (n − 1 in the denominator) of the finite values.
    public static func variance(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite)
        guard f.count > 1 else { return .nan }
        let m = f.reduce(0, +) / Double(f.count)
        return f.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(f.count - 1)
    }

    /// Mean and 95% t-interval over the finite values.
    public static func estimate(_ xs: [Double]) -> Estimate {
        let f = xs.filter(\.isFinite)
        let m = mean(f)
        guard f.count > 1 else { return Estimate(mean: m, halfWidth: .nan, count: f.count) }
        let se = (variance(f) / Double(f.count)).squareRoot()
        return Estimate(mean: m, halfWidth: tQuantile(0.975, degreesOfFreedom: Double(f.count - 1)) * se, count: f.count)
    }

    /// Welch's two-sample t-test: the difference of means (a − b), t, its degrees of freedom and the two-sided p.
    public struct Welch: Sendable, Equatable {
        public var difference: Double
        public var t: Double
        public var degreesOfFreedom: Double
        public var p: Double
    }

    /// Welch's t-test of a against b; nil when either side has fewer than two values or neither varies.
    public static func welch(_ a: [Double], _ b: [Double]) -> Welch? {
        let a = a.filter(\.isFinite), b = b.filter(\.isFinite)
        guard a.count > 1, b.count > 1 else { return nil }
        let va = variance(a) / Double(a.count), vb = variance(b) / Double(b.count)
        let difference = mean(a) - mean(b)
        guard va + vb > 0 else { return nil }
        let t = difference / (va + vb).squareRoot()
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        return Welch(difference: difference, t: t, degreesOfFreedom: df, p: 2 * (1 - tCDF(abs(t), degreesOfFreedom: df)))
    }

    /// Least-squares slope of y against x (NaN when x does not vary).
    public static func slope(x: [Double], y: [Double]) -> Double {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count > 1 else { return .nan }
        let mx = pairs.map(\.0).reduce(0, +) / Double(pairs.count), my = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard sxx > 0 else { return .nan }
        return pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
    }

    /// Student's t cumulative distribution, through the regularised incomplete beta function.
    public static func tCDF(_ t: Double, degreesOfFreedom v: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 1 : 0 }
        let tail = 0.5 * incompleteBeta(v / (v + t * t), a: v / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t value below which probability `p` lies, by bisection on the CDF (exact enough for tables).
    public static func tQuantile(_ p: Double, degreesOfFreedom v: Double) -> Double {
        var lo = -1000.0, hi = 1000.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if tCDF(mid, degreesOfFreedom: v) < p { lo = mid } else { hi = mid }
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
