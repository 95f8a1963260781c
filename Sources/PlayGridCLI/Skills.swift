import ArgumentParser
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Plots
import Records
import ScenarioFiles
import Statistics
import Views

/// `playgrid skills`: skills learned without reward (DIAYN), by agents trained with `playgrid train --skills K`, and
/// skills learned from tapes of play (SiMPL).
struct Skills: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Skills without reward: check a DIAYN agent trained with playgrid train --skills K or meta-learn on its skills as tasks; learn skills and a skill prior from tapes of play (SiMPL).",
        subcommands: [SkillsEval.self, SkillsMetaTest.self, SkillsLearn.self, SkillsCompare.self])
}

/// `playgrid skills learn TAPES... --out SKILLS`: SiMPL's skill model from tapes of play.
struct SkillsLearn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Learn skills and a skill prior from tapes of play (SiMPL, small): a VAE over H-step segments of action pairs with K discrete skills, whose decoder is each skill's policy, and a prior p(z|s); whole episodes are held out and scored. Writes a checksummed skill file for train --skills-from and skills eval.")

    @Argument(help: "Tapes of play (playgrid run ... --record TAPE), of scenarios with one view size.")
    var tapes: [String] = []

    @Option(help: "The skill file to write.")
    var out: String

    @Option(help: "H: steps per skill.")
    var horizon: Int = 10

    @Option(help: "K: the skills (the latent is one of K; see docs/skills.md for why discrete).")
    var latent: Int = 8

    @Option(help: "Width of the encoder's, decoder's and prior's hidden layer.")
    var hidden: Int = 64

    @Option(help: "Optimiser steps (32 segments each).")
    var steps: Int = 3_000

    @Option(help: "Seed of the held-out split, the initial weights and the minibatches.")
    var seed: UInt64 = 1

    @Flag(help: "Overwrite an existing skill file.")
    var force = false

    func validate() throws {
        if tapes.isEmpty { throw ValidationError("give at least one tape to learn from") }
        if horizon < 1 || horizon > 100 { throw ValidationError("--horizon must be from 1 to 100") }
        if latent < 2 || latent > 64 { throw ValidationError("--latent must be from 2 to 64") }
        if hidden < 4 || hidden > 1024 { throw ValidationError("--hidden must be from 4 to 1024") }
        try validateSteps(steps)
    }

    func run() throws {
        let skills = try reportingFailures { () throws -> PlaySkills in
            try CommandFailure.refuseOverwriting(out, force: force, signature: PlaySkills.magic, what: "skill file", expecting: "a skill file")
            let clock = SystemClock()
            let began = clock.now
            let data = try PlayTapes(paths: tapes)
            var plan = PlaySkillLearning.Plan()
            plan.horizon = horizon
            plan.skills = latent
            plan.hidden = hidden
            plan.steps = steps
            plan.seed = seed
            plan.tool = ToolVersion.current
            let learning = try PlaySkillLearning(data: data, plan: plan)
            printError("learning \(latent) skills of \(horizon) steps from \(data.steps) steps of \(tapes.count) tape(s): \(learning.training.count) segments to train on, \(learning.heldOut.count) held out")
            var bar = ProgressBar(total: steps)
            var recent = 0.0
            let skills = learning.learn { done, terms in
                recent = done == 1 ? terms.loss(beta: plan.beta) : 0.98 * recent + 0.02 * terms.loss(beta: plan.beta)
                bar.update(done: done, rate: Double(done) / max(1e-9, clock.seconds(since: began)),
                           detail: String(format: "loss %.2f  accuracy %.2f", recent, terms.accuracy))
                return true
            }
            bar.finish()
            try skills.write(to: out)
            printError("\(clock.seconds(since: began) < 10 ? String(format: "%.1f", clock.seconds(since: began)) : String(Int(clock.seconds(since: began)))) s; wrote \(out)")
            return skills
        }
        print(Self.summary(skills))
    }

    /// The held-out figures of a skill file, as `learn` and `eval` print them.
    static func summary(_ s: PlaySkills) -> String {
        let h = s.heldOut
        return String(format: "held-out segments %d (%d steps each): reconstruction accuracy %.3f (task half %.3f), reconstruction %.2f nats a segment, KL(q‖uniform) %.3f, KL(q‖prior) %.3f",
                      s.heldOutSegments, s.horizon, h.accuracy, h.taskAccuracy, h.reconstruction, h.kl, h.priorKL)
    }
}

