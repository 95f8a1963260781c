import Records

/// DESIGN.md: the experiment as planned, written into the results folder before any training — hypotheses with
/// their primary metrics and decision rules, arms, controls, seeds, budgets, and what is exploratory — so a reader
/// can check the report against what was committed to.
struct ExperimentDesign {
    let configuration: ExperimentConfiguration
    let command: String
    /// Arms whose fun is a share of the task return, with the weights calibrated for them before training.
    var calibrations: [FunCalibration] = []

    func markdown() -> String {
        let c = configuration
        var md = "# Design of experiment `\(c.name)`\n\n"
        md += "Written by \(ToolVersion.current) before training. Run with:\n\n```\n\(command)\n```\n\n"
        md += "## Hypotheses (preregistered)\n\n"
        if let p = c.preregistration {
            md += "Each hypothesis compares two arms on one primary metric, paired by seed: seed k of both arms is evaluated on the same "
            md += "held-out MDPs. The test is the exact paired permutation (sign-flip) test, two-sided; "
            md += p.correction == .holm ? "p-values are Holm-adjusted over the \(p.hypotheses.count) hypotheses; " : "p-values are not corrected; "
            md += "α = \(CSV.number(p.alpha, significantDigits: 3)). The effect is the mean paired difference (treatment − control) with a 95% "
            md += "percentile-bootstrap interval over seeds (10,000 resamples, seed 1).\n\n"
            md += "| hypothesis | claim | primary metric | treatment | control | decision rule |\n|---|---|---|---|---|---|\n"
            for h in p.hypotheses {
                md += "| \(h.name) | \(h.claim.isEmpty ? "—" : h.claim) | \(h.metricDescription) | `\(h.treatment)` | `\(h.control)` | \(h.rule(alpha: p.alpha, correction: p.correction)) |\n"
            }
            md += "\nExploratory (no verdict rests on these): "
            md += (p.exploratory + ["every table and plot not named above"]).joined(separator: "; ") + ".\n\n"
        } else {
            md += "None: this experiment reports tables and plots only, with no verdicts.\n\n"
        }
        md += "## Arms and controls\n\n"
        md += "| arm | kind | fun it trains and is evaluated with | scenarios | controls |\n|---|---|---|---|---|\n"
        let shared = "the experiment's"
        for f in c.fun {
            let named = f.scenarios.map { $0.map { "`\($0.name)`" }.joined(separator: ", ") } ?? shared
            let controls = f.controls.isEmpty ? "—" : f.controls.joined(separator: ", ")
            let scenarios = named + (f.trainDynamics.map { "; trained with \(Self.describe($0))" } ?? "")
            switch f.kind {
            case .fixed(let spec):
                let fun = calibrations.first { $0.arm == f.name }.map { "`\($0.scaled)` (`\($0.relative)` scaled to \(Self.number($0.share)) of the maximal task return per episode)" } ?? "`\(spec.description)`"
                md += "| `\(f.name)` | trained RL² agent | \(fun) | \(scenarios) | \(controls) |\n"
            case .learned: md += "| `\(f.name)` | trained RL² agent | weights found by the evolution-strategies search | \(scenarios) | \(controls) |\n"
            case .yoked(let partner):
                md += "| `\(f.name)` | trained RL² agent, yoked control | none of its own: at each step, the fun `\(partner)`'s agent of the same seed received at that step (training: the same row of its batch; evaluation: its run on the same held-out MDP), whatever this agent does | \(f.scenarios == nil ? scenarios : "`\(partner)`'s") | \(controls) |\n"
            }
        }
        if !calibrations.isEmpty {
            md += "\n### Fun scaled to a share of the task return\n\n"
            md += "Each weight below is the written (relative) weight times one factor, so that the fun a uniformly random, untrained "
            md += "agent collects per episode is the share of the maximal task return per episode (measured on \(FunCalibration.trials) "
            md += "trials of each scenario on validation seeds; the maximal task return is analytic: success pays at most 1, a lever 1, "
            md += "a scenario without a task 0). A trained agent's fun will differ; the share fixes the scale before training.\n\n"
            md += "| arm | written | share | maximal task return | random agent's fun per episode (written weights) | factor | trained with | seeds |\n|---|---|---|---|---|---|---|---|\n"
            for cal in calibrations {
                md += "| `\(cal.arm)` | `\(cal.relative)` | \(Self.number(cal.share)) | \(Self.number(cal.maximalTaskReturn)) | \(Self.number(cal.randomFunPerEpisode)) | \(Self.number(cal.factor)) | `\(cal.scaled)` | \(cal.seeds.map(String.init).joined(separator: ", ")) |\n"
            }
        }
        for b in c.evaluation.baselines {
            md += "| `\(b)` | scripted control | \(b == "random" ? "none (acts at random: plays by chance)" : "none (solves the task, cannot play)") | \(shared) | — |\n"
        }
        md += "\n## Seeds and budgets\n\n"
        md += "- Training distribution: \(c.scenarios.map { "`\($0.name)`" }.joined(separator: ", ")) (unless an arm names its own), "
        md += "recipe `\(c.training.recipe)`.\n"
        md += c.firstSeed == 1 ? "- Training seeds 1…\(c.seeds) per arm; "
            : "- Training seeds \(c.trainingSeed(1))…\(c.trainingSeed(c.seeds)) per arm (seed k of the tables trains from seed \(c.firstSeed - 1) + k); "
        md += "\(c.training.steps) environment steps per agent (\(c.training.envs) environments, GRU \(c.training.hidden)); "
        md += "\(c.fun.count * c.seeds * c.training.steps) steps in all"
        if let l = c.learned, c.fun.contains(where: { $0.kind == .learned }) {
            md += ", plus \(l.generations * 2 * l.pairs * l.steps) for the learned-fun search (\(l.generations) generations × \(l.pairs) antithetic pairs × \(l.steps) steps)"
        }
        md += ".\n"
        md += "- Evaluation: \(c.evaluation.trials) trials per scenario and seed on held-out MDPs, seed `\(c.evaluation.seed) + 1000·k + scenario index` for seed k "
        md += "(training draws its MDPs from its own seed streams), under the dynamics settings "
        md += c.dynamics.map { "`\($0.name)` (\(Self.describe($0)))" }.joined(separator: ", ")
        md += ".\n"
        md += "- Validation seeds \(c.validationSeed)…\(c.validationSeed + ExperimentConfiguration.validationSpan - 1), used for all tuning and "
        md += "calibration (the learned-fun search scores generation g on seed \(c.validationSeed) + g; fun shares calibrate on "
        md += "\(c.validationSeed + 1000) + scenario index) and for nothing reported; disjoint from the training and evaluation seeds.\n"
        md += "- The overlap of evaluated MDPs with training MDPs is measured, not assumed (results.md, results.json): the first "
        md += "\(MDPOverlap.trialsPerRow) trials of each of the \(c.training.envs) training environments of every seed are drawn again and "
        md += "fingerprinted (layout, things, goal, start, drawn rules), and each evaluation trial's MDP is looked up among them.\n"
        let yoked = c.fun.filter { $0.yokedTo != nil }
        if !yoked.isEmpty {
            md += "- Yoked controls (\(yoked.map { "`\($0.name)` ← `\($0.yokedTo!)`" }.joined(separator: ", "))): seed k is paired with "
            md += "the partner's seed k; the partner arm is listed first, so its cells train first and record the fun each of their "
            md += "rows received at each step (`cells/train-….fun`). The yoked agent of seed k trains from its own seed "
            md += "\(ExperimentConfiguration.yokedTrainingSeed(c.firstSeed) - 1) + k (its own weights, actions and training MDPs; only the fun is the partner's): "
            md += "from the partner's seed it would act exactly as the partner and so receive exactly what its own play earned. "
            md += "It is evaluated on the same held-out MDPs as every arm's seed k.\n"
        }
        return md
    }

    static func number(_ x: Double) -> String { CSV.number(x, significantDigits: 4) }

    /// `goal moves every 10 steps, and between episodes; rules redrawn every 40 steps`.
    static func describe(_ d: ExperimentConfiguration.DynamicsSetting) -> String {
        let goal = switch (d.goalMovesEvery, d.betweenEpisodes) {
        case (0, false): "goal fixed"
        case (0, true): "goal moves between episodes"
        case (let n, let between): "goal moves every \(n) steps" + (between ? ", and between episodes" : "")
        }
        var parts = [goal]
        if d.redrawRulesEvery > 0 || d.redrawRulesBetweenEpisodes {
            var rules = "rules redrawn"
            if d.redrawRulesEvery > 0 { rules += " every \(d.redrawRulesEvery) steps" }
            if d.redrawRulesBetweenEpisodes { rules += d.redrawRulesEvery > 0 ? " and between episodes" : " between episodes" }
            parts.append(rules)
        }
        return parts.joined(separator: "; ")
    }
}
