import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles
import ShippedFiles

/// What an experiment compares: fun settings trained over a scenario distribution, evaluated on held-out MDPs
/// under environments that change at different rates. Read from YAML (see `experiments/default.yaml`).
public struct ExperimentConfiguration: Sendable, Equatable {
    /// One arm: a way of giving the agent fun (a fixed weighting, or the one the outer loop learns), and
    /// optionally its own training and evaluation scenarios and the controls of emergence claims.
    public struct FunSetting: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            case fixed(FunSpec)
            case learned
            /// The yoked control: per step, the fun the named (earlier) arm's agent of the same seed received at the
            /// same step index, whatever this agent does; no fun of its own.
            case yoked(String)
        }
        public var name: String
        public var kind: Kind
        /// The arm's own scenarios (nil: the experiment's), e.g. a world's fixed-rule twins.
        public var scenarios: [Scenario]? = nil
        /// The `--no-play` control: the play head fixed to none.
        public var noPlay = false
        /// The `--reset-memory episode` control: memory cleared at each episode boundary.
        public var memory: MemorySpan = .trial
        /// Fun scaled to this share of the maximal task return per episode (nil: the spec's weights as written):
        /// the spec's weights are relative, and one factor, calibrated before training, scales them all.
        public var share: Double? = nil
        /// How the arm's training worlds change (rules redrawn every N steps, goals moving); nil: as their files say.
        /// Evaluation applies each dynamics setting over it.
        public var trainDynamics: DynamicsSetting? = nil
        /// The partner arm of a yoked control.
        public var yokedTo: String? {
            if case .yoked(let partner) = kind { return partner }
            return nil
        }

        /// What the arm changes besides fun, for tables: `no play`, `memory per episode`.
        public var controls: [String] {
            (noPlay ? ["no play"] : []) + (memory != .trial ? ["memory per \(memory.rawValue)"] : [])
        }
    }

    /// An evaluation environment's rate of change, applied to every evaluation scenario's dynamics: the goal
    /// moving, and (in scenarios with hidden mechanics) the rules being drawn anew — rules that change, not only goals.
    public struct DynamicsSetting: Sendable, Equatable {
        public var name: String
        /// The goal jumps every this many steps of an episode (0 = never).
        public var goalMovesEvery: Int
        /// The goal jumps between the episodes of a trial.
        public var betweenEpisodes: Bool
        /// The hidden rules are drawn anew every this many steps of an episode (0 = never).
        public var redrawRulesEvery = 0
        /// The hidden rules are drawn anew between the episodes of a trial.
        public var redrawRulesBetweenEpisodes = false
        /// The x value of the return-against-change plot: by default, changes (goal moves and rule redraws) per 100 steps.
        public var rate: Double

        public func apply(to scenario: Scenario) -> Scenario {
            var s = scenario
            s.dynamics.goalMovesEvery = goalMovesEvery
            s.dynamics.goalMovesBetweenEpisodes = betweenEpisodes
            s.dynamics.redrawRulesEvery = redrawRulesEvery
            s.dynamics.redrawRulesBetweenEpisodes = redrawRulesBetweenEpisodes
            return s
        }

        /// Whether the hidden rules change during a trial (where recovery after a change is measured).
        public var changesRules: Bool { redrawRulesEvery > 0 || redrawRulesBetweenEpisodes }

        /// What identifies the setting in cache keys.
        var key: String {
            "\(name):\(goalMovesEvery):\(betweenEpisodes):\(rate)" + (redrawRulesEvery > 0 || redrawRulesBetweenEpisodes ? ":rules:\(redrawRulesEvery):\(redrawRulesBetweenEpisodes)" : "")
        }
    }

    public struct Training: Sendable, Equatable, Codable {
        /// Environment steps per trained agent.
        public var steps: Int
        public var envs: Int
        public var hidden: Int
        public var threads: Int
        /// The grid recipe's name (`gridworld`, or `tinkering` for worlds whose hidden rules play finds out).
        public var recipe = GridRecipe.gridworld.rawValue
    }

    /// The scenarios an arm trains and is evaluated on (with its training dynamics, which evaluation overrides).
    public func scenarios(of setting: FunSetting) -> [Scenario] {
        let list = setting.scenarios ?? scenarios
        return setting.trainDynamics.map { d in list.map(d.apply) } ?? list
    }

    public struct Evaluation: Sendable, Equatable {
        /// Whole trials per evaluation scenario, per agent and dynamics setting.
        public var trials: Int
        /// Base of the held-out MDP seeds (training draws its MDPs from its own seed stream).
        public var seed: UInt64
        /// Scripted agents evaluated beside the trained ones: `random` (plays by chance), `greedy` (cannot play).
        public var baselines: [String]
    }

    /// The outer loop that learns the fun weighting: evolution strategies with antithetic pairs.
    public struct LearnedFun: Sendable, Equatable {
        public var models: [String]
        public var start: [Float]
        public var sigma: Float
        public var learningRate: Float
        public var generations: Int
        public var pairs: Int
        /// Environment steps each candidate trains for before it is scored.
        public var steps: Int
        /// Held-out trials that score a candidate by its task return.
        public var trials: Int
    }

    public var name: String
    public var file: String
    /// The YAML text, copied into the results folder.
    public var sourceText: String
    public var scenarios: [Scenario]
    public var fun: [FunSetting]
    public var dynamics: [DynamicsSetting]
    public var seeds: Int
    /// The first training seed: arm seed k trains from seed `firstSeed + k − 1`, so a replication trains fresh
    /// agents (seeds 11…20, say) with everything else the same.
    public var firstSeed: Int = 1
    public var training: Training
    public var evaluation: Evaluation
    public var learned: LearnedFun?
    /// Base of the validation seeds, used for all tuning and calibration and for nothing else: the learned-fun search
    /// scores generation g's candidates on MDPs of seed `validationSeed + g`, and fun scaled to a share is calibrated
    /// on seed `validationSeed + 1000 + scenario index`. The range [base, base + 2000) is disjoint from every
    /// training and evaluation seed (the parser checks).
    public var validationSeed: UInt64
    /// The hypotheses and decision rules fixed before the experiment runs (nil: tables only, no verdicts).
    public var preregistration: Preregistration?

    static let keys = ["name", "scenarios", "fun", "dynamics", "seeds", "first-seed", "training", "evaluation", "learned", "validation-seeds", "preregistration"]

    /// How many seeds from `validationSeed` the validation set holds.
    public static let validationSpan: UInt64 = 2000

    /// The training seed of a yoked control's seed-k agent: its own weights, actions and training MDPs (only the fun
    /// stream is its partner's). Trained from the partner's seed k it would start and act exactly as the partner,
    /// receive exactly the fun its own play earned, and so stay the partner's copy: no control at all.
    public static func yokedTrainingSeed(_ seed: Int) -> UInt64 { 100_000 + UInt64(seed) }

    /// The training seed of arm seed k (1…`seeds`); seed k keeps its index for pairing and evaluation MDPs.
    public func trainingSeed(_ k: Int) -> Int { firstSeed + k - 1 }
    static let baselineNames = ["random", "greedy"]

    /// Loads and checks a configuration file; scenario paths in it are relative to the file's folder.
    public static func load(path: String) throws(ScenarioFileError) -> ExperimentConfiguration {
        let data: Data
        do { data = try ReadableFile.contents(of: path, expecting: "a YAML experiment file") } catch {
            throw ScenarioFileError(file: path, line: 1, column: 1, error.message)
        }
        let text = try ScenarioFile.text(of: data, file: path, expecting: "a YAML experiment file")
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text: text, file: path, scenarioFolder: folder)
    }

    /// Parses configuration text; `file` names it in errors.
    public static func parse(text: String, file: String, scenarioFolder: String? = nil) throws(ScenarioFileError) -> ExperimentConfiguration {
        let root = try YAMLNode.document(text: text, file: file, expecting: "an experiment with scenarios, fun and dynamics")
        let entries = try root.mapping("the experiment", allowed: keys)
        func value(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.value }
        func required(_ key: String, _ what: String) throws(ScenarioFileError) -> YAMLNode {
            guard let node = value(key) else { throw root.error("missing '\(key)': expected \(what)") }
            return node
        }
        let name = try value("name")?.string("the experiment's name")
            ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        // The name is the results folder's (experiment-results/NAME without --out): empty, it wrote into
        // experiment-results itself; with a slash or as "..", into a folder elsewhere.
        if let node = value("name"), name.isEmpty || name.contains("/") || name == "." || name == ".." {
            throw node.error("expected the experiment's name (a word that names its results folder, without '/'), found '\(name)'")
        }
        let scenarios = try scenarioList(try required("scenarios", "the training scenarios (names or paths)").list("scenarios"), folder: scenarioFolder)
        guard let first = scenarios.first else { throw root.error("'scenarios' is empty; name at least one") }
        for s in scenarios where s.viewSize != first.viewSize {
            throw root.error("scenario \(s.name) has view \(s.viewSize) but \(first.name) has \(first.viewSize); one agent needs one view size")
        }
        let fun = try funSettings(try required("fun", "the fun settings to compare (name: spec or learned)"), folder: scenarioFolder)
        for setting in fun {
            for s in setting.scenarios ?? [] where s.viewSize != first.viewSize {
                throw root.error("arm '\(setting.name)': scenario \(s.name) has view \(s.viewSize) but \(first.name) has \(first.viewSize); one agent needs one view size")
            }
        }
        let dynamics = try dynamicsSettings(try required("dynamics", "the evaluation dynamics (name: goal-moves-every, between-episodes)"))
        let seeds = try value("seeds")?.int("seeds per cell", in: 1...100) ?? 3
        let firstSeed = try value("first-seed")?.int("the first training seed", in: 1...99_999 - seeds + 1) ?? 1
        let training = try self.training(value("training"))
        let evaluation = try self.evaluation(value("evaluation"))
        var learned: LearnedFun?
        if let node = value("learned") { learned = try learnedFun(node) }
        if fun.contains(where: { $0.kind == .learned }) && learned == nil {
            learned = try learnedFun(nil)
        }
        if let learned, learned.steps < training.envs {
            throw (value("learned") ?? root).error("learned.steps must be at least training.envs (\(training.envs))")
        }
        let validationNode = value("validation-seeds")
        let validationSeed = try validationNode.map { n throws(ScenarioFileError) in UInt64(try n.int("validation-seeds (the base of the validation seeds)", in: 0...Int.max)) }
            ?? evaluation.seed &+ 500_000
        try checkSeedsDisjoint(validation: validationSeed, evaluation: evaluation, seeds: seeds, firstSeed: firstSeed,
                               scenarioCount: ([scenarios] + fun.compactMap(\.scenarios)).map(\.count).max() ?? 1,
                               generations: fun.contains { $0.kind == .learned } ? learned?.generations ?? 0 : 0,
                               yoked: fun.contains { $0.yokedTo != nil },
                               at: validationNode ?? value("evaluation") ?? root)
        var preregistration: Preregistration?
        if let node = value("preregistration") {
            func longestTrial(_ arm: String) -> Int {
                let armScenarios = fun.first { $0.name == arm }?.scenarios ?? scenarios
                return armScenarios.map(\.episodesPerTrial).max() ?? .max
            }
            preregistration = try Preregistration.parse(node, arms: fun.map(\.name) + evaluation.baselines, dynamics: dynamics.map(\.name),
                                                        changing: dynamics.filter(\.changesRules).map(\.name), longestTrial: longestTrial)
        }
        return ExperimentConfiguration(name: name, file: file, sourceText: text, scenarios: scenarios, fun: fun, dynamics: dynamics,
                                       seeds: seeds, firstSeed: firstSeed, training: training, evaluation: evaluation, learned: learned,
                                       validationSeed: validationSeed, preregistration: preregistration)
    }

    /// Refuses validation seeds that meet a training or evaluation seed: tuning on the MDPs a figure is reported on
    /// (or trained on) would make the report's "held out" untrue. Ranges: training seeds first…first + seeds − 1,
    /// the search's 10000…10000 + generations − 1 and yoked controls' 100000 + those; evaluation seeds base + 1000·k + s.
    static func checkSeedsDisjoint(validation: UInt64, evaluation: Evaluation, seeds: Int, firstSeed: Int = 1, scenarioCount: Int,
                                   generations: Int, yoked: Bool = false, at node: YAMLNode) throws(ScenarioFileError) {
        let last = firstSeed + seeds - 1
        let validationRange = validation...(validation &+ validationSpan - 1)
        let evaluationRange = (evaluation.seed &+ 1000)...(evaluation.seed &+ 1000 &* UInt64(seeds) &+ UInt64(max(0, scenarioCount - 1)))
        var training: [ClosedRange<UInt64>] = [UInt64(firstSeed)...UInt64(last)]
        if generations > 0 { training.append(10_000...UInt64(10_000 + generations - 1)) }
        if yoked { training.append(yokedTrainingSeed(firstSeed)...yokedTrainingSeed(last)) }
        let range = { (r: ClosedRange<UInt64>) in "\(r.lowerBound)…\(r.upperBound)" }
        if validationRange.overlaps(evaluationRange) {
            throw node.error("the validation seeds \(range(validationRange)) overlap the evaluation seeds \(range(evaluationRange)); set validation-seeds to a base outside them")
        }
        if let clash = training.first(where: validationRange.overlaps) {
            throw node.error("the validation seeds \(range(validationRange)) overlap the training seeds \(range(clash)); set validation-seeds to a base outside them")
        }
    }

    /// The scenarios a list names, refusing one named twice at its entry: an agent trains on each family once, and
    /// keeps each one's task return by its name.
    static func scenarioList(_ nodes: [YAMLNode], folder: String?) throws(ScenarioFileError) -> [Scenario] {
        var list: [Scenario] = []
        for node in nodes {
            let s = try scenario(node, folder: folder)
            if list.contains(where: { $0.name == s.name }) { throw node.error("scenario \(s.name) is named twice in this list; give each once") }
            list.append(s)
        }
        return list
    }

    static func scenario(_ node: YAMLNode, folder: String?) throws(ScenarioFileError) -> Scenario {
        var argument = try node.string("a scenario name or path")
        if ShippedFolder.isPath(argument), !argument.hasPrefix("/"), let folder { argument = folder + "/" + argument }
        do {
            return try ScenarioCatalog.load(argument)
        } catch {
            // A missing scenario is this file's mistake: point at the entry. A broken scenario file keeps its own location.
            if error.file == argument && error.line <= 1 && error.column <= 1 {
                throw node.error("scenario '\(argument)': \(error.message)")
            }
            throw error
        }
    }

    static let armKeys = ["fun", "scenarios", "no-play", "reset-memory", "share", "yoked-to", "train-dynamics"]

    /// Each setting is a fun spec, or a mapping that adds the arm's own scenarios and controls:
    /// `{fun: none, scenarios: [...], no-play: true, reset-memory: episode}`.
    static func funSettings(_ node: YAMLNode, folder: String?) throws(ScenarioFileError) -> [FunSetting] {
        var settings: [FunSetting] = []
        for (key, _, value) in try node.mapping("fun (name: a fun spec such as delight=1,novelty=0.1, none, or learned)") {
            guard case .mapping = value.node else {
                settings.append(try funSetting(key, spec: value))
                continue
            }
            let entries = try value.mapping("arm '\(key)'", allowed: armKeys)
            let specNode = entries.first(where: { $0.key == "fun" })?.value
            var setting: FunSetting
            if let yoke = entries.first(where: { $0.key == "yoked-to" })?.value {
                if let specNode { throw specNode.error("arm '\(key)' is yoked to another arm's fun and has none of its own: remove 'fun'") }
                let partner = try yoke.string("the arm whose fun this one receives")
                guard let found = settings.first(where: { $0.name == partner }) else {
                    let earlier = settings.map(\.name)
                    throw yoke.error("arm '\(key)' is yoked to '\(partner)', which is not an arm listed before it\(earlier.isEmpty ? "" : " (\(earlier.joined(separator: ", ")))"); the partner trains first, so list it earlier")
                }
                guard case .fixed(let spec) = found.kind, !spec.terms.isEmpty else {
                    throw yoke.error("arm '\(key)' is yoked to '\(partner)', which has no fixed fun to record (it is none, learned or yoked itself)")
                }
                setting = FunSetting(name: key, kind: .yoked(partner))
                setting.scenarios = found.scenarios
                setting.trainDynamics = found.trainDynamics
            } else {
                guard let specNode else {
                    throw value.error("arm '\(key)' is missing 'fun': expected a fun spec, none, or learned (or yoked-to: ARM)")
                }
                setting = try funSetting(key, spec: specNode)
            }
            for (k, _, v) in entries {
                switch k {
                case "share":
                    guard case .fixed(let spec) = setting.kind, !spec.terms.isEmpty else {
                        throw v.error("arm '\(key)': 'share' scales a fixed fun spec's weights; this arm has none to scale")
                    }
                    setting.share = try v.number("share (of the maximal task return per episode)", in: 1e-6...100)
                case "yoked-to", "fun": break
                case "train-dynamics":
                    guard setting.yokedTo == nil else { throw v.error("arm '\(key)' is yoked: it trains in its partner's worlds; remove 'train-dynamics'") }
                    setting.trainDynamics = try dynamicsSetting("train-\(key)", v)
                case "scenarios" where setting.yokedTo != nil:
                    throw v.error("arm '\(key)' is yoked: it trains on its partner's scenarios; remove 'scenarios'")
                case "scenarios":
                    let list = try scenarioList(try v.list("the arm's scenarios (names or paths)"), folder: folder)
                    guard !list.isEmpty else { throw v.error("arm '\(key)': 'scenarios' is empty; name at least one or leave it out") }
                    setting.scenarios = list
                case "no-play": setting.noPlay = try v.bool("no-play")
                case "reset-memory":
                    setting.memory = try v.name("reset-memory", { $0 == "episode" ? MemorySpan.episode : nil }, known: ["episode"])
                default: break
                }
            }
            settings.append(setting)
        }
        guard !settings.isEmpty else { throw node.error("'fun' is empty; name at least one setting, e.g. none: none") }
        return settings
    }

    static func dynamicsSettings(_ node: YAMLNode) throws(ScenarioFileError) -> [DynamicsSetting] {
        var settings: [DynamicsSetting] = []
        for (key, _, value) in try node.mapping("dynamics (name: its settings)") {
            settings.append(try dynamicsSetting(key, value))
        }
        guard !settings.isEmpty else { throw node.error("'dynamics' is empty; name at least one, e.g. static: {goal-moves-every: 0}") }
        return settings
    }

    /// One dynamics setting: `{goal-moves-every: N, between-episodes: bool, redraw-rules-every: N, ...}`.
    static func dynamicsSetting(_ key: String, _ value: YAMLNode) throws(ScenarioFileError) -> DynamicsSetting {
        var setting = DynamicsSetting(name: key, goalMovesEvery: 0, betweenEpisodes: false, rate: 0)
        var rate: Double?
        let allowed = ["goal-moves-every", "between-episodes", "redraw-rules-every", "redraw-rules-between-episodes", "rate"]
        for (k, _, v) in try value.mapping("dynamics '\(key)'", allowed: allowed) {
            switch k {
            case "goal-moves-every": setting.goalMovesEvery = try v.int("goal-moves-every (steps, 0 for never)", in: 0...100_000)
            case "between-episodes": setting.betweenEpisodes = try v.bool("between-episodes")
            case "redraw-rules-every": setting.redrawRulesEvery = try v.int("redraw-rules-every (steps, 0 for never)", in: 0...100_000)
            case "redraw-rules-between-episodes": setting.redrawRulesBetweenEpisodes = try v.bool("redraw-rules-between-episodes")
            default: rate = try v.number("rate (the x value in the plot)", in: 0...1e9)
            }
        }
        func perHundred(_ every: Int) -> Double { every > 0 ? 100 / Double(every) : 0 }
        setting.rate = rate ?? perHundred(setting.goalMovesEvery) + perHundred(setting.redrawRulesEvery)
        return setting
    }

    static func training(_ node: YAMLNode?) throws(ScenarioFileError) -> Training {
        var t = Training(steps: 300_000, envs: 32, hidden: 64, threads: 2)
        guard let node else { return t }
        for (k, _, v) in try node.mapping("training", allowed: ["steps", "envs", "hidden", "threads", "recipe"]) {
            switch k {
            case "steps": t.steps = try v.int("training steps", in: 1...1_000_000_000)
            case "envs": t.envs = try v.int("training envs", in: 1...4096)
            case "hidden": t.hidden = try v.int("GRU size", in: 4...1024)
            case "recipe": t.recipe = try trainingRecipe(v)
            default: t.threads = try v.int("training threads", in: 1...64)
            }
        }
        if t.threads > t.envs { throw node.error("training threads (\(t.threads)) must not exceed envs (\(t.envs))") }
        return t
    }

    /// The recipes an experiment may train with: those for the RL² agent over a scenario distribution.
    static let experimentRecipes: [GridRecipe] = [.gridworld, .tinkering]

    static func funSetting(_ name: String, spec node: YAMLNode) throws(ScenarioFileError) -> FunSetting {
        let text = try node.string("a fun spec, none, or learned")
        if text.trimmingCharacters(in: .whitespaces) == "learned" { return FunSetting(name: name, kind: .learned) }
        do {
            return FunSetting(name: name, kind: .fixed(try FunSpec(parsing: text)))
        } catch {
            throw node.error("fun '\(name)': \(error.message)")
        }
    }

    static func trainingRecipe(_ node: YAMLNode) throws(ScenarioFileError) -> String {
        try node.name("training recipe", { name in experimentRecipes.first { $0.rawValue == name }?.rawValue },
                      known: experimentRecipes.map(\.rawValue))
    }

    static func evaluation(_ node: YAMLNode?) throws(ScenarioFileError) -> Evaluation {
        var e = Evaluation(trials: 8, seed: 1_000_000, baselines: baselineNames)
        guard let node else { return e }
        for (k, _, v) in try node.mapping("evaluation", allowed: ["trials", "seed", "baselines"]) {
            switch k {
            case "trials": e.trials = try v.int("evaluation trials", in: 1...100_000)
            case "seed": e.seed = UInt64(try v.int("evaluation seed", in: 0...Int.max))
            default:
                e.baselines = []
                for b in try v.list("baselines") {
                    e.baselines.append(try b.name("baseline agent", { baselineNames.contains($0) ? $0 : nil }, known: baselineNames))
                }
            }
        }
        return e
    }

    /// The outer loop's settings; `node` is nil when a `learned` fun setting relies on the defaults.
    static func learnedFun(_ node: YAMLNode?) throws(ScenarioFileError) -> LearnedFun {
        var l = LearnedFun(models: ["delight", "novelty"], start: [], sigma: 0.3, learningRate: 0.5, generations: 3, pairs: 2,
                           steps: 60_000, trials: 32)
        var startNode: YAMLNode?
        if let node {
            for (k, _, v) in try node.mapping("learned", allowed: ["models", "start", "sigma", "learning-rate", "generations", "pairs", "steps", "trials"]) {
                switch k {
                case "models":
                    l.models = []
                    for m in try v.list("fun models whose weights are learned") {
                        l.models.append(try m.name("fun model", { FunSpec.knownModels.contains($0) ? $0 : nil }, known: FunSpec.knownModels))
                    }
                case "start":
                    startNode = v
                    l.start = []
                    // Positive: the search runs over log-weights.
                    for w in try v.list("starting weights") { l.start.append(Float(try w.number("a starting weight (positive)", in: 1e-6...100))) }
                case "sigma": l.sigma = Float(try v.number("sigma (the search's noise)", in: 1e-6...100))
                case "learning-rate": l.learningRate = Float(try v.number("learning-rate", in: 1e-6...100))
                case "generations": l.generations = try v.int("generations", in: 1...1000)
                case "pairs": l.pairs = try v.int("antithetic pairs per generation", in: 1...1000)
                case "steps": l.steps = try v.int("steps per candidate", in: 1...1_000_000_000)
                default: l.trials = try v.int("scoring trials", in: 1...100_000)
                }
            }
        }
        if let node, l.models.isEmpty { throw node.error("learned.models is empty; name the fun models to weigh") }
        if l.start.isEmpty { l.start = Array(repeating: 0.1, count: l.models.count) }
        if let startNode, l.start.count != l.models.count {
            throw startNode.error("learned.start has \(l.start.count) weights for \(l.models.count) models")
        }
        return l
    }
}
