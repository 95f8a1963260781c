import Foundation
import Plots
import Records
import Statistics

/// Turns an experiment's results into `results.md`, `results.csv` and the SVG plots, with a verdict per hypothesis.
struct ExperimentReport {
    let results: ExperimentResults
    let command: String
    var c: ExperimentConfiguration { results.configuration }

    /// A per-seed figure of an agent under one dynamics setting.
    typealias Metric = @Sendable (DynamicsResult) -> Double

    static let metrics: [(name: String, title: String, value: Metric)] = [
        ("task_return", "task return", \.taskReturn),
        ("success", "success", \.success),
        ("play_ratio", "play ratio", \.playRatio),
        ("fun_per_step", "fun / step", \.funPerStep),
        ("improvement", "ep2 − ep1", \.improvement),
    ]

    func values(_ group: AgentGroup, dynamics d: Int, _ metric: Metric) -> [Double] {
        group.evaluations.map { metric($0.results[d]) }
    }

    /// Per-seed figure averaged over every dynamics setting.
    func overall(_ group: AgentGroup, _ metric: Metric) -> [Double] {
        group.evaluations.map { e in Sample.mean(e.results.map(metric)) }
    }

    var trained: [AgentGroup] { results.groups.filter { !$0.isBaseline } }
    func group(_ name: String) -> AgentGroup? { results.groups.first { $0.name == name } }
    var noneGroup: AgentGroup? { trained.first { $0.fun == "none" } }

    func write(to folder: ResultsFolder) throws(ExperimentError) {
        try folder.write(text: markdown(), to: folder.path + "/results.md")
        try folder.write(text: csv(), to: folder.path + "/results.csv")
        try folder.write(text: learningCurves(), to: folder.path + "/learning-curves.svg")
        try folder.write(text: returnAgainstChange(), to: folder.path + "/return-vs-change.svg")
        try folder.write(text: adaptation(), to: folder.path + "/adaptation.svg")
    }

    // MARK: Tables

    var longestTrial: Int {
        results.groups.flatMap { $0.evaluations.flatMap { $0.results.map(\.returnByEpisode.count) } }.max() ?? 0
    }

    func csv() -> String {
        var header = ["group", "fun", "baseline", "dynamics", "rate", "seeds"]
        for m in Self.metrics { header += ["\(m.name)_mean", "\(m.name)_ci95"] }
        header += (1...max(1, longestTrial)).map { "return_ep\($0)" }
        var text = CSV.row(header)
        for g in results.groups {
            for (d, setting) in c.dynamics.enumerated() {
                var row = [g.name, g.fun, g.isBaseline ? "yes" : "no", setting.name, number(setting.rate), String(g.evaluations.count)]
                for m in Self.metrics {
                    let e = Sample.estimate(values(g, dynamics: d, m.value))
                    row += [number(e.mean), number(e.halfWidth)]
                }
                for i in 0..<max(1, longestTrial) {
                    row.append(number(Sample.mean(g.evaluations.compactMap { $0.results[d].returnByEpisode.count > i ? $0.results[d].returnByEpisode[i] : nil })))
                }
                text += CSV.row(row)
            }
        }
        return text
    }

    func number(_ x: Double) -> String { CSV.number(x, significantDigits: 5) }

