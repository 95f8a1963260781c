import ArgumentParser
import Experiments
import Foundation
import ScenarioFiles
import ShippedFiles
import Spelling
import Views

/// `playgrid experiment`: train agents with each fun setting over a scenario distribution, evaluate them on
/// held-out MDPs as the world changes faster, and write tables, plots and a verdict per hypothesis.
struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an experiment (fun settings × seeds, evaluated under changing dynamics); writes results.md/json/csv and SVG plots.",
        discussion: "CONFIG is a YAML file or the name of a shipped one in experiments/ (default, tiny, quick, play, h1, ultimate, adaptation). Finished cells are cached in OUT/cells, so an interrupted experiment resumes where it stopped. DESIGN.md, the preregistered design, is written into OUT before training. --analyse-only --out OUT rewrites the tables, plots and verdicts from OUT's finished cells (and OUT/experiment.yaml when CONFIG is left out) without training anything. --compare TREATMENT:CONTROL then prints an exploratory paired comparison of two arms on --metric, over the mix or one --scenario (the verdicts' statistics, p unadjusted, no verdict).")

    @Argument(help: "The experiment file, or a shipped experiment's name (with --analyse-only: default OUT/experiment.yaml).")
    var config: String?

    @Option(help: "Results folder (default: experiment-results/NAME).")
    var out: String?

    @Flag(help: "Replace the tables of a folder that holds a different experiment's results.")
    var force = false

    @Flag(help: "Re-analyse OUT's finished cells: no training or evaluation; a missing cell is an error.")
    var analyseOnly = false

    @Option(help: "Agents trained at once, each on the config's training threads; default: the cores / training threads. Results are the same for any value.")
    var jobs: Int?

    @Option(help: ArgumentHelp("After the run, compare two arms paired by seed (exploratory: p unadjusted, no verdict); repeatable.", valueName: "TREATMENT:CONTROL"))
    var compare: [String] = []

    @Option(help: "The metric --compare uses: \(Preregistration.Metric.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metric = Preregistration.Metric.taskReturn.rawValue

    @Option(help: "The dynamics setting --compare uses (default: the mean over the settings).")
    var dynamics: String?

    @Option(help: "With --compare: one episode index of a trial (1 is the first), for task_return, play_ratio, effective_play_ratio.")
    var episode: Int?

    @Option(help: "With --compare: one evaluation scenario instead of the mix (an arm with its own scenarios is read at the same place in its list).")
    var scenario: String?

    func validate() throws {
        if compare.isEmpty && (dynamics != nil || episode != nil || scenario != nil || metric != Preregistration.Metric.taskReturn.rawValue) {
            throw ValidationError("--metric, --dynamics, --episode and --scenario choose what --compare TREATMENT:CONTROL compares; add --compare")
        }
        if let episode, episode < 1 { throw ValidationError("--episode counts a trial's episodes from 1, found \(episode)") }
        for pair in compare where pair.split(separator: ":", omittingEmptySubsequences: false).count != 2 || pair.hasPrefix(":") || pair.hasSuffix(":") {
            throw ValidationError("--compare '\(pair)': expected TREATMENT:CONTROL, two arms' names, e.g. none:no-memory")
        }
        if Preregistration.Metric(rawValue: metric) == nil {
            throw ValidationError("--metric '\(metric)': expected one of \(Preregistration.Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if config == nil && !analyseOnly { throw ValidationError("missing CONFIG: an experiment file or a shipped experiment's name") }
        if config == nil && out == nil { throw ValidationError("--analyse-only without CONFIG needs --out, the results folder to re-analyse") }
        if out?.isEmpty == true { throw ValidationError("--out is empty; it names the results folder") }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be from 1 to 256, got \(jobs)") }
    }

    func run() throws {
        try reportingFailures {
            let path = try config.map(Self.path(for:)) ?? (out ?? "") + "/experiment.yaml"
            let configuration = try ExperimentConfiguration.load(path: path)
            let folder = out ?? "experiment-results/\(configuration.name)"
            let command = "swift build -c release --product playgrid && .build/release/playgrid experiment \(config ?? path) --out \(folder)"
            let jobs = jobs ?? max(1, ProcessInfo.processInfo.activeProcessorCount / configuration.training.threads)
            let questions = try compare.map { pair in
                let arms = pair.split(separator: ":").map(String.init)
                return try configuration.comparison(treatment: arms[0], control: arms[1], metric: Preregistration.Metric(rawValue: metric)!,
                                                    dynamics: dynamics, episode: episode, scenario: scenario)
            }
            var bar = ProgressBar(total: 1)
            let results = try ExperimentRunner(configuration: configuration, out: folder, force: force, command: command,
                                               analyseOnly: analyseOnly, jobs: jobs).run { event in
                switch event {
                case .planned(let total): bar = ProgressBar(total: total)
                case .progress(let done, let rate, let detail, let agent):
                    let standing = agent.map {
                        "agent \($0.number)/\($0.count) (\($0.finished) done, \($0.queued) queued, this one \(Format.minutesAndSeconds($0.secondsLeft)) left)  "
                    } ?? ""
                    bar.update(done: done, rate: rate, detail: standing + detail)
                case .note(let line): bar.note(line)
                }
            }
            bar.finish()
            for question in questions { print(results.compare(question).summary) }
        }
    }

    /// A CONFIG argument as a file: a path, or a shipped experiment's name.
    static func path(for argument: String) throws -> String {
        if ShippedFolder.isPath(argument) { return argument }
        let folder: ShippedFolder
        do {
            folder = try ShippedFolder.locate(ShippedFolder.experiments)
        } catch {
            throw CommandFailure("\(argument): \(error.message), or pass a path")
        }
        let path = folder.path + "/" + argument + ".yaml"
        guard FileManager.default.fileExists(atPath: path) else {
            let known = folder.names(withSuffix: ".yaml")
            let hint = didYouMean(argument, among: known)
            throw CommandFailure("\(argument): no such experiment; \(hint)shipped experiments: \(known.joined(separator: ", ")) (or pass a path to a .yaml file)")
        }
        return path
    }
}