/// `playgrid skills eval CKPT`: DIAYN's check on rollouts the discriminator never trained on.
struct SkillsEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run every skill of a skill agent on fresh trials: how often its discriminator tells the skill from the state reached, the mean skill reward against ln K, and each skill's visit map side by side with how much they overlap.")

    @Argument(help: "A checkpoint trained with playgrid train --skills K (or a bundled skill agent's name, such as skills-8), or a skill file made by playgrid skills learn.")
    var checkpoint: String

    @Option(help: "Scenario to run the skills in, a name or a path (default: the first one it was trained on).")
    var scenario: String?

    @Option(help: "Trials per skill.")
    var trials: Int = 20

    @Option(help: "Seed of the rollouts (fresh worlds and action draws, apart from training's).")
    var seed: UInt64 = 1_000

    @Flag(help: "Print one JSON object instead of a table and the maps.")
    var json = false

    @Option(help: ArgumentHelp("Also draw the skills' visit maps as an SVG file (for papers).", valueName: "file"))
    var svg: String?

    @Flag(help: "Overwrite the --svg file if it exists.")
    var force = false

    func validate() throws {
        if trials < 1 || trials > 10_000 { throw ValidationError("--trials must be from 1 to 10000") }
    }

    func run() throws {
        if Self.isPlaySkills(checkpoint) {
            if svg != nil { try reportingFailures { throw CommandFailure("--svg draws a skill agent's visit maps; \(checkpoint) is a skill file learned from play") } }
            return try runPlaySkills()
        }
        let (report, map) = try reportingFailures { () throws -> (SkillEvaluation, SkillMapView) in
            if let svg { try CommandFailure.refuseOverwriting(svg, force: force, signature: CommandFailure.svgSignature, what: "plot (SVG)", expecting: "an SVG file") }
            let saved = try Checkpoint.read(from: AgentChoice.bundledPath(checkpoint) ?? checkpoint)
            let world = try scenario.map(ScenarioCatalog.load) ?? saved.trainedScenario(path: checkpoint)
            let report: SkillEvaluation
            do {
                report = try SkillEvaluation(checkpoint: saved, agentName: checkpoint, scenario: world, trialsPerSkill: trials, seed: seed)
            } catch let error as AgentLoadError {
                // Named by the path given, not as an --agent, which this command does not take.
                throw CommandFailure("\(error)")
            }
            let sample = World(scenario: world, level: try world.sample(seed: seed))
            let blocked = (0..<(report.width * report.height)).map { i in
                !sample.tile(sample.cell(at: GridPoint(x: i % report.width, y: i / report.width))).isPassable
            }
            if let svg {
                let title = String(format: "%@ in %@: accuracy %.3f, skill reward %.2f ln %d, overlap %.3f (%d trials a skill, seed %llu)",
                                   (checkpoint as NSString).lastPathComponent, report.scenario, report.accuracy,
                                   report.rewardShareOfLnSkills, report.skills, report.meanOverlap, trials, seed)
                let plot = SkillMapPlot(title: title, width: report.width, height: report.height, visits: report.visits, blocked: blocked, judged: report.judged)
                try AtomicFile.write(text: plot.svg, to: svg)
                printError("wrote \(svg)")
            }
            return (report, SkillMapView(width: report.width, height: report.height, visits: report.visits, blocked: blocked, judged: report.judged))
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        let rows: [(String, String)] = [
            ("scenario", report.scenario), ("skills", String(report.skills)), ("trials per skill", String(report.trialsPerSkill)),
            ("states judged", String(report.states)),
            ("skills found by", report.method == SkillMethod.edl.rawValue
                ? "EDL (regions fixed before training, discriminator frozen)" : "DIAYN (discriminator learned alongside)"),
            ("discriminator reads", report.features.map { "the position, \($0)" } ?? "the position"),
            ("discriminator accuracy", f(report.accuracy)),
            ("mean skill reward", "\(f(report.meanSkillReward)) (ln K = \(f(report.lnSkills)); \(f(report.rewardShareOfLnSkills)) of it)"),
            ("accuracy by skill", report.accuracyBySkill.map(f).joined(separator: " ")),
            ("reward by skill", report.rewardBySkill.map(f).joined(separator: " ")),
            ("pairwise overlap", "mean \(f(report.meanOverlap)), max \(f(report.maxOverlap))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        print(rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n"))
        print("\nwhere each skill goes (: passed through, o stayed a while, @ its busiest cells; all: the skill most often there; judged: the skill the discriminator takes each cell for)")
        print(map.text)
    }
}

