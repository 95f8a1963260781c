import ArgumentParser
import CommandLineErrors
import Records

/// `playgrid`: watch, play, replay, run, train and measure ⟨task, play⟩ gridworlds.
@main
struct PlayGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playgrid",
        abstract: "A play-versus-task gridworld simulator for meta-RL research.",
        version: ToolVersion.current,
        subcommands: [Watch.self, Play.self, Replay.self, Run.self, Compare.self, Train.self, Skills.self, Goals.self, Experiment.self, Scenarios.self, Tape.self, Bench.self],
        defaultSubcommand: Watch.self
    )

    static func main() { mainReportingOneLine() }
}
