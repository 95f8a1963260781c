import Foundation
import Statistics
import Testing

@Suite struct StatisticsTests {
    @Test("t quantiles, a 95% interval, Welch's test and a slope match textbook values")
    func textbook() throws {
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 2) - 4.3027) < 1e-3)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 30) - 2.0423) < 1e-3)
        let e = Sample.estimate([1, 2, 3])
        #expect(e.mean == 2 && abs(e.halfWidth - 4.3027 / 3.0.squareRoot()) < 1e-3)
        // By hand: means 2.5 and 5, variances 5/3 and 5/2; se² = 11/12, t = −2.5/√(11/12), Welch–Satterthwaite df ≈ 6.981.
        let w = try #require(Sample.welch([1, 2, 3, 4], [3, 4, 5, 6, 7]))
        #expect(abs(w.t + 2.6112) < 1e-3 && abs(w.degreesOfFreedom - 6.9808) < 1e-3 && w.p > 0.03 && w.p < 0.04)
        // The two-sided p of t = 2.776 with 4 degrees of freedom is 0.05.
        #expect(abs(2 * (1 - StudentT.cdf(2.7764, degreesOfFreedom: 4)) - 0.05) < 1e-4)
        #expect(Sample.slope(x: [0, 1, 2], y: [1, 3, 5]) == 2)
        #expect(Sample.welch([1], [2, 3]) == nil)
    }

    @Test("the paired t-test matches Student's sleep data (R: t.test(extra ~ group, data = sleep, paired = TRUE))")
    func paired() throws {
        // Extra hours of sleep of ten patients under two drugs (Cushny & Peebles, as analysed by Student, 1908).
        let first: [Double] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        let second: [Double] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        let p = try #require(Sample.paired(first, second))
        #expect(abs(p.difference.mean + 1.58) < 1e-12 && p.difference.count == 10 && p.degreesOfFreedom == 9)
        #expect(abs(p.t + 4.0621) < 1e-4 && abs(p.p - 0.002833) < 1e-6)
        #expect(abs(p.difference.lower + 2.4598858) < 1e-6 && abs(p.difference.upper + 0.7001142) < 1e-6)
        // Welch's test on the same numbers ignores the pairing and finds no difference at 5%.
        #expect(try #require(Sample.welch(first, second)).p > 0.05)
        #expect(Sample.paired([1, 2], [1]) == nil && Sample.paired([1, 2, 3], [0, 1, 2]) == nil)
        #expect(Sample.paired([1, .nan, 2, 5], [0, 1, 2, 3])?.difference.count == 3)
    }

    @Test("an empty sample has no mean, interval or standard error, and non-finite values are left out")
    func emptyAndNonFinite() {
        #expect(Sample.mean([]).isNaN)
        #expect(Sample.standardError([4]).isNaN)
        #expect(Sample.estimate([]).count == 0 && Sample.estimate([]).mean.isNaN)
        #expect(Sample.mean([1, .nan, 3, .infinity]) == 2)
        #expect(abs(Sample.standardError([1, 2, 3, 4]) - (5.0 / 3 / 4).squareRoot()) < 1e-12)
    }
}

