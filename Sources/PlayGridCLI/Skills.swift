import ArgumentParser
import Foundation
import GridWorld
import MetaAgents
import MetaRL
import Records
import ScenarioFiles
import Views

/// `playgrid skills`: skills learned without reward (DIAYN), by agents trained with `playgrid train --skills K`.
struct Skills: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Skills learned without reward (DIAYN): check an agent trained with playgrid train --skills K.",
        subcommands: [SkillsEval.self])
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
