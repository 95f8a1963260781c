import Agents
import ArgumentParser
import Engine
import Foundation
import Fun
import GridWorld
import Records
import Tapes

/// `playgrid run`: headless rollouts with a summary.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run an agent headless and summarise what it did.")

    @OptionGroup var world: WorldOptions

    @Option(help: ArgumentHelp("Agent: \(AgentChoice.help).", valueName: "agent"))
    var agent: String = "player"

    @OptionGroup var controls: AgentControls

    @Option(help: "Number of episodes to run (default: 10).")
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
        if let episodes, episodes > Run.mostEpisodesOrTrials {
            throw ValidationError("--episodes must be at most \(Run.mostEpisodesOrTrials), found \(episodes)")
        }
        if let trials, trials > Run.mostEpisodesOrTrials {
            throw ValidationError("--trials must be at most \(Run.mostEpisodesOrTrials), found \(trials)")
        }
    }

    /// More than a run could finish, yet small enough that trials × a trial's episodes (at most 1,000) cannot
    /// overflow: a mistyped huge --trials used to trap on that multiplication.
    static let mostEpisodesOrTrials = 1_000_000_000

    func run() throws {
        let report = try reportingFailures { () throws -> RunReport in
            let scenario = try world.loadScenario()
            let length: RunLength = trials.map { .trials($0) } ?? .episodes(episodes ?? 10)
            let fun = world.fun
            let agent = try AgentChoice.make(agent, fun: fun, scenario: scenario, controls: controls)
            guard let record else {
                return try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: world.seed, length: length)
            }
            let tape = try TapeWriter(path: record, scenario: scenario, origin: world.scenario, seed: world.seed,
                                      agent: agent.name, fun: fun, force: force)
            // Ctrl-C on a long recorded run left its tape without an end record, which tape info and verify then
            // report as truncated (status 3); it is finished, as watch --record finishes its tape, before the
            // process ends by the signal.
            StopRequest.install()
            let report: RunReport
            do {
                report = try Runner.run(scenario: scenario, agent: agent, fun: fun, seed: world.seed, length: length) { frame in
                    try tape.append(frame)
                    if let signal = StopRequest.receivedSignal { throw Interrupted(signalNumber: signal) }
                }
            } catch {
                try? tape.finish()
                throw error
            }
            try tape.finish()
            return report
        }
        if json {
            print(try StableJSON.string(report))
        } else {
            print(Run.table(report))
        }
    }

    static func table(_ r: RunReport) -> String {
        func f(_ x: Double) -> String { x.isFinite ? String(format: "%.3f", x) : "n/a" }
        var rows: [(String, String)] = [
            ("scenario", r.scenario), ("agent", r.agent), ("seed", String(r.seed)), ("fun", r.fun),
            ("episodes", String(r.episodes)), ("trials", String(r.trials)), ("steps", String(r.steps)),
            ("success rate", f(r.successRate)), ("task return / episode", f(r.taskReturnMean)),
            ("task return / trial", f(r.trialReturnMean)),
            ("return by episode index", r.returnByEpisodeIndex.map(f).joined(separator: " ")),
            ("length by episode index", r.lengthByEpisodeIndex.map { String(format: "%.1f", $0) }.joined(separator: " ")),
            ("success by episode index", r.successByEpisodeIndex.map(f).joined(separator: " ")),
        ]
        if let first = r.firstEpisodeLengthFirstMeeting, let repeated = r.firstEpisodeLengthRepeat {
            rows.append(("first episode, first meeting", "\(first.formatted(1)) steps (\(first.count) trials)"))
            rows.append(("first episode, repeat", "\(repeated.formatted(1)) steps (\(repeated.count) trials)"))
        }
        rows.append(("fun return / episode", f(r.funReturnMean)))
        for (model, value) in r.funReturnByModel.sorted(by: { $0.key < $1.key }) { rows.append(("  \(model)", f(value))) }
        rows += [
            ("play ratio", f(r.playRatio)), ("effective play ratio", f(r.effectivePlayRatio)),
            ("play by episode index", r.playByEpisodeIndex.map(f).joined(separator: " ")),
        ]
        if let ratio = r.playFirstToLast {
            rows.append(("play first / last", String(format: "%.2f× (95%%: %.2f–%.2f)", ratio.estimate, ratio.lower, ratio.upper)))
        }
        rows.append(("play per opportunity", f(r.playPerOpportunity)))
        if !r.discoveryStepByRule.isEmpty {
            let steps = r.discoveryStepByRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map { String(format: "%.1f", $0) } ?? "never")" }
            rows.append(("discovery step by rule", steps.joined(separator: ", ")))
        }
        rows += [
            ("play bouts", "\(r.playBouts) (mean length \(f(r.playBoutLengthMean)))"),
            ("play diversity (nats)", f(r.playDiversity)),
            ("play events", r.playEvents.isEmpty ? "none" : r.playEvents.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
        ]
        if let byIndex = r.playEventsByEpisodeIndex, !byIndex.isEmpty, r.returnByEpisodeIndex.count > 1 {
            rows.append(("play events by episode index", "(mean per episode)"))
            for (kind, means) in byIndex.sorted(by: { $0.key < $1.key }) { rows.append(("  \(kind)", means.map(f).joined(separator: " "))) }
        }
        rows += [("time to task (steps)", f(r.timeToTask)), ("steps / second", String(Int(r.stepsPerSecond)))]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
