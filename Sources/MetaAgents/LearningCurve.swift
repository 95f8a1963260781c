import Foundation
import Plots
import Records
import Statistics

/// A training run's learning curve: a row per update, kept in memory and (when it has a file) appended to a CSV
/// as it comes, so a killed run keeps what it learned; drawn as an SVG, or binned for experiment tables.
public struct LearningCurve {
    public struct Row: Sendable {
        public var steps: Double
        public var episodes: Double
        public var task: Double
        public var fun: Double
        public var play: Double
        /// Task return per episode family by family (empty when the run trains on one family).
        public var taskByFamily: [Double] = []
    }

    public private(set) var rows: [Row] = []
    let file: CSVAppender?
    /// A goal-conditioned run's coverage measurements, and the CSV they are appended to (`NAME.coverage.csv`:
    /// env_steps, coverage, goid_goals, goals — which names the curriculum, so runs can be plotted together — and
    /// goid_trial_share, the share of the trials since the measurement before whose goal was of intermediate
    /// difficulty, empty at the first).
    public private(set) var coverage: [(steps: Double, coverage: Double)] = []
    let coverageFile: CSVAppender?
    /// Whether the coverage CSV has the goid_trial_share column: not one begun before it existed and continued now.
    let coverageHasShare: Bool
    let goals: String
    /// The families trained on, when more than one: the CSV then ends with a `task_return:NAME` column each, and
    /// the plot draws each family's task return, because a mean over a mix hides a family learned while another
    /// is not (it also weighs a family by how many episodes end in it, so short successful ones count most).
    public let families: [String]

    public static let coverageHeader = ["env_steps", "coverage", "goid_goals", "goals", "goid_trial_share"]
    /// The columns every coverage file begins with, those written before goid_trial_share too.
    public static let coverageHeaderFirst = Array(coverageHeader.prefix(4))

    /// What a learning curve's CSV and a coverage CSV begin with: `--force` replaces a file at their paths only if
    /// it is one of them (or empty), never another file a slip in `--out` put there.
    public static let signature = Array((header.prefix(2).joined(separator: ",") + ",").utf8)
    public static let coverageSignature = Array((coverageHeader.prefix(2).joined(separator: ",") + ",").utf8)

    /// The columns after play_ratio tell how the optimisation went (entropy: of the policy, per step; grad_norm before
    /// and after clipping; the value and policy losses; update_norm: how far the parameters moved), so a collapse
    /// can be read off the curve of the run that had it.
    static let header = ["update", "env_steps", "episodes", "task_return", "fun_return", "trial_return", "play_ratio",
                         "steps_per_second", "entropy", "grad_norm", "grad_norm_clipped", "value_loss", "policy_loss",
                         "update_norm", "advantage_std"]

    /// A curve kept in memory only.
    public init() { (file, coverageFile, coverageHasShare, goals, families) = (nil, nil, false, "", []) }

    static func familyColumn(_ name: String) -> String { "task_return:" + name }