extension SkillsEval {
    /// Whether `path` starts with a skill file's signature (made by skills learn) rather than a checkpoint's.
    static func isPlaySkills(_ path: String) -> Bool {
        ReadableFile.leadingBytes(of: path, count: PlaySkills.magic.count) == PlaySkills.magic
    }

    /// The report of skills learned from play: held-out figures, the prior's entropy, and what each skill does.
    func runPlaySkills() throws {
        let report = try reportingFailures { () throws -> PlaySkillReport in
            let skills = try PlaySkills.read(from: checkpoint)
            guard let name = scenario ?? skills.scenarios.first else {
                throw CommandFailure("\(checkpoint): names no scenario; give one with --scenario")
            }
            return try PlaySkillReport(skills: skills, scenario: try ScenarioCatalog.load(name), rollouts: trials, seed: seed)
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        let h = report.heldOut
        print(String(format: "held-out segments %d: reconstruction accuracy %.3f (task half %.3f), reconstruction %.2f nats a segment, KL(q‖uniform) %.3f, KL(q‖prior) %.3f",
                     report.heldOutSegments, h.accuracy, h.taskAccuracy, h.reconstruction, h.kl, h.priorKL))
        print(String(format: "prior entropy %.3f (ln K = %.3f) over the states below", report.priorEntropy, report.lnSkills))
        print("each skill run \(report.rollouts) times for \(report.horizon) steps from the start of \(report.scenario) (seed \(report.seed)):")
        print("skill  prior  moves (x, y)  distance  plays  events  most taken")
        for (z, k) in report.bySkill.enumerated() {
            let pairs = k.topPairs.map { String(format: "%@ %.0f%%", $0.action, $0.share * 100) }.joined(separator: ", ")
            print(String(format: "%5d  %5.3f  %+5.1f %+5.1f   %8.1f  %4.0f%%  %6d  ", z, k.priorAtStart, k.meanMove[0], k.meanMove[1],
                         k.meanDistance, k.playShare * 100, k.playEvents) + pairs)
        }
    }
}

/// Refuses a folder (or anything else that is no place for a file) where one of `names` will be written in `folder`,
/// before the training that comes first: found when the file was written, it wasted the training.
func checkPlaces(in folder: String, of names: [String]) throws {
    for name in names { try OutputFile.checkPlace(folder + "/" + name, expecting: "a file") }
}

/// `playgrid skills meta-test SKILLS --out DIR`: unsupervised meta-RL (Gupta et al. 2018) from end to end.
struct SkillsMetaTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-test",
        abstract: "Unsupervised meta-RL: meta-train the RL² agent on the skills of SKILLS as tasks (train ROOM --tasks-from SKILLS) for each seed, then score its first episodes of held-out goal-reaching tasks against the same agent learning each task from scratch in as many steps and against its random initial weights.")

    @Argument(help: "A checkpoint trained with playgrid train --skills K (or a bundled skill agent's name, such as skills-8), whose skills become the tasks.")
    var skills: String

    @Option(help: "Folder for the meta-trained checkpoints (reused when present and complete) and the report (meta-test.json, meta-test.svg).")
    var out: String

    @Option(help: "The reward-free room to meta-train in (the map size the skills were learned on).")
    var room: String = "skill-tasks"

    @Option(name: .customLong("test"), help: "Hand-made scenarios to test on (repeat the option for each).")
    var heldOut: [String] = ["open-field", "four-rooms"]

    @Option(help: "Training seeds (1 to N).")
    var seeds: Int = 5

    @Option(help: "Meta-training steps per seed.")
    var steps: Int = 16_000_000

    @Option(help: "Threads each meta-training uses.")
    var threads: Int = 1

    @Option(help: "Held-out tasks (trials) per test scenario.")
    var tasks: Int = 100

    @Option(help: "Seed the held-out tasks are drawn from (never used in training).")
    var evaluationSeed: UInt64 = 424_242

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Flag(help: "Retrain checkpoints in --out that were trained otherwise.")
    var force = false

    func validate() throws {
        if seeds < 2 || seeds > 100 { throw ValidationError("--seeds must be from 2 to 100 (an interval over seeds needs two)") }
        try validateSteps(steps)
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be from 1 to 64") }
        if tasks < 1 || tasks > 100_000 { throw ValidationError("--tasks must be from 1 to 100000") }
        if heldOut.isEmpty { throw ValidationError("--test needs at least one scenario") }
    }

    func run() throws {
        let report = try reportingFailures { () throws -> SkillMetaTest.Report in
            var plan = SkillMetaTest.Plan(tasks: try SkillTasks(path: AgentChoice.bundledPath(skills) ?? skills, argument: "SKILLS"), trainingScenario: try ScenarioCatalog.load(room),
                                          heldOut: try heldOut.map { try ScenarioCatalog.load($0) }, seeds: (1...seeds).map(UInt64.init),
                                          steps: steps)
            plan.threads = threads
            plan.tasksPerScenario = tasks
            plan.evaluationSeed = evaluationSeed
            plan.tool = ToolVersion.current
            try plan.validate()
            try OutputFolder.create(out)
            try checkPlaces(in: out, of: ["meta-test.json", "meta-test.svg"] + plan.seeds.map(checkpointName))
            let clock = SystemClock()
            let began = clock.now
            let agents = try plan.seeds.map { try metaTrained(plan, seed: $0) }
            let trained = clock.now
            let report = try SkillMetaTest.evaluate(plan, metaTrained: agents)
            try AtomicFile.write(text: try StableJSON.string(report) + "\n", to: out + "/meta-test.json")
            try AtomicFile.write(text: report.svg, to: out + "/meta-test.svg")
            printError("meta-training \((trained - began).components.seconds) s, meta-test \((clock.now - trained).components.seconds) s; wrote \(out)/meta-test.json, \(out)/meta-test.svg")
            return report
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        print("held-out goal reaching, \(report.tasksPerScenario) tasks a scenario (seed \(report.evaluationSeed)), \(report.seeds.count) seeds; task return summed over a task's episodes, mean over seeds ± 95% interval")
        for line in AgentComparison.lines(curves: report.curves, differences: report.differences, nameWidth: 13, treatment: .metaTrained) {
            print(line)
        }
    }

    /// The file in `--out` holding seed `seed`'s meta-trained agent.
    func checkpointName(seed: UInt64) -> String { "meta-seed-\(seed).pgck" }

    /// Seed `seed`'s meta-trained agent: the complete checkpoint in `--out`, or trained (or continued) now.
    func metaTrained(_ plan: SkillMetaTest.Plan, seed: UInt64) throws -> Checkpoint {
        let path = "\(out)/\(checkpointName(seed: seed))"
        var training: GridTraining
        if FileManager.default.fileExists(atPath: path) {
            let saved = try Checkpoint.read(from: path)
            let identity = saved.identity
            let same = identity?.tasksFrom == plan.tasks.source && identity?.seed == seed && identity?.threads == plan.threads
                && identity?.families == [FamilyID(plan.trainingScenario)] && identity?.recipe == GridRecipe.skills.rawValue
                && saved.policy.plays == .none
            if same && saved.environmentSteps >= plan.steps { return saved }
            if !same && !force {
                throw CommandFailure("\(path): was not trained as seed \(seed) of this meta-test (other skills, room, seed or threads); pass --force to retrain it")
            }
            training = same ? try GridTraining(resuming: saved, path: path, scenarios: [plan.trainingScenario], fun: FunSpec(terms: []),
                                               envs: plan.envs, threads: plan.threads, tasks: plan.tasks)
                : try plan.training(seed: seed)
        } else {
            training = try plan.training(seed: seed)
        }
        let remaining = plan.steps - training.trainer.environmentSteps
        printError("seed \(seed): meta-training on \(plan.trainingScenario.name) with tasks from \(plan.tasks.source.name) for \(remaining) steps → \(path)")
        var bar = ProgressBar(total: training.trainer.plannedSteps(remaining))
        let start = training.trainer.environmentSteps
        try training.train(steps: remaining, saving: .init(path: path, everySeconds: 30)) { update in
            let m = update.metrics
            bar.update(done: m.environmentSteps - start, rate: m.stepsPerSecond,
                       detail: String(format: "task %.3f", m.meanTaskReturn.isNaN ? 0 : m.meanTaskReturn))
            return true
        }
        bar.finish()
        return try Checkpoint.read(from: path)
    }
}