    func markdown() -> String {
        var md = "# Experiment `\(c.name)`: play, fun and a changing world\n\n"
        md += "Reproduce with:\n\n```\n\(command)\n```\n\n"
        md += "Training distribution: \(c.scenarios.map(\.name).joined(separator: ", ")). "
        md += "\(c.seeds) seeds per cell, \(c.training.steps) environment steps per agent (\(c.training.envs) environments, GRU \(c.training.hidden)). "
        md += "Evaluation: \(c.evaluation.trials) trials per scenario on held-out MDPs (seed base \(c.evaluation.seed); training draws its MDPs from its own seed streams), "
        md += "the task reward only is scored; agents see their own fun as in training. "
        md += "Intervals are 95% t-intervals over seeds (\(c.seeds) seeds: t with \(max(1, c.seeds - 1)) degrees of freedom, so they are wide). "
        md += "Ran in \(String(format: "%.0f", results.seconds)) s (\(results.trainedNow) pieces trained now, \(results.reused) reused from the results folder).\n\n"
        md += "## Verdicts\n\n"
        md += "- **H1 — emergence.** " + h1() + "\n"
        md += "- **Proximate cause.** " + proximate() + "\n"
        md += "- **Ultimate cause.** " + ultimate() + "\n\n"
        md += "## Fun settings\n\n| setting | fun spec trained with |\n|---|---|\n"
        for g in results.groups { md += "| \(g.name) | \(g.isBaseline ? "(scripted baseline, not trained)" : "`\(g.fun)`") |\n" }
        md += "\n"
        for (d, setting) in c.dynamics.enumerated() {
            md += "## Dynamics `\(setting.name)` (goal moves every \(setting.goalMovesEvery == 0 ? "—" : String(setting.goalMovesEvery)) steps"
            md += setting.betweenEpisodes ? ", and between episodes" : ""
            md += "; rate \(number(setting.rate)))\n\n"
            md += "| agent | " + Self.metrics.map(\.title).joined(separator: " | ") + " | return by episode |\n"
            md += "|---|" + String(repeating: "---|", count: Self.metrics.count + 1) + "\n"
            for g in results.groups {
                let cells = Self.metrics.map { Sample.estimate(values(g, dynamics: d, $0.value)).formatted() }
                let byEpisode = (0..<longestTrial).map { i in
                    format(Sample.mean(g.evaluations.compactMap { $0.results[d].returnByEpisode.count > i ? $0.results[d].returnByEpisode[i] : nil }))
                }.joined(separator: " / ")
                md += "| \(g.name) | " + cells.joined(separator: " | ") + " | \(byEpisode) |\n"
            }
            md += "\n"
        }
        md += "## Play-event mix (events per 1000 steps, all dynamics)\n\n"
        let kinds = Array(Set(results.groups.flatMap { $0.evaluations.flatMap { $0.results.flatMap(\.playEvents.keys) } })).sorted()
        if kinds.isEmpty {
            md += "No play events happened.\n\n"
        } else {
            md += "| agent | " + kinds.joined(separator: " | ") + " |\n|---|" + String(repeating: "---|", count: kinds.count) + "\n"
            for g in results.groups {
                md += "| \(g.name) | " + kinds.map { kind in
                    Sample.estimate(g.evaluations.map { e in
                        let steps = e.results.map(\.steps).reduce(0, +)
                        return 1000 * Double(e.results.map { $0.playEvents[kind] ?? 0 }.reduce(0, +)) / Double(max(1, steps))
                    }).formatted(1)
                }.joined(separator: " | ") + " |\n"
            }
            md += "\n"
        }
        if let learned = results.learned {
            md += "## Learned fun weighting (evolution strategies)\n\n"
            md += "Weights over \(learned.models.joined(separator: ", ")); each candidate trained \(c.learned?.steps ?? 0) steps and was scored by task return per held-out trial.\n\n"
            md += "| generation | θ before | mean candidate score | candidates (weights → score) |\n|---|---|---|---|\n"
            for (g, scores) in learned.meanScores.enumerated() {
                let cands = learned.candidates[g].map { "[\($0.weights.map { String(format: "%.3f", $0) }.joined(separator: ", "))] → \(format($0.score))" }
                md += "| \(g + 1) | [\(learned.path[g].map { String(format: "%.3f", $0) }.joined(separator: ", "))] | \(format(scores)) | \(cands.joined(separator: "; ")) |\n"
            }
            md += "\nFinal weights: [\(learned.weights.map { String(format: "%.3f", $0) }.joined(separator: ", "))].\n\n"
        }
        md += "## Plots\n\n![learning curves](learning-curves.svg)\n\n![task return against the rate of change](return-vs-change.svg)\n\n![return by episode within a trial](adaptation.svg)\n"
        return md
    }

    // MARK: Verdicts

    func describe(_ w: Sample.Welch?) -> String {
        guard let w else { return "no test (too few seeds or no variation)" }
        return String(format: "difference %.3f, Welch t = %.2f, df = %.1f, p = %.3f", w.difference, w.t, w.degreesOfFreedom, w.p)
    }

    /// The share of play steps that changed something (spinning and playing at nothing do not), per seed: how
    /// much of an agent's play acts on the world.
    func playYield(_ g: AgentGroup) -> [Double] {
        g.evaluations.map { e in
            let effective = e.results.map(\.effectivePlaySteps).reduce(0, +)
            let playSteps = e.results.map(\.playSteps).reduce(0, +)
            return playSteps == 0 ? .nan : Double(effective) / Double(playSteps)
        }
    }

