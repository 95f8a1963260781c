import ArgumentParser
import Clocks
import Foundation
import Fun
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles
import Statistics
import Views

/// `playgrid skills`: skills learned without reward (DIAYN), by agents trained with `playgrid train --skills K`.
struct Skills: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Skills learned without reward (DIAYN): check an agent trained with playgrid train --skills K, or meta-learn on its skills as tasks.",
        subcommands: [SkillsEval.self, SkillsMetaTest.self])
}

/// `playgrid skills eval CKPT`: DIAYN's check on rollouts the discriminator never trained on.
struct SkillsEval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Run every skill of a skill agent on fresh trials: how often its discriminator tells the skill from the state reached, the mean skill reward against ln K, and each skill's visit map side by side with how much they overlap.")

    @Argument(help: "A checkpoint trained with playgrid train --skills K.")
    var checkpoint: String

    @Option(help: "Scenario to run the skills in, a name or a path (default: the first one it was trained on).")
    var scenario: String?

    @Option(help: "Trials per skill.")
    var trials: Int = 20

    @Option(help: "Seed of the rollouts (fresh worlds and action draws, apart from training's).")
    var seed: UInt64 = 1_000

    @Flag(help: "Print one JSON object instead of a table and the maps.")
    var json = false

    func validate() throws {
        if trials < 1 || trials > 10_000 { throw ValidationError("--trials must be from 1 to 10000") }
    }

    func run() throws {
        let (report, map) = try reportingFailures { () throws -> (SkillEvaluation, SkillMapView) in
            let saved = try Checkpoint.read(from: checkpoint)
            guard let name = scenario ?? saved.identity?.families.first?.name else {
                throw CommandFailure("\(checkpoint): does not say what it was trained on; name the room with --scenario")
            }
            let world = try ScenarioCatalog.load(name)
            let report = try SkillEvaluation(checkpoint: saved, agentName: (checkpoint as NSString).lastPathComponent,
                                             scenario: world, trialsPerSkill: trials, seed: seed)
            let sample = World(scenario: world, level: try world.sample(seed: seed))
            let blocked = (0..<(report.width * report.height)).map { i in
                !sample.tile(sample.cell(at: GridPoint(x: i % report.width, y: i / report.width))).isPassable
            }
            return (report, SkillMapView(width: report.width, height: report.height, visits: report.visits, blocked: blocked))
        }
        if json {
            print(try StableJSON.string(report))
            return
        }
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        let rows: [(String, String)] = [
            ("scenario", report.scenario), ("skills", String(report.skills)), ("trials per skill", String(report.trialsPerSkill)),
            ("states judged", String(report.states)),
            ("discriminator accuracy", f(report.accuracy)),
            ("mean skill reward", "\(f(report.meanSkillReward)) (ln K = \(f(report.lnSkills)); \(f(report.rewardShareOfLnSkills)) of it)"),
            ("accuracy by skill", report.accuracyBySkill.map(f).joined(separator: " ")),
            ("reward by skill", report.rewardBySkill.map(f).joined(separator: " ")),
            ("pairwise overlap", "mean \(f(report.meanOverlap)), max \(f(report.maxOverlap))"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        print(rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n"))
        print("\nwhere each skill goes (: passed through, o stayed a while, @ its busiest cells; all: the skill most often there)")
        print(map.text)
    }
}

/// `playgrid skills meta-test SKILLS --out DIR`: unsupervised meta-RL (Gupta et al. 2018) from end to end.
struct SkillsMetaTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-test",
        abstract: "Unsupervised meta-RL: meta-train the RL² agent on the skills of SKILLS as tasks (train ROOM --tasks-from SKILLS) for each seed, then score its first episodes of held-out goal-reaching tasks against the same agent learning each task from scratch in as many steps and against its random initial weights.")

    @Argument(help: "A checkpoint trained with playgrid train --skills K, whose skills become the tasks.")
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
        if steps < 1 { throw ValidationError("--steps must be at least 1") }
        if threads < 1 || threads > 64 { throw ValidationError("--threads must be from 1 to 64") }
        if tasks < 1 || tasks > 100_000 { throw ValidationError("--tasks must be from 1 to 100000") }
        if heldOut.isEmpty { throw ValidationError("--test needs at least one scenario") }
    }

    func run() throws {
        let report = try reportingFailures { () throws -> SkillMetaTest.Report in
            var plan = SkillMetaTest.Plan(tasks: try SkillTasks(path: skills), trainingScenario: try ScenarioCatalog.load(room),
                                          heldOut: try heldOut.map { try ScenarioCatalog.load($0) }, seeds: (1...seeds).map(UInt64.init),
                                          steps: steps)
            plan.threads = threads
            plan.tasksPerScenario = tasks
            plan.evaluationSeed = evaluationSeed
            plan.tool = ToolVersion.current
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
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
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        print("held-out goal reaching, \(report.tasksPerScenario) tasks a scenario (seed \(report.evaluationSeed)), \(report.seeds.count) seeds; task return summed over a task's episodes, mean over seeds ± 95% interval")
        for c in report.curves {
            let perEpisode = (0..<(c.bySeed.first?.count ?? 0)).map { k in f(Sample.mean(c.bySeed.map { $0[k] })) }
            print("  \(c.scenario)  \(c.agent.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0))  \(Sample.estimate(c.totals).formatted())   by episode \(perEpisode.joined(separator: " "))")
        }
        for d in report.differences {
            print("  \(d.scenario)  meta-trained − \(d.baseline.rawValue): \(d.difference.formatted())" + (d.p.map { String(format: "  (paired t, p = %.3g)", $0) } ?? ""))
        }
    }

    /// Seed `seed`'s meta-trained agent: the complete checkpoint in `--out`, or trained (or continued) now.
    func metaTrained(_ plan: SkillMetaTest.Plan, seed: UInt64) throws -> Checkpoint {
        let path = "\(out)/meta-seed-\(seed).pgck"
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
        var bar = ProgressBar(total: remaining)
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
