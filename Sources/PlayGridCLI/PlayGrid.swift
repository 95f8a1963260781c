import ArgumentParser
import CommandLineErrors
import Foundation
import Records
import ScenarioFiles
import ShippedFiles
import Spelling

/// `playgrid`: watch, play, replay, run, train and measure ⟨task, play⟩ gridworlds.
@main
struct PlayGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "playgrid",
        abstract: "A play-versus-task gridworld simulator for meta-RL research.",
        version: ToolVersion.current,
        subcommands: [Watch.self, Play.self, Replay.self, Run.self, Compare.self, Plot.self, Train.self, Skills.self, Goals.self, Experiment.self, Scenarios.self, Tape.self, Bench.self],
        defaultSubcommand: Watch.self
    )

    static func main() {
        // Past a file-size limit (`ulimit -f`, a batch job's quota) a write then fails with EFBIG, and the command says
        // which file it could not write and removes its temporary file, as on a full disk; by default the signal kills
        // the process, with no message and half a temporary checkpoint left beside the old one.
        signal(SIGXFSZ, SIG_IGN)
        if let line = misspeltCommand(Array(CommandLine.arguments.dropFirst())) {
            writeToStandardError("playgrid: \(line)\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        mainReportingOneLine()
    }

    /// `watch` is the default command, so a mistyped command (`playgrid trian --out a.pgck`) would be read as a
    /// scenario and fail on an option watch does not have. A first word that is no command, no scenario and no
    /// path, but nearer a command than any scenario, is named as the typo it is; so is an unknown command after
    /// `help`, which the parser would answer with the general help and success.
    static func misspeltCommand(_ arguments: [String], scenarios: () -> [String] = { (try? ScenarioCatalog.names()) ?? [] }) -> String? {
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        if arguments.count >= 2, arguments[0] == "help", !arguments[1].hasPrefix("-"), !commands.contains(arguments[1]) {
            return "help: no command '\(arguments[1])'; \(didYouMean(arguments[1], among: commands))commands: \(commands.dropLast().joined(separator: ", "))"
        }
        guard let word = arguments.first, !word.hasPrefix("-"), !ShippedFolder.isPath(word), !commands.contains(word) else { return nil }
        let known = scenarios()
        guard !known.contains(word), let command = suggestion(for: word, among: commands) else { return nil }
        let distance = { (name: String) in editDistance(word.lowercased(), name) }
        guard distance(command) <= 2, distance(command) < known.map(distance).min() ?? .max else { return nil }
        return "'\(word)' is not a command; did you mean 'playgrid \(command)'? (see 'playgrid --help')"
    }
}
