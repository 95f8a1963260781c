import Randomness

/// Tests and intervals that assume no distribution: the paired sign-flip permutation test, the percentile
/// bootstrap, and Holm's correction for several tests at once. With 10 seeds an arm, a t-interval leans on
/// normality the data cannot show; these lean only on the pairing (or on the sample standing for its population).
/// Every random draw is seeded, so a report is reproducible to the digit.
extension Sample {
    /// A two-sided p-value with how it was found.
    public struct Permutation: Sendable, Equatable, Codable {
        /// The mean of the differences a − b.
        public var difference: Double
        public var p: Double
        /// Sign assignments counted: all 2ⁿ when exact, else the random draws.
        public var assignments: Int
        public var exact: Bool
    }

    /// Pairs up to this many are tested exactly (2²⁰ sign assignments); more are sampled.
    public static let exactPermutationLimit = 20

    /// The paired permutation (sign-flip) test of a against b: under "no difference" each pair's difference is as
    /// likely to have either sign, so p is the share of the 2ⁿ sign assignments whose mean difference is at least as
    /// far from 0 as the observed one (Fisher 1935). Exact up to `exactPermutationLimit` pairs, else `resamples`
    /// random assignments from `seed` (the observed one counted once, so p is never 0). Pairs with a non-finite side
    /// are left out; nil when the sides differ in length or no pair remains.
    public static func permutation(_ a: [Double], _ b: [Double], resamples: Int = 100_000, seed: UInt64 = 1) -> Permutation? {
        guard a.count == b.count else { return nil }
        let differences = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }.map { abs($0.0 - $0.1) }
        let n = differences.count
        guard n > 0 else { return nil }
        let observed = zip(a, b).filter { $0.0.isFinite && $0.1.isFinite }.reduce(0) { $0 + ($1.0 - $1.1) }
        // Sums compared with a tolerance, so a tie computed in another order still counts as a tie.
        let threshold = abs(observed) - 1e-9 * max(1, differences.reduce(0, +))
        func reaches(_ signs: (Int) -> Bool) -> Bool {
            var sum = 0.0
            for i in 0..<n { sum += signs(i) ? differences[i] : -differences[i] }
            return abs(sum) >= threshold
        }
        if n <= exactPermutationLimit {
            let total = 1 << n
            var extreme = 0
            for mask in 0..<total where reaches({ mask & (1 << $0) != 0 }) { extreme += 1 }
            return Permutation(difference: observed / Double(n), p: Double(extreme) / Double(total), assignments: total, exact: true)
        }
        var generator = SplitMix64(seed: seed)
        var extreme = 1
        for _ in 0..<resamples {
            var bits = generator.next(), used = 0
            let hit = reaches { _ in
                if used == 64 { bits = generator.next(); used = 0 }
                defer { bits >>= 1; used += 1 }
                return bits & 1 == 1
            }
            if hit { extreme += 1 }
        }
        return Permutation(difference: observed / Double(n), p: Double(extreme) / Double(resamples + 1),
                           assignments: resamples, exact: false)
    }

    /// An interval that need not be symmetric about its estimate.
    public struct Interval: Sendable, Hashable, Codable {
        public var estimate: Double
        public var lower: Double
        public var upper: Double
    }

    /// The percentile bootstrap interval of the mean of the finite values: `resamples` samples drawn with
    /// replacement from `seed`, the interval between the (1 − level)/2 and (1 + level)/2 quantiles of their means.
    /// Nil when fewer than two finite values.
    public static func bootstrap(_ xs: [Double], level: Double = 0.95, resamples: Int = 10_000, seed: UInt64 = 1) -> Interval? {
        let f = xs.filter(\.isFinite)
        guard f.count > 1, resamples > 1 else { return nil }
        return percentileInterval(estimate: mean(f), level: level, resamples: resamples, seed: seed) { resampledMean(f, &$0) }
    }

    /// The percentile bootstrap interval of mean(a) / mean(b) for two independent samples (each resampled on its
    /// own, from one seeded generator): e.g. how many times the steps one method needs another needs, over runs of
    /// each. Nil when either has fewer than two values, or a value is not finite and positive.
    public static func bootstrapRatio(_ a: [Double], _ b: [Double], level: Double = 0.95, resamples: Int = 10_000,
                                      seed: UInt64 = 1) -> Interval? {
        guard a.count > 1, b.count > 1, resamples > 1, (a + b).allSatisfy({ $0.isFinite && $0 > 0 }) else { return nil }
        return percentileInterval(estimate: mean(a) / mean(b), level: level, resamples: resamples, seed: seed) {
            resampledMean(a, &$0) / resampledMean(b, &$0)
        }
    }

    /// The interval between the (1 − level)/2 and (1 + level)/2 quantiles of `resamples` values of `statistic`, each
    /// computed on draws from one generator seeded with `seed`, around `estimate`.
    static func percentileInterval(estimate: Double, level: Double, resamples: Int, seed: UInt64,
                                   _ statistic: (inout SplitMix64) -> Double) -> Interval {
        var generator = SplitMix64(seed: seed)
        var values = (0..<resamples).map { _ in statistic(&generator) }
        values.sort()
        return Interval(estimate: estimate, lower: quantile(values, (1 - level) / 2), upper: quantile(values, (1 + level) / 2))
    }

    /// The mean of `xs.count` values drawn from `xs` with replacement.
    static func resampledMean(_ xs: [Double], _ generator: inout SplitMix64) -> Double {
        var sum = 0.0
        for _ in 0..<xs.count { sum += xs[generator.below(xs.count)] }
        return sum / Double(xs.count)
    }

    /// The q-quantile of sorted values, interpolated linearly between neighbours.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        let weight = position - Double(below)
        return sorted[below] * (1 - weight) + sorted[above] * weight
    }

    /// The paired bootstrap: the interval of the mean difference a − b, pairs resampled whole.
    public static func pairedBootstrap(_ a: [Double], _ b: [Double], level: Double = 0.95, resamples: Int = 10_000,
                                       seed: UInt64 = 1) -> Interval? {
        guard a.count == b.count else { return nil }
        return bootstrap(zip(a, b).map { $0.0 - $0.1 }, level: level, resamples: resamples, seed: seed)
    }

    /// Holm's step-down correction (1979): p-values adjusted so that rejecting those ≤ α keeps the chance of any
    /// false rejection among the family ≤ α. Returned in the order given; NaN stays NaN and is not counted.
    public static func holm(_ pValues: [Double]) -> [Double] {
        let order = pValues.indices.filter { pValues[$0].isFinite }.sorted { pValues[$0] < pValues[$1] }
        var adjusted = pValues
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(order.count - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
