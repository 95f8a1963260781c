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
