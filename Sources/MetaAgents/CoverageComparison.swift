import Foundation
import Plots
import Statistics

/// Goal coverage against environment steps for several runs of several curricula (`NAME.coverage.csv` files that
/// goal-conditioned training writes): each curriculum's mean over its runs with a band of ± one standard error, the
/// steps each mean curve first reaches a coverage, and for two curricula how many times the steps one needs the other
/// needs.
public struct CoverageComparison: Sendable {
    /// One run's measurements.
    public struct Run: Sendable {
        public var goals: String
        public var steps: [Double]
        public var coverage: [Double]
        /// At each measurement, the share of the trials since the one before that went to goals of intermediate
        /// difficulty (nil at the first, and in files written before it was recorded).
        public var trialsOnIntermediate: [Double?]

        public init(goals: String, steps: [Double], coverage: [Double], trialsOnIntermediate: [Double?]? = nil) {
            self.goals = goals
            self.steps = steps
            self.coverage = coverage
            self.trialsOnIntermediate = trialsOnIntermediate ?? steps.map { _ in nil }
        }

        /// The steps at which this run first reached `level` (nil: never): unlike the mean curve, not pulled down
        /// by a run that later collapses.
        public func stepsToReach(_ level: Double) -> Double? {
            coverage.indices.first { coverage[$0] >= level }.map { steps[$0] }
        }
    }

    /// One curriculum's runs averaged: at the k-th measurement of every run, the mean steps, the mean coverage and
    /// its standard error.
    public struct Curve: Sendable {
        public var goals: String
        public var runs: Int
        public var steps: [Double]
        public var mean: [Double]
        public var standardError: [Double]
        /// The mean over the runs that recorded it of the share of trials on goals of intermediate difficulty.
        public var meanTrialsOnIntermediate: [Double?]

        /// The steps at which the mean first reaches `level` (nil: never).
        public func stepsToReach(_ level: Double) -> Double? {
            mean.indices.first { mean[$0] >= level }.map { steps[$0] }
        }
    }

    public let curves: [Curve]
    public let runs: [Run]

    /// Reads a coverage CSV; `name` (its path) names it in errors, with the line and column of a bad value. Steps are
    /// finite and not negative, coverage a share from 0 to 1 and the curriculum named: a NaN or infinite coverage
    /// made the table of levels reached count forever, and a NaN step drew nothing where a line belonged.
    public static func run(csv text: String, name: String) throws(CoverageFileError) -> Run {
        // Blank lines are kept so that errors give the line as an editor numbers it.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let columns = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let columns, columns == LearningCurve.coverageHeader || columns == LearningCurve.coverageHeaderFirst else {
            throw CoverageFileError("\(name): is not a coverage file (its first line should be \(LearningCurve.coverageHeader.joined(separator: ",")))")
        }
        var run = Run(goals: "", steps: [], coverage: [])
        for (n, line) in lines.enumerated().dropFirst() where !line.allSatisfy(\.isWhitespace) {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == columns.count else {
                throw CoverageFileError("\(name):\(n + 1): expected \(columns.joined(separator: ","))")
            }
            func refuse(_ field: Int, _ what: String) -> CoverageFileError {
                let column = 1 + f[..<field].reduce(0) { $0 + $1.count + 1 }
                return CoverageFileError("\(name):\(n + 1):\(column): expected \(what), found \(f[field].isEmpty ? "nothing" : "'\(f[field])'")")
            }
            guard let steps = Double(f[0]), steps.isFinite, steps >= 0 else { throw refuse(0, "env_steps (a number of steps, 0 or more)") }
            guard let coverage = Double(f[1]), (0...1).contains(coverage) else { throw refuse(1, "coverage (a share from 0 to 1)") }
            guard !f[3].isEmpty else { throw refuse(3, "goals (the curriculum, e.g. goid or uniform)") }
            if !run.goals.isEmpty && run.goals != f[3] { throw CoverageFileError("\(name):\(n + 1): mixes curricula \(run.goals) and \(f[3])") }
            run.goals = f[3]
            var share: Double?
            if f.count > 4 && !f[4].isEmpty {
                guard let value = Double(f[4]), (0...1).contains(value) else { throw refuse(4, "goid_trial_share (a share from 0 to 1, or nothing)") }
                share = value
            }
            run.steps.append(steps)
            run.coverage.append(coverage)
            run.trialsOnIntermediate.append(share)
        }
        guard !run.steps.isEmpty else { throw CoverageFileError("\(name): holds no measurements") }
        return run
    }

    /// The runs grouped by curriculum (in the order each first appears), each cut to its group's shortest run.
    public init(runs: [Run]) {
        self.runs = runs
        var order: [String] = []
        for r in runs where !order.contains(r.goals) { order.append(r.goals) }
        curves = order.map { goals in
            let group = runs.filter { $0.goals == goals }
            let length = group.map(\.steps.count).min() ?? 0
            let at = (0..<length).map { k in group.map { $0.coverage[k] } }
            let shares = (0..<length).map { k in group.compactMap { $0.trialsOnIntermediate[k] } }
            return Curve(goals: goals, runs: group.count, steps: (0..<length).map { k in Sample.mean(group.map { $0.steps[k] }) },
                         mean: at.map(Sample.mean), standardError: at.map { group.count > 1 ? Sample.standardError($0) : 0 },
                         meanTrialsOnIntermediate: shares.map { $0.isEmpty ? nil : Sample.mean($0) })
        }
    }

    /// Per curriculum, the steps each of its runs first reached `level` (nil for a run that never did).
    public func firstSteps(_ level: Double) -> [(goals: String, steps: [Double?])] {
        curves.map { c in (c.goals, runs.filter { $0.goals == c.goals }.map { $0.stepsToReach(level) }) }
    }

    /// With two curricula: how many times the steps the first one's runs took to first reach `level` the second
    /// one's took — the ratio of their means, with its 95% percentile-bootstrap interval over runs (each curriculum's
    /// runs resampled on their own, seed 1). Nil unless every run of both reached it, after its first measurement.
    public func stepsRatio(_ level: Double) -> Sample.Interval? {
        let first = firstSteps(level)
        guard first.count == 2 else { return nil }
        let a = first[1].steps.compactMap { $0 }, b = first[0].steps.compactMap { $0 }
        guard a.count == first[1].steps.count, b.count == first[0].steps.count else { return nil }
        return Sample.bootstrapRatio(a, b)
    }

    /// Coverage against steps, one line per curriculum with its ± one standard error band.
    public func svg(title: String) -> String {
        LinePlot(title: title, xLabel: "environment steps", yLabel: "goal coverage (success ≥ 0.5, held-out layouts)",
                 series: curves.map { c in
                     LinePlot.Series(name: "\(c.goals) (\(c.runs) runs)", points: zip(c.steps, c.mean).map { (x: $0, y: $1) },
                                     band: c.standardError)
                 }).svg
    }
}

/// Why coverage files could not be read.
public struct CoverageFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
