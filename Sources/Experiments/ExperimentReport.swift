import Foundation
import Plots
import Records
import Statistics

/// Turns an experiment's results into `results.md`, `results.csv`, `results-by-scenario.csv` and the SVG plots, with a verdict per hypothesis.
struct ExperimentReport {
    let results: ExperimentResults
    var c: ExperimentConfiguration { results.configuration }

    /// A per-seed figure of an agent under one dynamics setting.
    typealias Metric = @Sendable (DynamicsResult) -> Double

    static let metrics: [(name: String, title: String, value: Metric)] = [
        ("task_return", "task return", \.taskReturn),
        ("success", "success", \.success),
        ("play_ratio", "play ratio", \.playRatio),
        ("effective_play_ratio", "effective play", { $0.steps == 0 ? .nan : Double($0.effectivePlaySteps) / Double($0.steps) }),
        ("fun_per_step", "fun / step", \.funPerStep),
        ("improvement", "ep2 − ep1", \.improvement),
        ("recovery_steps", "recovery steps", \.recoverySteps),
        ("recovery_regret", "recovery regret", \.recoveryRegret),
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

    /// The files `write` puts at the top of the results folder, in the order of their texts there.
    static let files = ["results.md", "results.json", "results.csv", "results-by-scenario.csv",
                        "learning-curves.svg", "return-vs-change.svg", "adaptation.svg"]

    func write(to folder: ResultsFolder) throws(ExperimentError) {
        let texts = [markdown(), json(), csv(), scenarioCSV(), learningCurves(), returnAgainstChange(), adaptation()]
        for (name, text) in zip(Self.files, texts) { try folder.write(text: text, to: folder.path + "/" + name) }
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

    /// The per-scenario figures a group's seeds agree on: one list per scenario, seed k's result at index k − 1;
    /// nil when an evaluation record predates per-scenario figures.
    func byScenario(_ group: AgentGroup, dynamics d: Int) -> [(scenario: String, seeds: [ScenarioResult])]? {
        let perSeed = group.evaluations.map { $0.results[d].byScenario }
        guard let first = perSeed.first ?? nil, perSeed.allSatisfy({ $0?.map(\.scenario) == first.map(\.scenario) }) else { return nil }
        return first.indices.map { i in (first[i].scenario, perSeed.map { $0![i] }) }
    }

    static let scenarioMetrics: [(name: String, title: String, value: @Sendable (ScenarioResult) -> Double)] = [
        ("task_return", "task return", \.taskReturn),
        ("success", "success", \.success),
        ("play_ratio", "play ratio", \.playRatio),
        ("effective_play_ratio", "effective play", \.effectivePlayRatio),
    ]

    /// Mean over seeds of a per-episode-index series, over the indices every seed has.
    func meanSeries(_ series: [[Double]]) -> [Double] {
        let shared = series.map(\.count).min() ?? 0
        return (0..<shared).map { i in Sample.mean(series.map { $0[i] }) }
    }

    func scenarioCSV() -> String {
        let longest = results.groups.flatMap { g in c.dynamics.indices.flatMap { d in (byScenario(g, dynamics: d) ?? []).map { meanSeries($0.seeds.map(\.returnByEpisode)).count } } }.max() ?? 0
        var header = ["group", "dynamics", "scenario", "seeds"]
        for m in Self.scenarioMetrics { header += ["\(m.name)_mean", "\(m.name)_ci95"] }
        header += (0..<longest).flatMap { ["return_ep\($0 + 1)", "play_ep\($0 + 1)"] }
        var text = CSV.row(header)
        for g in results.groups {
            for (d, setting) in c.dynamics.enumerated() {
                for (scenario, seeds) in byScenario(g, dynamics: d) ?? [] {
                    var row = [g.name, setting.name, scenario, String(seeds.count)]
                    for m in Self.scenarioMetrics {
                        let e = Sample.estimate(seeds.map(m.value))
                        row += [number(e.mean), number(e.halfWidth)]
                    }
                    let returns = meanSeries(seeds.map(\.returnByEpisode)), plays = meanSeries(seeds.map(\.playByEpisode))
                    row += (0..<longest).flatMap { i in [i < returns.count ? number(returns[i]) : "", i < plays.count ? number(plays[i]) : ""] }
                    text += CSV.row(row)
                }
            }
        }
        return text
    }

    /// Each arm scenario by scenario under the slowest dynamics setting: whether an average hides a family solved
    /// every time beside one never solved, and whether play comes early in a trial and fades.
    func scenarioSection() -> String {
        let d = c.dynamics.indices.min { c.dynamics[$0].rate < c.dynamics[$1].rate } ?? 0
        var md = "## By scenario (dynamics `\(c.dynamics[d].name)`)\n\n"
        let rows = results.groups.map { ($0, byScenario($0, dynamics: d)) }
        let missing = rows.filter { $0.1 == nil }.map(\.0.name)
        if missing.count == rows.count {
            return md + "The evaluation records predate per-scenario figures: delete `cells/eval-*.json` and run the experiment again to re-evaluate (no training).\n\n"
        }
        md += "Play ratio by episode is the mean over seeds for each episode index of a trial, first to last.\n\n"
        md += "| agent | scenario | " + Self.scenarioMetrics.map(\.title).joined(separator: " | ") + " | play ratio by episode |\n"
        md += "|---|---|" + String(repeating: "---|", count: Self.scenarioMetrics.count + 1) + "\n"
        for case let (g, scenarios?) in rows {
            for (scenario, seeds) in scenarios {
                let cells = Self.scenarioMetrics.map { m in Sample.estimate(seeds.map(m.value)).formatted() }
                let plays = meanSeries(seeds.map(\.playByEpisode)).map(format).joined(separator: " / ")
                md += "| \(g.name) | \(scenario) | " + cells.joined(separator: " | ") + " | \(plays) |\n"
            }
        }
        if !missing.isEmpty { md += "\nNo per-scenario figures in the records of: \(missing.joined(separator: ", ")).\n" }
        return md + "\n"
    }

    func markdown() -> String {
        var md = "# Experiment `\(c.name)`: play, fun and a changing world\n\n"
        let run = results.provenance
        md += "Reproduce with:\n\n```\n\(run.command)\n```\n\n"
        md += "Training distribution: \(c.scenarios.map(\.name).joined(separator: ", ")) (unless an arm below names its own), recipe `\(c.training.recipe)`. "
        md += "\(c.seeds) seed\(c.seeds == 1 ? "" : "s") per cell" + (c.firstSeed == 1 ? "" : " (training seeds \(c.trainingSeed(1))…\(c.trainingSeed(c.seeds)))") + ", \(c.training.steps) environment steps per agent (\(c.training.envs) environments, GRU \(c.training.hidden)). "
        md += "Evaluation: \(c.evaluation.trials) trials per scenario on held-out MDPs (seed base \(c.evaluation.seed); training draws its MDPs from its own seed streams), "
        md += "the task reward only is scored; agents see their own fun as in training. "
        md += c.seeds == 1 ? "With one seed per cell the tables carry no interval. "
            : "In the tables \"±\" is the half-width of a 95% t-interval over seeds (\(c.seeds) seeds: t with \(c.seeds - 1) degrees of freedom, so they are wide). "
        md += "Ran in \(String(format: "%.0f", run.seconds)) s (\(run.trainedNow) pieces trained now, \(run.reused) reused from the results folder). "
        let training = results.trainingSeconds
        md += "Training every agent took \(String(format: "%.0f", training.total)) s in all, summed over the runs that trained them"
        md += (training.untimed > 0 ? " (\(training.untimed) learned-fun candidates recorded no time)" : "") + ".\n\n"
        md += "## Verdicts\n\n" + verdicts()
        md += overlapSection()
        md += "Everything below is exploratory: no verdict rests on it.\n\n"
        md += "## Arms\n\n| arm | fun spec trained with | scenarios | controls |\n|---|---|---|---|\n"
        for g in results.groups {
            let setting = c.fun.first { $0.name == g.name && !g.isBaseline }
            let scenarios = (setting.map(c.scenarios(of:)) ?? c.scenarios).map(\.name).joined(separator: ", ")
            let notes = (setting?.controls ?? []) + (setting?.trainDynamics.map { ["trained with \(ExperimentDesign.describe($0))"] } ?? [])
            let controls = notes.isEmpty ? "—" : notes.joined(separator: ", ")
            let fun = g.isBaseline ? "(scripted baseline, not trained)"
                : setting?.yokedTo.map { "none of its own: yoked to `\($0)`'s fun" } ?? "`\(g.fun)`"
            md += "| \(g.name) | \(fun) | \(scenarios) | \(controls) |\n"
        }
        md += "\n"
        for (d, setting) in c.dynamics.enumerated() {
            md += "## Dynamics `\(setting.name)` (\(ExperimentDesign.describe(setting))"
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
        md += scenarioSection()
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

    /// How held out the evaluation MDPs were, measured.
    func overlapSection() -> String {
        guard !results.overlaps.isEmpty else { return "" }
        var md = "## Held-out MDPs: measured overlap with training\n\n"
        md += "Each evaluation trial's MDP (layout, things, goal, start and drawn rules, fingerprinted) looked up among the "
        md += "MDPs of the first \(MDPOverlap.trialsPerRow) trials of each of the \(c.training.envs) training environments of every training seed "
        md += "(drawn again exactly as training drew them: a sample of what training met, not all of it). A family of one MDP shows 1.\n\n"
        md += "| scenario | evaluation trials | training trials sampled | distinct training MDPs | evaluation MDPs met in training | share |\n|---|---|---|---|---|---|\n"
        for o in results.overlaps {
            md += "| \(o.scenario) | \(o.evaluationTrials) | \(o.trainingTrials) | \(o.trainingDistinct) | \(o.shared) | \(format(o.share)) |\n"
        }
        return md + "\n"
    }

    /// What a script needs from the run: verdicts, the overlap of evaluated with trained MDPs, the fun calibration.
    struct JSONSummary: Encodable {
        var experiment: String
        var seeds: Int
        var validationSeeds: [UInt64]
        var hypotheses: [Preregistration.Hypothesis]
        var outcomes: [Preregistration.Outcome]
        var mdpOverlap: [MDPOverlap]
        var funCalibration: [FunCalibration]
        var run: RunProvenance

        enum CodingKeys: String, CodingKey {
            case experiment, seeds, hypotheses, outcomes, run
            case validationSeeds = "validation_seeds"
            case mdpOverlap = "mdp_overlap"
            case funCalibration = "fun_calibration"
        }
    }

    func json() -> String {
        let p = c.preregistration
        let summary = JSONSummary(experiment: c.name, seeds: c.seeds,
                                  validationSeeds: [c.validationSeed, c.validationSeed + ExperimentConfiguration.validationSpan - 1],
                                  hypotheses: p?.hypotheses ?? [], outcomes: p?.decide(values: perSeed) ?? [],
                                  mdpOverlap: results.overlaps, funCalibration: results.calibrations, run: results.provenance)
        return String(decoding: (try? StableJSON.data(summary, pretty: true)) ?? Data(), as: UTF8.self)
    }

    // MARK: Verdicts

    /// An arm's per-seed figure on a hypothesis' primary metric, seed k at index k − 1.
    func perSeed(_ arm: String, _ h: Preregistration.Hypothesis) -> [Double] {
        guard let g = group(arm) else { return [] }
        let all = h.metric.needsRuleChanges ? c.dynamics.indices.filter { c.dynamics[$0].changesRules } : Array(c.dynamics.indices)
        let settings = h.dynamics.flatMap { name in c.dynamics.firstIndex { $0.name == name } }.map { [$0] } ?? all
        return g.evaluations.map { e in
            if h.metric == .changeSlope {
                return Sample.slope(x: e.results.map(\.rate), y: e.results.map(\.taskReturn))
            }
            return Sample.mean(settings.map { d in Self.value(of: h, in: e.results[d]) })
        }
    }

    /// One dynamics setting's value of a hypothesis' metric (NaN when it does not exist, e.g. an episode past the trial).
    static func value(of h: Preregistration.Hypothesis, in r: DynamicsResult) -> Double {
        if let episode = h.episode {
            let series = h.metric == .taskReturn ? r.returnByEpisode : h.metric == .playRatio ? r.playByEpisode : r.effectivePlayByEpisode
            return series.count >= episode ? series[episode - 1] : .nan
        }
        switch h.metric {
        case .taskReturn: return r.taskReturn
        case .success: return r.success
        case .playRatio: return r.playRatio
        case .effectivePlayRatio: return r.steps == 0 ? .nan : Double(r.effectivePlaySteps) / Double(r.steps)
        case .playYield: return r.playSteps == 0 ? .nan : Double(r.effectivePlaySteps) / Double(r.playSteps)
        case .funPerStep: return r.funPerStep
        case .improvement: return r.improvement
        case .changeSlope: return .nan
        case .recoverySteps: return r.recoverySteps
        case .recoveryRegret: return r.recoveryRegret
        }
    }

    /// The preregistered hypotheses, each decided by its own rule; or a note that none were registered.
    func verdicts() -> String {
        guard let p = c.preregistration else {
            return "No hypotheses were preregistered (the configuration has no `preregistration` section), so this report gives no verdicts.\n\n"
        }
        var md = "Preregistered in DESIGN.md before training. Each row compares two arms paired by seed (the same held-out MDPs): "
        md += "the effect is the mean of treatment − control over seeds with its 95% percentile-bootstrap interval; p is the exact "
        md += "two-sided paired permutation test\(p.correction == .holm ? ", Holm-adjusted over the \(p.hypotheses.count) hypotheses" : "")"
        md += " (α = \(CSV.number(p.alpha, significantDigits: 3))). With n pairs the smallest possible p is 2/2ⁿ.\n\n"
        md += "| hypothesis | primary metric | treatment − control | pairs | effect [95% interval] | p | adjusted p | verdict |\n"
        md += "|---|---|---|---|---|---|---|---|\n"
        for (h, o) in zip(p.hypotheses, p.decide(values: perSeed)) {
            let effect = o.effect.map { "\(format($0.estimate)) [\(format($0.lower)), \(format($0.upper))]" } ?? "n/a"
            md += "| \(h.name)\(h.claim.isEmpty ? "" : ": \(h.claim)") | \(h.metricDescription) | `\(h.treatment)` − `\(h.control)` (predicted \(h.direction == .greater ? ">" : "<") \(CSV.number(h.minimumEffect, significantDigits: 4))) | \(o.pairs) | \(effect) | \(format(o.p)) | \(format(o.adjustedP)) | **\(o.verdict.rawValue)** |\n"
        }
        return md + "\n"
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
        return LinePlot(title: "held-out task return against the rate of change", xLabel: "changes (goal moves, rule redraws) per 100 steps",
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
