import Agents
import ArgumentParser
import Foundation
import Fun
import GridWorld
import Session
import Tapes

/// `playgrid run`: headless rollouts with a summary.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run an agent headless and summarise what it did.")

    @OptionGroup var world: WorldOptions

    @Option(help: "Agent: random, greedy (solves the task, never plays), player (plays, then solves), q (tabular Q-learning on task + fun).")
    var agent: String = "player"

    @Option(help: "Number of episodes to run.")
    var episodes: Int?

    @Option(help: "Number of whole trials to run (instead of --episodes).")
    var trials: Int?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Record the run to this tape file (see docs/tape-format.md).")
    var record: String?

    @Flag(help: "Overwrite the --record tape if it exists.")
    var force = false

    func validate() throws {
        if episodes != nil && trials != nil { throw ValidationError("give --episodes or --trials, not both") }
        if let episodes, episodes < 1 { throw ValidationError("--episodes must be at least 1") }
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
    }

    func run() throws {
        let report = try reportingFailures { () throws -> RunReport in
            let scenario = try world.loadScenario()
            let length: RunLength = trials.map { .trials($0) } ?? .episodes(episodes ?? 10)
            let fun = try world.funSpec()
            let agent = try AgentChoice.make(agent, fun: fun)
            guard let record else {
                return try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: world.seed, length: length)
            }
            let tape = try TapeWriter(path: record, scenario: scenario, origin: world.scenario, seed: world.seed,
                                      agent: agent.name, fun: fun, force: force)
            let report = try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: world.seed, length: length) { frame in
                try tape.append(frame)
            }
            try tape.finish()
            return report
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(Run.table(report))
        }
    }

    static func table(_ r: RunReport) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        var rows: [(String, String)] = [
            ("scenario", r.scenario), ("agent", r.agent), ("seed", String(r.seed)), ("fun", r.fun),
            ("episodes", String(r.episodes)), ("trials", String(r.trials)), ("steps", String(r.steps)),
            ("success rate", f(r.success_rate)), ("task return / episode", f(r.task_return_mean)),
            ("task return / trial", f(r.trial_return_mean)),
            ("return by episode index", r.return_by_episode_index.map(f).joined(separator: " ")),
            ("length by episode index", r.length_by_episode_index.map { String(format: "%.1f", $0) }.joined(separator: " ")),
            ("success by episode index", r.success_by_episode_index.map(f).joined(separator: " ")),
            ("fun return / episode", f(r.fun_return_mean)),
        ]
        for (model, value) in r.fun_return_by_model.sorted(by: { $0.key < $1.key }) { rows.append(("  \(model)", f(value))) }
        rows += [
            ("play ratio", f(r.play_ratio)), ("play bouts", "\(r.play_bouts) (mean length \(f(r.play_bout_length_mean)))"),
            ("play diversity (nats)", f(r.play_diversity)),
            ("play events", r.play_events.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            ("time to task (steps)", f(r.time_to_task)), ("steps / second", String(Int(r.steps_per_second))),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