@Suite struct ResamplingTests {
    @Test("the exact sign-flip test matches Fisher's count on Darwin's Zea mays pairs (1726 of 32768)")
    func darwin() throws {
        // Height differences, crossed minus self-fertilised, in eighths of an inch (Fisher, The Design of Experiments, 1935).
        let differences: [Double] = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48]
        let test = try #require(Sample.permutation(differences, [Double](repeating: 0, count: 15)))
        #expect(test.exact && test.assignments == 32768)
        #expect(test.p == 1726.0 / 32768.0)
        #expect(abs(test.difference - 314.0 / 15.0) < 1e-12)
        // Student's sleep data: 4 of 1024 assignments reach the observed mean difference (counted by hand in Python).
        let first: [Double] = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        let second: [Double] = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        #expect(try #require(Sample.permutation(first, second)).p == 4.0 / 1024.0)
        #expect(Sample.permutation([1], [1, 2]) == nil && Sample.permutation([], []) == nil)
    }

    @Test("the sampled sign-flip test agrees with the exact one and is the same for the same seed")
    func sampled() throws {
        var xs: [Double] = [], ys: [Double] = []
        for i in 0..<24 { xs.append(Double(i % 7) * 0.3 + 0.4); ys.append(Double((i * 5) % 11) * 0.2) }
        let once = try #require(Sample.permutation(xs, ys, resamples: 20_000, seed: 9))
        let again = try #require(Sample.permutation(xs, ys, resamples: 20_000, seed: 9))
        #expect(!once.exact && once == again)
        // The first 20 pairs tested exactly and by sampling give nearly the same p.
        let exact = try #require(Sample.permutation(Array(xs[..<20]), Array(ys[..<20])))
        let sampledP = try #require(Sample.permutation(Array(xs[..<20]) + [1, 1, 1, 1], Array(ys[..<20]) + [1, 1, 1, 1],
                                                        resamples: 40_000, seed: 3)).p
        #expect(abs(exact.p - sampledP) < 0.01)
    }

    @Test("the bootstrap interval of a mean is near the t-interval for a large sample, and seeded")
    func bootstrap() throws {
        let xs = (0..<400).map { Double(($0 * 37) % 101) / 10 }
        let t = Sample.estimate(xs)
        let b = try #require(Sample.bootstrap(xs, seed: 5))
        #expect(b.estimate == t.mean && b.lower < t.mean && t.mean < b.upper)
        #expect(abs((b.upper - b.lower) / (t.upper - t.lower) - 1) < 0.1)
        #expect(b == Sample.bootstrap(xs, seed: 5) && b != Sample.bootstrap(xs, seed: 6))
        let paired = try #require(Sample.pairedBootstrap([3, 4, 5, 6], [1, 2, 3, 4]))
        #expect(paired.lower == 2 && paired.upper == 2)
        #expect(Sample.bootstrap([1]) == nil && Sample.pairedBootstrap([1, 2], [1]) == nil)
    }

    @Test("the bootstrap interval of a ratio of two means: exact for constant samples, around the estimate otherwise, seeded")
    func bootstrapRatio() throws {
        let constant = try #require(Sample.bootstrapRatio([4, 4, 4], [2, 2]))
        #expect(constant.estimate == 2 && constant.lower == 2 && constant.upper == 2)
        let a = (0..<30).map { 2 + Double($0 % 7) / 10 }, b = (0..<20).map { 1 + Double($0 % 5) / 10 }
        let r = try #require(Sample.bootstrapRatio(a, b, seed: 3))
        #expect(abs(r.estimate - Sample.mean(a) / Sample.mean(b)) < 1e-12 && r.lower < r.estimate && r.estimate < r.upper)
        // Near the delta method's interval, ratio × (1 ± 1.96 √(se_a²/ā² + se_b²/b̄²)), for samples this large.
        let relative = (pow(Sample.standardError(a) / Sample.mean(a), 2) + pow(Sample.standardError(b) / Sample.mean(b), 2)).squareRoot()
        #expect(abs((r.upper - r.lower) / (2 * 1.96 * relative * r.estimate) - 1) < 0.15, "\(r)")
        #expect(r == Sample.bootstrapRatio(a, b, seed: 3) && r != Sample.bootstrapRatio(a, b, seed: 4))
        #expect(Sample.bootstrapRatio([1], [1, 2]) == nil && Sample.bootstrapRatio([1, 2], [0, 2]) == nil
                && Sample.bootstrapRatio([1, .nan], [1, 2]) == nil)
    }

    @Test("Holm's adjusted p-values match the step-down by hand, in the order given")
    func holm() {
        // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 → 0.02, 0.03, 0.06, max(0.04, 0.06).
        let adjusted = Sample.holm([0.01, 0.04, 0.03, 0.005, .nan])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (a, e) in zip(adjusted, expected) { #expect(abs(a - e) < 1e-12) }
        #expect(adjusted[4].isNaN)
        #expect(Sample.holm([0.6, 0.7]) == [1, 1])
    }
}

@Suite struct RateRatioTests {
    @Test("a ratio of rates by hand: (Σa/Σb)/(Σc/Σd), its log interval ± t·se of a/ā − b/b̄ − c/c̄ + d/d̄, nil without a positive rate")
    func byHand() throws {
        // Two trials, both 10 steps long in the first and last episode: 1 and 3 plays first, 1 and 1 last, so
        // R = (4/20)/(2/20) = 2; the linear terms are a/2 − 1 − 1 + 1 = −0.5 and 0.5, whose se is 0.5, with t(1) = 12.706.
        let r = try #require(Sample.rateRatio([1, 3], per: [10, 10], over: [1, 1], per: [10, 10]))
        #expect(abs(r.estimate - 2) < 1e-12)
        #expect(abs(log(r.upper / r.estimate) - 12.7062 * 0.5) < 1e-3 && abs(r.lower * r.upper - 4) < 1e-9)
        // Every trial alike: no spread, the interval shrinks to the estimate; longer last episodes lower the ratio.
        let same = try #require(Sample.rateRatio([2, 2, 2], per: [10, 10, 10], over: [1, 1, 1], per: [20, 20, 20]))
        #expect(abs(same.estimate - 4) < 1e-12 && abs(same.lower - 4) < 1e-12 && abs(same.upper - 4) < 1e-12)
        #expect(Sample.rateRatio([1, 2], per: [10, 10], over: [0, 0], per: [10, 10]) == nil)
        #expect(Sample.rateRatio([0, 0], per: [10, 10], over: [1, 1], per: [10, 10]) == nil)
        #expect(Sample.rateRatio([1], per: [10], over: [1], per: [10]) == nil)
        #expect(Sample.rateRatio([1, 2], per: [10], over: [1, 1], per: [10, 10]) == nil)
    }
}