    func h1() -> String {
        guard let none = noneGroup else { return "Not tested: the experiment has no fun-free setting (`none`)." }
        let play = Sample.estimate(overall(none, \.playRatio))
        var text = "The fun-free agent (`\(none.name)`, task reward only) spends \(play.formatted()) of its steps playing"
        if let greedy = group("greedy") {
            text += " (the can't-play baseline `greedy`: \(Sample.estimate(overall(greedy, \.playRatio)).formatted()))"
        }
        var test: Sample.Welch?
        if let random = group("random") {
            text += "; random actions play \(Sample.estimate(overall(random, \.playRatio)).formatted())"
            let yieldNone = Sample.estimate(playYield(none)), yieldRandom = Sample.estimate(playYield(random))
            test = Sample.welch(playYield(none), playYield(random))
            text += ". Share of play steps that changed something: \(yieldNone.formatted()) against random's \(yieldRandom.formatted()) (\(describe(test)))"
        }
        text += ". "
        if play.mean < 0.01 {
            return text + "Verdict: **not supported** — without fun the agent hardly plays."
        }
        guard play.lower > 0.01 else { return text + "Verdict: **inconclusive** — the interval on the play ratio reaches down to under 1%." }
        if let test, test.p < 0.05, test.difference > 0 {
            return text + "Verdict: **supported** — the agent keeps playing without any fun reward, and its play changes the world more often than chance play does."
        }
        return text + "Verdict: **inconclusive** — the agent plays without fun, but its play is not shown to be more than leftover exploration (not more effective than random play)."
    }

    func proximate() -> String {
        guard let none = noneGroup else { return "Not tested: no fun-free setting (`none`) to compare with." }
        let others = trained.filter { $0.name != none.name }
        guard !others.isEmpty else { return "Not tested: only the fun-free setting was trained." }
        let threshold = 0.05 / Double(others.count)
        var parts: [String] = ["Play ratio `\(none.name)` \(Sample.estimate(overall(none, \.playRatio)).formatted())"]
        var significant: [String] = []
        for g in others {
            let w = Sample.welch(overall(g, \.playRatio), overall(none, \.playRatio))
            parts.append("`\(g.name)` \(Sample.estimate(overall(g, \.playRatio)).formatted()) (vs none: \(describe(w)))")
            if let w, w.p < threshold { significant.append("\(g.name) (\(w.difference > 0 ? "more" : "less") play)") }
        }
        var text = parts.joined(separator: "; ") + ". The play-event mix by setting is tabulated below. "
        text += "Threshold p < \(String(format: "%.3f", threshold)) (Bonferroni over \(others.count) comparisons). "
        if significant.isEmpty {
            return text + "Verdict: **not supported at this sample size** — no fun setting changed how much the agent plays detectably."
        }
        return text + "Verdict: **supported** — fun changes what the agent does: \(significant.joined(separator: ", "))."
    }

    /// Per-seed slope of task return against the rate of change.
    func slopes(_ g: AgentGroup) -> [Double] {
        g.evaluations.map { e in Sample.slope(x: e.results.map(\.rate), y: e.results.map(\.taskReturn)) }
    }

