import Foundation

extension Sample {
    /// The ratio of two rates measured on the same units, (Σ a / Σ b) / (Σ c / Σ d) — e.g. the play ratio of trials'
    /// first episodes over that of their last, with a play steps and b steps of the first episode of each trial, c and
    /// d of the last — with its 95% interval. The interval is the delta method's on the log scale (log R is linear in
    /// the four means to first order, so its variance is that of the per-unit sum a/ā − b/b̄ − c/c̄ + d/d̄ over n), with
    /// Student's t, then taken back through exp, so it is not symmetric about R and never crosses 0. Units are pairs
    /// of rows at one index: a trial's first and last episodes stay together. Nil when the ratio is not a positive
    /// number (no a, or no c: a rate that is 0 on either side) or there are fewer than two units.
    public static func rateRatio(_ a: [Double], per b: [Double], over c: [Double], per d: [Double]) -> Sample.Interval? {
        let n = a.count
        guard n > 1, b.count == n, c.count == n, d.count == n else { return nil }
        let mean = [a, b, c, d].map { $0.reduce(0, +) / Double(n) }
        guard mean.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        let ratio = (mean[0] / mean[1]) / (mean[2] / mean[3])
        let linear = (0..<n).map { i in a[i] / mean[0] - b[i] / mean[1] - c[i] / mean[2] + d[i] / mean[3] }
        let halfWidth = StudentT.quantile(0.975, degreesOfFreedom: Double(n - 1)) * standardError(linear)
        guard halfWidth.isFinite else { return nil }
        return Sample.Interval(estimate: ratio, lower: ratio * exp(-halfWidth), upper: ratio * exp(halfWidth))
    }
}
