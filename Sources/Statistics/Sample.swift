import Foundation

/// Statistics of a sample, the one home for every mean, interval and test PlayGrid reports: means with t-based
/// confidence intervals, Welch's and the paired t-test, least-squares slopes. Non-finite values are left out, and an empty
/// sample has a NaN mean (which JSON records write as null, and tables as "n/a"), never a made-up 0.
/// Seeds per cell are few (often 3), so intervals use Student's t, not the normal.
public enum Sample {
    /// A mean with the half-width of its 95% confidence interval (NaN when fewer than two finite values).
    public struct Estimate: Sendable, Hashable, Codable {
        public var mean: Double
        public var halfWidth: Double
        public var count: Int

        enum CodingKeys: String, CodingKey {
            case mean, count
            case halfWidth = "half_width"
        }

        public var lower: Double { mean - halfWidth }
        public var upper: Double { mean + halfWidth }

        /// `0.123 ± 0.045`, or `0.123` alone when there is no interval.
        public func formatted(_ digits: Int = 3) -> String {
            guard mean.isFinite else { return "n/a" }
            let m = String(format: "%.\(digits)f", mean)
            return halfWidth.isFinite ? "\(m) ± \(String(format: "%.\(digits)f", halfWidth))" : m
        }
    }

    /// The mean of the finite values (NaN when there are none).
    public static func mean(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite)
        return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count)
    }

    /// The median of the finite values (the mean of the middle two for an even count; NaN when there are none).
    public static func median(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite).sorted()
        guard !f.isEmpty else { return .nan }
        return f.count % 2 == 1 ? f[f.count / 2] : (f[f.count / 2 - 1] + f[f.count / 2]) / 2
    }

    /// Sample variance (n − 1 in the denominator) of the finite values.
    public static func variance(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite)
        guard f.count > 1 else { return .nan }
        let m = mean(f)
        return f.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(f.count - 1)
    }

    /// The standard error of the mean of the finite values, s/√n (NaN when fewer than two).
    public static func standardError(_ xs: [Double]) -> Double {
        let f = xs.filter(\.isFinite)
        return f.count > 1 ? (variance(f) / Double(f.count)).squareRoot() : .nan
    }

    /// Mean and 95% t-interval over the finite values.
    public static func estimate(_ xs: [Double]) -> Estimate {
        let f = xs.filter(\.isFinite)
        let m = mean(f)
        guard f.count > 1 else { return Estimate(mean: m, halfWidth: .nan, count: f.count) }
        return Estimate(mean: m, halfWidth: StudentT.quantile(0.975, degreesOfFreedom: Double(f.count - 1)) * standardError(f),
                        count: f.count)
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
        return Welch(difference: difference, t: t, degreesOfFreedom: df, p: 2 * (1 - StudentT.cdf(abs(t), degreesOfFreedom: df)))
    }

    /// A paired comparison: the mean of the differences a − b with its 95% t-interval, t, its degrees of freedom
    /// and the two-sided p.
    public struct Paired: Sendable, Equatable, Codable {
        public var difference: Estimate
        public var t: Double
        public var degreesOfFreedom: Double
        public var p: Double

        enum CodingKeys: String, CodingKey {
            case difference, t, p
            case degreesOfFreedom = "degrees_of_freedom"
        }
    }

    /// The paired t-test of a against b, pair i being (a[i], b[i]) (e.g. two agents on the same i-th trial): a
    /// one-sample t on the differences, so what the pairs share (the trial's luck) cancels. Pairs with a non-finite
    /// side are left out; nil when the sides differ in length, fewer than two pairs remain, or the differences
    /// do not vary.
    public static func paired(_ a: [Double], _ b: [Double]) -> Paired? {
        guard a.count == b.count else { return nil }
        let differences = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }.map { $0.0 - $0.1 }
        let e = estimate(differences)
        let se = standardError(differences)
        guard e.count > 1, se > 0 else { return nil }
        let t = e.mean / se, df = Double(e.count - 1)
        return Paired(difference: e, t: t, degreesOfFreedom: df, p: 2 * (1 - StudentT.cdf(abs(t), degreesOfFreedom: df)))
    }

    /// Least-squares slope of y against x (NaN when x does not vary).
    public static func slope(x: [Double], y: [Double]) -> Double {
        let pairs = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard pairs.count > 1 else { return .nan }
        let mx = mean(pairs.map(\.0)), my = mean(pairs.map(\.1))
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }
        guard sxx > 0 else { return .nan }
        return pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
    }
}