    func ultimate() -> String {
        guard Set(c.dynamics.map(\.rate)).count > 1 else { return "Not tested: every dynamics setting has the same rate of change." }
        guard let none = noneGroup else { return "Not tested: no fun-free setting (`none`) to compare with." }
        let funGroups = trained.filter { $0.name != none.name }
        guard !funGroups.isEmpty else { return "Not tested: no fun setting to compare with `none`." }
        var parts = ["Slope of task return per unit of change rate: `\(none.name)` \(Sample.estimate(slopes(none)).formatted(4))"]
        for g in funGroups {
            parts.append("`\(g.name)` \(Sample.estimate(slopes(g)).formatted(4)) (vs none: \(describe(Sample.welch(slopes(g), slopes(none)))))")
        }
        let pooled = funGroups.flatMap(slopes)
        let test = Sample.welch(pooled, slopes(none))
        var text = parts.joined(separator: "; ") + ". All fun settings pooled against none: \(describe(test)). "
        // A flatter slope only means better adaptation if it does not come from doing badly everywhere (a floor).
        var level: Sample.Welch?
        if let fastest = c.dynamics.indices.max(by: { c.dynamics[$0].rate < c.dynamics[$1].rate }) {
            let gain = funGroups.flatMap { values($0, dynamics: fastest, \.improvement) }
            text += "Under `\(c.dynamics[fastest].name)`, the 2nd-minus-1st-episode gain is \(Sample.estimate(values(none, dynamics: fastest, \.improvement)).formatted()) without fun and \(Sample.estimate(gain).formatted()) with fun (\(describe(Sample.welch(gain, values(none, dynamics: fastest, \.improvement))))). "
            let funReturn = funGroups.flatMap { values($0, dynamics: fastest, \.taskReturn) }
            let noneReturn = values(none, dynamics: fastest, \.taskReturn)
            level = Sample.welch(funReturn, noneReturn)
            text += "Task return there: \(Sample.estimate(noneReturn).formatted()) without fun, \(Sample.estimate(funReturn).formatted()) with fun (\(describe(level))). "
        }
        guard let test else { return text + "Verdict: **inconclusive** — too few seeds to test." }
        if test.p < 0.05 && test.difference > 0 {
            if let level, level.p < 0.05, level.difference < 0 {
                return text + "Verdict: **not supported** — task return falls less with the rate of change for agents trained with fun, but it stays below the fun-free agents' even under the fastest change: a floor effect, not better adaptation."
            }
            return text + "Verdict: **supported** — agents trained with fun lose less task return as the world changes faster."
        }
        if test.p < 0.05 && test.difference < 0 {
            return text + "Verdict: **not supported (contradicted)** — agents trained with fun lose more task return as the world changes faster."
        }
        return text + "Verdict: **inconclusive** — no detectable difference in how task return falls with the rate of change."
    }

    // MARK: Plots

    func band(_ columns: [[Double]]) -> (mean: [Double], half: [Double]) {
        let e = columns.map { Sample.estimate($0) }
        return (e.map(\.mean), e.map { $0.halfWidth.isFinite ? $0.halfWidth : 0 })
    }

    func learningCurves() -> String {
        let bins = LearningCurveBins.count
        let series = trained.map { g -> LinePlot.Series in
            let xs = (0..<bins).map { (Double($0) + 0.5) * Double(c.training.steps) / Double(bins) }
            let b = band((0..<bins).map { i in g.training.map { $0.curve.count > i ? $0.curve[i] : .nan } })
            return LinePlot.Series(name: g.name, points: Array(zip(xs, b.mean)).map { (x: $0.0, y: $0.1) }, band: b.half)
        }
        return LinePlot(title: "meta-training: task return per episode (mean ± 95% CI over seeds)", xLabel: "environment steps",
                        yLabel: "task return per episode", series: series).svg
    }

    func returnAgainstChange() -> String {
        let order = c.dynamics.indices.sorted { c.dynamics[$0].rate < c.dynamics[$1].rate }
        let series = trained.map { g -> LinePlot.Series in
            let b = band(order.map { values(g, dynamics: $0, \.taskReturn) })
            return LinePlot.Series(name: g.name, points: Array(zip(order.map { c.dynamics[$0].rate }, b.mean)).map { (x: $0.0, y: $0.1) }, band: b.half)
        }
        return LinePlot(title: "held-out task return against the rate of change", xLabel: "goal moves per 100 steps",
                        yLabel: "task return per episode", series: series).svg
    }

    func adaptation() -> String {
        let fastest = c.dynamics.indices.max { c.dynamics[$0].rate < c.dynamics[$1].rate } ?? 0
        let series = results.groups.map { g -> LinePlot.Series in
            let b = band((0..<longestTrial).map { i in g.evaluations.map { $0.results[fastest].returnByEpisode.count > i ? $0.results[fastest].returnByEpisode[i] : .nan } })
            return LinePlot.Series(name: g.name, points: b.mean.enumerated().map { (x: Double($0.offset + 1), y: $0.element) }, band: b.half)
        }
        return LinePlot(title: "adaptation within a trial under '\(c.dynamics[fastest].name)'", xLabel: "episode within the trial",
                        yLabel: "task return", series: series).svg
    }
}