/// `playgrid skills compare SKILLS --out DIR`: SiMPL's high level against the flat RL² agent at equal gridworld steps.
struct SkillsCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Meta-train, for each seed, the high level over the skills of SKILLS (train --skills-from) and the flat RL² agent on the same scenarios for the same gridworld steps, then score both, and the high level untrained, on held-out tasks (new trials drawn from --evaluation-seed) by the task return of each episode; writes compare.json and compare.svg.")

    @Argument(help: "A skill file made by playgrid skills learn.")
    var skills: String

    @Option(help: "Folder for the checkpoints (reused when present and trained as asked) and the report.")
    var out: String

    @Option(name: .customLong("train"), help: "Scenarios to meta-train on (repeat the option for each).")
    var training: [String] = ["open-field", "four-rooms"]

    @Option(name: .customLong("test"), help: "Scenarios whose held-out trials are the test tasks (repeat the option for each).")
    var heldOut: [String] = ["open-field", "four-rooms"]

    @Option(help: "Training seeds (1 to N).")
    var seeds: Int = 2

    @Option(help: "Gridworld steps of meta-training per agent and seed.")
    var steps: Int = 4_000_000

    @Option(help: "Threads each training uses.")
    var threads: Int = 1

    @Option(help: "Held-out tasks (trials) per test scenario.")
    var tasks: Int = 100

    @Option(help: "Seed the held-out tasks are drawn from (never used in training).")
    var evaluationSeed: UInt64 = 424_242

    @Option(help: "α, the weight of the high level's KL penalty to the skill prior.")
    var priorWeight: Float = SkillLevelTraining.Plan.defaultPriorWeight

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Flag(help: "Retrain checkpoints in --out that were trained otherwise (or for fewer steps).")
    var force = false

    func validate() throws {
        if seeds < 1 || seeds > 100 { throw ValidationError("--seeds must be from 1 to 100") }
        try validateSteps(steps)
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be from 1 to 64") }
        if tasks < 1 || tasks > 100_000 { throw ValidationError("--tasks must be from 1 to 100000") }
        if training.isEmpty || heldOut.isEmpty { throw ValidationError("--train and --test need at least one scenario each") }
        if priorWeight < 0 || !priorWeight.isFinite { throw ValidationError("--prior-weight must be a number ≥ 0") }
    }

    func run() throws {
        let report = try reportingFailures { () throws -> SkillComparison.Report in
            var plan = SkillComparison.Plan(skills: try PlaySkills.read(from: skills), skillsName: URL(fileURLWithPath: skills).lastPathComponent,
                                            training: try training.map { try ScenarioCatalog.load($0) },
                                            heldOut: try heldOut.map { try ScenarioCatalog.load($0) }, seeds: (1...seeds).map(UInt64.init), steps: steps)
            plan.threads = threads
            plan.tasksPerScenario = tasks
            plan.evaluationSeed = evaluationSeed
            plan.priorWeight = priorWeight
            plan.tool = ToolVersion.current
            try plan.validate()
            try OutputFolder.create(out)
            try checkPlaces(in: out, of: ["compare.json", "compare.svg"]
                + plan.seeds.flatMap { seed in [SkillComparison.Kind.flat, .skills].map { checkpointName(seed: seed, kind: $0) } })
            var flat: [Checkpoint] = [], skillLevel: [Checkpoint] = [], skillSteps: [Int] = []
            for seed in plan.seeds {
                flat.append(try trained(plan, seed: seed, kind: .flat).checkpoint)
                let high = try trained(plan, seed: seed, kind: .skills)
                skillLevel.append(high.checkpoint)
                skillSteps.append(high.gridworldSteps)
            }
            let clock = SystemClock()
            let began = clock.now
            let untrained = try plan.seeds.map { try trained(plan, seed: $0, kind: .untrained).checkpoint }
            let report = try SkillComparison.evaluate(plan, flat: flat, skillLevel: skillLevel, skillSteps: skillSteps, untrained: untrained)
            try AtomicFile.write(text: try StableJSON.string(report) + "\n", to: out + "/compare.json")
            try AtomicFile.write(text: report.svg, to: out + "/compare.svg")
            printError("scored in \(Int(clock.seconds(since: began))) s; wrote \(out)/compare.json, \(out)/compare.svg")
            return report
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        // Whole updates pass --steps by different amounts for each agent: say what each trained for.
        print("held-out tasks, \(report.tasksPerScenario) a scenario (seed \(report.evaluationSeed)), after meta-training on \(report.training.joined(separator: ", ")) for \(report.steps) gridworld steps asked (taken: \(report.budgets)), \(report.seeds.count) seed(s); task return summed over a task's episodes, mean over seeds ± 95% interval")
        for line in AgentComparison.lines(curves: report.curves, differences: report.differences, nameWidth: 16, treatment: .skills) {
            print(line)
        }
    }

    /// The file in `--out` holding seed `seed`'s trained agent of `kind`.
    func checkpointName(seed: UInt64, kind: SkillComparison.Kind) -> String {
        "\(kind == .flat ? "flat" : "skills")-seed-\(seed).pgck"
    }

    /// Seed `seed`'s agent of `kind`: the checkpoint in `--out` when it was trained as asked, or trained now (timed); the
    /// untrained high level is the weights `train --skills-from --seed S` starts from.
    func trained(_ plan: SkillComparison.Plan, seed: UInt64, kind: SkillComparison.Kind) throws -> (checkpoint: Checkpoint, gridworldSteps: Int) {
        if kind == .untrained { return (try plan.skillLevel(seed: seed).run.checkpoint, 0) }
        let path = "\(out)/\(checkpointName(seed: seed, kind: kind))"
        let families = plan.training.map(FamilyID.init)
        if FileManager.default.fileExists(atPath: path) {
            let saved = try Checkpoint.read(from: path)
            let identity = saved.identity
            // A high level's steps are its decisions, each a skill of H gridworld steps.
            let gridworldSteps = kind == .flat ? saved.environmentSteps : saved.environmentSteps * plan.skills.horizon
            let same = identity?.seed == seed && identity?.families == families && identity?.threads == plan.threads
                && gridworldSteps >= plan.steps
                && (kind == .flat ? saved.skillModel == nil
                    : saved.skillModel == plan.skills.model && identity?.skillPriorWeight == plan.priorWeight)
            if same { return (saved, gridworldSteps) }
            guard force else {
                throw CommandFailure("\(path): was not trained as seed \(seed) of this comparison (other skills, scenarios, seed, threads or prior weight, or fewer steps); pass --force to retrain it")
            }
            printError("\(path): was trained otherwise (or less); training it again (--force)")
        }
        let clock = SystemClock()
        let began = clock.now
        printError("seed \(seed): training the \(kind.rawValue) agent on \(plan.training.map(\.name).joined(separator: ", ")) for \(plan.steps) gridworld steps → \(path)")
        var bar = ProgressBar(total: plan.steps)
        let gridworldSteps: Int
        switch kind {
        case .flat:
            let t = try plan.flat(seed: seed)
            try t.train(steps: plan.steps, saving: .init(path: path, everySeconds: 30)) { update in
                bar.update(done: update.metrics.environmentSteps, rate: update.metrics.stepsPerSecond,
                           detail: String(format: "task %.3f", update.metrics.meanTaskReturn.isNaN ? 0 : update.metrics.meanTaskReturn))
                return true
            }
            gridworldSteps = t.trainer.environmentSteps
        case .skills, .untrained:
            let t = try plan.skillLevel(seed: seed)
            try t.train(steps: plan.steps, saving: .init(path: path, everySeconds: 30), clock: clock) { m, done in
                bar.update(done: done, rate: Double(done) / max(1e-9, clock.seconds(since: began)),
                           detail: String(format: "task %.3f", m.meanTaskReturn.isNaN ? 0 : m.meanTaskReturn))
                return true
            }
            gridworldSteps = t.lowLevelSteps
        }
        bar.finish()
        printError("seed \(seed): \(kind.rawValue) trained \(gridworldSteps) gridworld steps in \(Int(clock.seconds(since: began))) s")
        return (try Checkpoint.read(from: path), gridworldSteps)
    }
}