    /// A curve appended to the CSV at `path`, begun afresh, or for a run resumed at `resumedAt` environment steps
    /// keeping (and reloading) the rows up to there. A goal-conditioned run (`goals`: its curriculum) also appends its
    /// coverage to `coveragePath`. With several `families`, rows end with each family's task return — unless a CSV
    /// continued was begun without those columns.
    public init(path: String, resumedAt: Int?, families: [String] = [], coveragePath: String? = nil, goals: String = "") throws(FileError) {
        let continuing = resumedAt != nil
        let existing = try resumedAt.flatMap { steps throws(FileError) in try Self.rows(of: path, header: Self.header, stepsColumn: 1, through: steps) }
        let existingCoverage = try resumedAt.flatMap { steps throws(FileError) in
            try coveragePath.flatMap { p throws(FileError) in try Self.rows(of: p, header: Self.coverageHeaderFirst, stepsColumn: 0, through: steps) }
        }
        let columns = families.count > 1 ? families.map(Self.familyColumn) : []
        let header = Self.header + columns
        // A file continued keeps the columns it began with; an empty one is begun afresh, with all of them.
        let keepsColumns = existing.map { $0.isEmpty || $0.hasPrefix(CSV.row(header)) } ?? true
        self.families = keepsColumns && !columns.isEmpty ? families : []
        file = try CSVAppender(path: path, header: keepsColumns ? header : Self.header, continuing: continuing)
        coverageHasShare = existingCoverage.map { $0.isEmpty || $0.hasPrefix(CSV.row(Self.coverageHeader)) } ?? true
        let coverageHeader = coverageHasShare ? Self.coverageHeader : Self.coverageHeaderFirst
        coverageFile = try coveragePath.map { p throws(FileError) in try CSVAppender(path: p, header: coverageHeader, continuing: continuing) }
        self.goals = goals
        if let text = existingCoverage {
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
                if f.count >= 2 { coverage.append((f[0], f[1])) }
            }
        }
        if let existing {
            let familyStart = Self.header.count
            for line in existing.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0) ?? .nan }
                if f.count >= 7 {
                    let byFamily = f.count >= familyStart + self.families.count ? Array(f[familyStart..<(familyStart + self.families.count)]) : []
                    rows.append(Row(steps: f[1], episodes: f[2], task: f[3], fun: f[4], play: f[6], taskByFamily: byFamily))
                }
            }
        }
    }

    /// The text of the CSV at `path` (nil if there is none) cut back to the header and the complete rows whose
    /// `stepsColumn` is at most `steps`; the file is rewritten, atomically, when that drops anything. A run killed after
    /// its last checkpoint appended rows for updates the checkpoint does not hold, which the resumed run trains again:
    /// kept, they would be in the curve twice.
    /// A resumed run appends to what is there, so a file whose first line does not begin with `header` (another file
    /// moved into its place, or damaged) is refused, before anything in it is cut: it was continued as if it were a curve.
    static func rows(of path: String, header: [String], stepsColumn: Int, through steps: Int) throws(FileError) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        if !text.isEmpty && !text.hasPrefix(header.joined(separator: ",")) {
            throw FileError(path: path, "is not this run's \(header == Self.header ? "learning curve" : "coverage file") (its first line should begin \(header.prefix(3).joined(separator: ",")),…); move it away to resume, and a new one is begun")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeLast()  // what follows the last newline: empty, or a row cut short
        let kept = lines.prefix(1) + lines.dropFirst().filter { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return fields.count <= stepsColumn || (Double(fields[stepsColumn]).map { $0 <= Double(steps) } ?? true)
        }
        let keptText = kept.map { $0 + "\n" }.joined()
        if keptText != text { try AtomicFile.write(text: keptText, to: path) }
        return keptText
    }

    public mutating func append(_ update: GridTraining.Update) throws(FileError) {
        let m = update.metrics
        if let file {
            func number(_ x: Double) -> String { CSV.number(x, significantDigits: 5) }
            try file.append([String(m.update), String(m.environmentSteps), String(m.episodes), number(m.meanTaskReturn),
                             number(m.meanFunReturn), number(m.meanTrialReturn), number(update.playRatio),
                             number(m.stepsPerSecond), number(Double(m.loss.entropy)), number(m.gradientNorm),
                             number(m.clippedGradientNorm), number(m.loss.value), number(m.loss.policy), number(m.updateNorm),
                             number(m.advantageStd)] + (families.isEmpty ? [] : m.taskReturnByFamily.map(number)))
        }
        rows.append(Row(steps: Double(m.environmentSteps), episodes: Double(m.episodes), task: m.meanTaskReturn,
                        fun: m.meanFunReturn, play: update.playRatio, taskByFamily: families.isEmpty ? [] : m.taskReturnByFamily))
        if let c = update.coverage {
            try appendCoverage(steps: m.environmentSteps, coverage: c, intermediate: update.intermediateGoals ?? 0,
                               trialsOnIntermediate: update.trialsOnIntermediate)
        }
    }

    /// Records a coverage measurement (also the one before training starts, which no trial precedes).
    public mutating func appendCoverage(steps: Int, coverage value: Double, intermediate: Int, trialsOnIntermediate: Double?) throws(FileError) {
        let share = trialsOnIntermediate.map { CSV.number($0, significantDigits: 5) } ?? ""
        try coverageFile?.append([String(steps), CSV.number(value, significantDigits: 5), String(intermediate), goals]
                                 + (coverageHasShare ? [share] : []))
        coverage.append((Double(steps), value))
    }

    /// Task return, fun return and play ratio against environment steps, smoothed over a trailing window of
    /// 1% of the run and drawn at most ~500 points a line (a long run logs ~10k updates; more points would only
    /// make the file larger, not the curve finer).
    public func svg(title: String) -> String {
        let window = max(1, rows.count / 100)
        let every = max(1, rows.count / 500)
        let shown = rows.indices.filter { $0 % every == 0 || $0 == rows.count - 1 }
        func series(_ name: String, _ value: (Row) -> Double) -> LinePlot.Series {
            LinePlot.Series(name: name, points: shown.map { i in
                (x: rows[i].steps, y: Sample.mean(rows[max(0, i - window)...i].map(value).filter(\.isFinite)))
            })
        }
        let covered = coverage.isEmpty ? [] : [LinePlot.Series(name: "goal coverage", points: coverage.map { (x: $0.steps, y: $0.coverage) })]
        let byFamily = families.indices.map { f in
            series("task return: \(families[f])") { $0.taskByFamily.count > f ? $0.taskByFamily[f] : .nan }
        }
        return LinePlot(title: title, xLabel: "environment steps", yLabel: "per episode",
                        series: [series("task return", \.task), series("fun return", \.fun), series("play ratio", \.play)] + byFamily + covered).svg
    }

    /// Each family's task return per episode over the last twentieth of the updates, as one line for the end of a
    /// run ("bridge-builder 0.82 · buried-key 0.00"); nil for a run on one family.
    public func familySummary() -> String? {
        guard !families.isEmpty, !rows.isEmpty else { return nil }
        let recent = rows.suffix(max(1, rows.count / 20))
        return families.indices.map { f in
            let values = recent.compactMap { $0.taskByFamily.count > f && $0.taskByFamily[f].isFinite ? $0.taskByFamily[f] : nil }
            return families[f] + " " + (values.isEmpty ? "-" : String(format: "%.3f", Sample.mean(values)))
        }.joined(separator: " · ")
    }

    /// Mean task return per episode, and play ratio, in `count` equal slices of a run of `steps` steps.
    public func binned(_ count: Int, over steps: Int) -> (task: [Double], play: [Double]) {
        var task = [Double](repeating: 0, count: count), episodes = task, play = task, updates = task
        for row in rows {
            let bin = min(count - 1, max(0, Int(row.steps) - 1) * count / max(1, steps))
            if row.task.isFinite && row.episodes > 0 {
                task[bin] += row.task * row.episodes
                episodes[bin] += row.episodes
            }
            if row.play.isFinite {
                play[bin] += row.play
                updates[bin] += 1
            }
        }
        return (zip(task, episodes).map { $1 > 0 ? $0 / $1 : .nan }, zip(play, updates).map { $1 > 0 ? $0 / $1 : .nan })
    }
}
